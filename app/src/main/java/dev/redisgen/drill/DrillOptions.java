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
 * @param upgradeTo the profile (name or file) scenario upgrade rolls to, and back in the next round; null: no
 *                  upgrade scenario (the default set of scenarios then leaves it out)
 */
public record DrillOptions(String profile, List<Scenario> scenarios, int rounds, boolean busybox, Path workDir,
                           java.util.function.Consumer<String> log, Long seed, String upgradeTo) {
    public DrillOptions {
        if (scenarios == null || scenarios.isEmpty()) {
            scenarios = defaults(upgradeTo);
        } else {
            scenarios = List.copyOf(scenarios);
        }
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be >= 1");
        }
        if (upgradeTo == null && scenarios.contains(Scenario.UPGRADE)) {
            throw new IllegalArgumentException("scenario upgrade needs --upgrade-to: the profile to roll to");
        }
    }

    public DrillOptions(String profile, List<Scenario> scenarios, int rounds, boolean busybox, Path workDir,
                        java.util.function.Consumer<String> log, Long seed) {
        this(profile, scenarios, rounds, busybox, workDir, log, seed, null);
    }

    public DrillOptions(String profile, List<Scenario> scenarios, int rounds, boolean busybox, Path workDir,
                        java.util.function.Consumer<String> log) {
        this(profile, scenarios, rounds, busybox, workDir, log, null, null);
    }

    public static DrillOptions of(String profile) {
        return new DrillOptions(profile, List.of(), 1, false, null, null, null, null);
    }

    /** Every scenario, upgrade only when there is a profile to roll to. */
    private static List<Scenario> defaults(String upgradeTo) {
        return java.util.Arrays.stream(Scenario.values()).filter(s -> s != Scenario.UPGRADE || upgradeTo != null).toList();
    }

    /** Rolls to TO in scenario upgrade (and adds it to the default scenarios). */
    public DrillOptions withUpgradeTo(String to) {
        boolean all = scenarios.equals(defaults(upgradeTo));
        return new DrillOptions(profile, all ? List.of() : scenarios, rounds, busybox, workDir, log, seed, to);
    }

    public DrillOptions withSeed(Long s) {
        return new DrillOptions(profile, scenarios, rounds, busybox, workDir, log, s, upgradeTo);
    }

    public DrillOptions withScenarios(List<Scenario> s) {
        return new DrillOptions(profile, s, rounds, busybox, workDir, log, seed, upgradeTo);
    }

    public DrillOptions withRounds(int r) {
        return new DrillOptions(profile, scenarios, r, busybox, workDir, log, seed, upgradeTo);
    }

    public DrillOptions withBusybox(boolean b) {
        return new DrillOptions(profile, scenarios, rounds, b, workDir, log, seed, upgradeTo);
    }

    public DrillOptions withLog(java.util.function.Consumer<String> l) {
        return new DrillOptions(profile, scenarios, rounds, busybox, workDir, l, seed, upgradeTo);
    }
}
