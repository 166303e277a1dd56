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
}
