package dev.redisgen.cli;

import dev.redisgen.profile.ProfileLoader;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --profile X | --all}: one profile, or every built-in one (check and lint). */
final class Selection {
    @Option(names = "--profile", required = true, paramLabel = "NAME|FILE",
            description = "A built-in profile name or the path to a profile file.")
    String profile;

    @Option(names = "--all", required = true, description = "Every built-in profile (see `redisgen profiles`).")
    boolean all;

    /** The profile references to run, in a fixed order. */
    List<String> refs() {
        return all ? ProfileLoader.builtinNames() : List.of(profile);
    }
}
