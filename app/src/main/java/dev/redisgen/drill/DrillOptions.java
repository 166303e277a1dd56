package dev.redisgen.drill;

import java.nio.file.Path;
import java.util.List;

/**
 * @param profile   a built-in profile name or a profile file
 * @param scenarios the scenarios to run, in this order (empty: all)
 * @param rounds    rounds of every scenario except bootstrap (which runs once per deployment)
 * @param busybox   run the pod scripts under busybox sh (the shell of alpine images) instead of the system sh
 * @param workDir   where pod directories go (null: a fresh temp dir, deleted afterwards)
 * @param log       progress lines (null: none)
 * @param seed      the seed of every random timing choice (freeze lengths, when a replica restarts during a
 *                  failover): the same seed repeats the same choices; null picks one, which the report names
 */
public record DrillOptions(String profile, List<Scenario> scenarios, int rounds, boolean busybox, Path workDir,
                           java.util.function.Consumer<String> log, Long seed) {
    public DrillOptions {
        scenarios = scenarios == null || scenarios.isEmpty() ? List.of(Scenario.values()) : List.copyOf(scenarios);
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be >= 1");
        }
    }

    public DrillOptions(String profile, List<Scenario> scenarios, int rounds, boolean busybox, Path workDir,
                        java.util.function.Consumer<String> log) {
        this(profile, scenarios, rounds, busybox, workDir, log, null);
    }

    public static DrillOptions of(String profile) {
        return new DrillOptions(profile, List.of(), 1, false, null, null, null);
    }

    public DrillOptions withSeed(Long s) {
        return new DrillOptions(profile, scenarios, rounds, busybox, workDir, log, s);
    }

    public DrillOptions withScenarios(List<Scenario> s) {
        return new DrillOptions(profile, s, rounds, busybox, workDir, log, seed);
    }

    public DrillOptions withRounds(int r) {
        return new DrillOptions(profile, scenarios, r, busybox, workDir, log, seed);
    }

    public DrillOptions withBusybox(boolean b) {
        return new DrillOptions(profile, scenarios, rounds, b, workDir, log, seed);
    }

    public DrillOptions withLog(java.util.function.Consumer<String> l) {
        return new DrillOptions(profile, scenarios, rounds, busybox, workDir, l, seed);
    }
}
