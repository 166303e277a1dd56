package dev.redisgen.decorate;

import dev.redisgen.plan.Plan;
import dev.redisgen.plan.RedisPlan;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import java.util.List;

/** The profile's imagePullSecrets on every pod template of the deployment (a private registry's credentials). */
final class AddImagePullSecrets implements Decorator {

    @Override
    public HasMetadata apply(HasMetadata object, Plan plan) {
        if (!Objects.isWorkload(object)) {
            return object;
        }
        RedisPlan.PodOptions options = HardenPodSecurity.owner(object, plan).podOptions();
        if (options.imagePullSecrets().isEmpty()) {
            return object;
        }
        List<LocalObjectReference> refs = options.imagePullSecrets().stream().map(LocalObjectReference::new).toList();
        return Objects.editPodSpec(object, spec -> spec.setImagePullSecrets(refs));
    }
}
