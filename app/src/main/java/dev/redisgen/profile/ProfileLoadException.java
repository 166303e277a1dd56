package dev.redisgen.profile;

import dev.redisgen.diag.Diagnostic;
import dev.redisgen.diag.InputException;
import java.util.List;

/**
 * A profile that does not load, with every problem found; render and check treat it as any bad input. It also
 * carries the profile as far as it binds (each broken value left out, as if not written), so that lint can run
 * its rules over the rest in the same pass instead of hiding their findings until the load errors are fixed.
 */
public final class ProfileLoadException extends InputException {
    private static final long serialVersionUID = 1L;
    private final transient LoadedProfile recovered;

    ProfileLoadException(List<Diagnostic> diagnostics, LoadedProfile recovered) {
        super(diagnostics);
        this.recovered = recovered;
    }

    /** The profile with the broken values left out, or null when it cannot be bound at all (e.g. no `name`). */
    public LoadedProfile recovered() {
        return recovered;
    }
}
