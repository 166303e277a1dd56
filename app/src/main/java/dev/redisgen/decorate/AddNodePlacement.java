package dev.redisgen.decorate;

import dev.redisgen.plan.Plan;
import dev.redisgen.plan.RedisPlan;
import dev.redisgen.profile.Toleration;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.util.List;
import java.util.TreeMap;

/**
 * The profile's nodeSelector, tolerations and priorityClassName on every pod template of the deployment, Jobs
 * and CronJobs included: a backup pod that cannot land on the dedicated nodes would stay Pending.
 */
final class AddNodePlacement implements Decorator {

    @Override
    public HasMetadata apply(HasMetadata object, Plan plan) {
        if (!Objects.isWorkload(object)) {
            return object;
        }
        RedisPlan.PodOptions options = HardenPodSecurity.owner(object, plan).podOptions();
        if (options.nodeSelector().isEmpty() && options.tolerations().isEmpty() && options.priorityClassName() == null) {
            return object;
        }
        List<io.fabric8.kubernetes.api.model.Toleration> tolerations = options.tolerations().stream().map(AddNodePlacement::toleration).toList();
        return Objects.editPodSpec(object, spec -> {
            if (!options.nodeSelector().isEmpty()) {
                spec.setNodeSelector(new TreeMap<>(options.nodeSelector()));
            }
            if (!tolerations.isEmpty()) {
                spec.setTolerations(tolerations);
            }
            if (options.priorityClassName() != null) {
                spec.setPriorityClassName(options.priorityClassName());
            }
        });
    }

    private static io.fabric8.kubernetes.api.model.Toleration toleration(Toleration t) {
        return new TolerationBuilder()
                .withKey(t.key())
                .withOperator(t.operator().kubernetesName())
                .withValue(t.value())
                .withEffect(t.effect() == null ? null : t.effect().kubernetesName())
                .withTolerationSeconds(t.tolerationSeconds())
                .build();
    }
}
