package dev.redisgen.decorate;

import dev.redisgen.plan.Plan;
import io.fabric8.kubernetes.api.model.HasMetadata;

/** One cross-cutting edit of a rendered object. Returns a new object; never mutates its input. */
interface Decorator {
    HasMetadata apply(HasMetadata object, Plan plan);
}
