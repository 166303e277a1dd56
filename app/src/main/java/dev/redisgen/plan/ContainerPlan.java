package dev.redisgen.plan;

import dev.redisgen.profile.ImagePullPolicy;
import dev.redisgen.profile.Resources;

/**
 * One container's identity and budget. The renderer takes resources from here, so what the LimitRange
 * and quota rules check is exactly what is emitted.
 *
 * @param resourcesPointer JSON pointer of the profile field the resources come from (for diagnostics)
 * @param imagePullPolicy  the profile's, or the one Kubernetes defaults to for this image
 */
public record ContainerPlan(String name, Role role, String image, Resources resources, String resourcesPointer,
                            ImagePullPolicy imagePullPolicy) {
    /** This container under another name (a Job's container that runs another script in the same image). */
    public ContainerPlan named(String newName) {
        return new ContainerPlan(newName, role, image, resources, resourcesPointer, imagePullPolicy);
    }
}
