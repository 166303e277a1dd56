package dev.redisgen.decorate;

import dev.redisgen.plan.Plan;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * One cross-cutting edit of a rendered object. It edits the object in place, with the model's setters, and returns it:
 * the objects are the pipeline's own, fresh from the renderers of this run and shared with nothing else. (Copying each
 * object through fabric8's builders and visitors for every decorator cost a cold render ~150 ms of CPU, issue 12.)
 * A map or list it adds to is replaced by a new one, never changed where it lies, so that a map the renderers reused
 * (labels that are also a selector) is never changed behind their back.
 */
interface Decorator {
    HasMetadata apply(HasMetadata object, Plan plan);
}
