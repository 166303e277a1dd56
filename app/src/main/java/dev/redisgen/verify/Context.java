package dev.redisgen.verify;

import dev.redisgen.diag.Location;
import dev.redisgen.plan.Plan;
import dev.redisgen.profile.LoadedProfile;
import dev.redisgen.profile.Profile;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;

/**
 * What a rule may read: the profile as written (with its source map), the plan, and the rendered objects.
 * {@code objects} is empty while the input rules run, before anything is rendered.
 */
record Context(LoadedProfile source, Plan plan, List<HasMetadata> objects) {

    Profile profile() {
        return source.profile();
    }

    Location at(String pointer) {
        return source.sourceMap().locate(pointer);
    }

    /** The key of a section (`sentinel:`), rather than its first child. */
    Location atKey(String pointer) {
        return source.sourceMap().locateKey(pointer);
    }

    /**
     * Whether the profile wrote a value here. A section that is written but absent from the profile did not bind
     * (lint reports the load error and runs the rules on the rest): a rule about its absence stays quiet.
     */
    boolean written(String pointer) {
        return source.sourceMap().isWritten(pointer);
    }
}
