package dev.redisgen.decorate;

import dev.redisgen.plan.Plan;
import dev.redisgen.plan.RedisPlan;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * The profile's {@code podLabels} and {@code podAnnotations} on every pod template of the deployment. They only
 * add: the selector-labels rule refuses keys redisgen sets, so no selector or checksum can be overwritten here.
 */
final class AddPodMetadata implements Decorator {

    @Override
    public HasMetadata apply(HasMetadata object, Plan plan) {
        if (!Objects.isWorkload(object)) {
            return object;
        }
        RedisPlan.PodOptions options = HardenPodSecurity.owner(object, plan).podOptions();
        if (options.labels().isEmpty() && options.annotations().isEmpty()) {
            return object;
        }
        return Objects.editPodMetadata(object, meta -> {
            if (!options.labels().isEmpty()) {
                meta.setLabels(Objects.plus(meta.getLabels(), options.labels()));
            }
            if (!options.annotations().isEmpty()) {
                meta.setAnnotations(Objects.plus(meta.getAnnotations(), options.annotations()));
            }
        });
    }
}
