package dev.redisgen.drill;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The drill of the Redis Cluster profiles for real (issue 8): one short round of each cluster scenario for
 * analytics-cluster (3 x 1, cluster-node-timeout 15 s, as rendered) and the 4 shards x 2 replicas test shape, the two
 * at once. Needs root or user namespaces and redis-server: skipped without them, failed under CI=true (as DrillTest).
 *
 * <p>partition proves the write fence (min-replicas-to-write, lifted by cluster-heal.sh where no replica can take over):
 * the cut master stops taking writes within cluster-node-timeout, no slot is served by two masters; volume-wipe proves
 * that the node that came back empty rejoins as a replica and that the old node id is forgotten on every node.
 *
 * <p>The class runs beside the rest of the suite (junit-platform.properties), its methods one after the other: the
 * targets it asserts allow for a loaded machine (liveness within 3 x the target). It never runs beside the other two
 * heavy live classes, DrillTest and ClusterScriptsLiveTest (the resource lock "heavy-live"): a CI run with helpers'
 * drills beside it (load average 10-25) missed scale targets.
 *
 * <p>A round that fails logs its timeline (Timeline: the cluster bus's failure detection and elections, the scripts' and
 * Jobs' lines, relative to the fault); every assertion about the round carries it, as in DrillTest.
 */
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock("heavy-live")
class ClusterDrillTest {
    static final String FOUR_BY_TWO = "app/src/test/resources/drill/cluster-4x2.yaml";

    static final List<Scenario> SCENARIOS = List.of(Scenario.BOOTSTRAP, Scenario.MASTER_KILL, Scenario.MASTER_PRESTOP, Scenario.REBOOT,
            Scenario.VOLUME_WIPE, Scenario.PARTITION, Scenario.BACKUP_RESTORE);

    /**
     * Safety strictly: no WAIT-confirmed write lost, never a slot served by two masters, the cluster settled after every
     * round, every key back where the scenario says so; liveness within 3 x the target (two clusters on 2 cores).
     */
    static void assertTargets(DrillReport r) {
        assertTargets(r, SCENARIOS);
    }

    static void assertTargets(DrillReport r, List<Scenario> scenarios) {
        System.out.print(r.table());
        assertThat(r.unavailable()).isNull();
        // Each result's own checks first: a failed bootstrap ends the drill, and its note says why.
        for (ScenarioResult s : r.results()) {
            String what = r.profile() + " " + s.scenario().id() + " round " + s.round();
            String story = s.note() + DrillTest.timeline(r, s);
            assertThat(s.lostConfirmed()).as("confirmed writes lost in %s: %s", what, story).isZero();
            assertThat(s.doubleMasterMoments()).as("a slot served by two masters in %s: %s", what, story).isZero();
            assertThat(s.settled()).as("%s settled afterwards: %s", what, story).isTrue();
            assertThat(s.writesConfirmed()).as("%s: writes confirmed by WAIT 1: %s", what, story).isPositive();
            assertThat(s.failoverSeconds()).as("%s: %s", what, story).isNotNull();
            assertThat(s.failoverSeconds()).as("%s within 3 x its %s s target: %s", what, s.targetSeconds(), story)
                    .isLessThanOrEqualTo(3 * s.targetSeconds());
            if (s.scenario() == Scenario.REBOOT || s.scenario() == Scenario.BACKUP_RESTORE || s.scenario() == Scenario.SCALE) {
                assertThat(s.lostAcknowledgedOnly()).as("every key back after %s: %s", what, story).isZero();
            }
            if (s.scenario() == Scenario.PARTITION) {
                assertThat(s.note()).as("%s: the cut master fenced in time: %s", what, story).contains("it took its last write")
                        .doesNotContain("past cluster-node-timeout");
            }
            if (s.scenario() == Scenario.BOOTSTRAP) {
                assertThat(s.note()).as(story).contains("re-run: exit 0, every node's CLUSTER NODES unchanged");
            }
        }
        assertThat(r.results()).extracting(ScenarioResult::scenario).containsExactlyElementsOf(scenarios);
    }

    @Test
    @Timeout(1500)
    @Execution(ExecutionMode.SAME_THREAD)
    void everyClusterScenarioMeetsItsTargetsForAnalyticsClusterAndFourByTwo() throws Exception {
        DrillTest.requireDrill();
        List<String> profiles = List.of("analytics-cluster", FOUR_BY_TWO);
        ExecutorService pool = Executors.newFixedThreadPool(profiles.size());
        List<CompletableFuture<DrillReport>> runs = profiles.stream()
                .map(p -> CompletableFuture.supplyAsync(() -> Drill.run(DrillOptions.of(p).withSeed(7L).withScenarios(SCENARIOS)
                        .withLog(DrillTest::log)), pool))
                .toList();
        pool.shutdown();
        for (CompletableFuture<DrillReport> run : runs) {
            assertTargets(run.get(1490, TimeUnit.SECONDS));
        }
    }

    /**
     * Scenario scale (issue 8 scenario 7), the two shapes at once (as the test above): out by one shard (new pods, the others
     * rolled, the new creation Job) and back in (the drain Job, the original output), writes flowing; balanced slots each
     * time (checked by the drill), every acknowledged key back, the longest write gap reported. One round each (the suite's
     * heavy classes add up to its 30 minutes): a second scale out, onto pods back with the volumes the first scale in
     * left (whenScaled: Retain), is the bench's (SCENARIOS=scale bench/drill-rounds.sh N analytics-cluster), and its
     * Job's path, a surplus replica reset into the new shard's master, ClusterScriptsLiveTest's.
     */
    @Test
    @Timeout(1800)
    @Execution(ExecutionMode.SAME_THREAD)
    void scalingOutByOneShardAndBackKeepsEveryKeyAndBalancesTheSlots() throws Exception {
        DrillTest.requireDrill();
        String[][] shapes = {{"analytics-cluster", "3", "4", "1"}, {FOUR_BY_TWO, "4", "5", "1"}};
        ExecutorService pool = Executors.newFixedThreadPool(shapes.length);
        List<CompletableFuture<DrillReport>> runs = java.util.Arrays.stream(shapes)
                .map(shape -> CompletableFuture.supplyAsync(() -> Drill.run(DrillOptions.of(shape[0]).withSeed(7L)
                        .withScenarios(List.of(Scenario.BOOTSTRAP, Scenario.SCALE)).withRounds(Integer.parseInt(shape[3]))
                        .withLog(DrillTest::log)), pool))
                .toList();
        pool.shutdown();
        for (int i = 0; i < shapes.length; i++) {
            String[] shape = shapes[i];
            DrillReport r = runs.get(i).get(1790, TimeUnit.SECONDS);
            List<Scenario> expected = new java.util.ArrayList<>(List.of(Scenario.BOOTSTRAP));
            expected.addAll(java.util.Collections.nCopies(Integer.parseInt(shape[3]), Scenario.SCALE));
            assertTargets(r, expected);
            for (ScenarioResult scale : r.results().subList(1, r.results().size())) {
                assertThat(scale.passed()).as(scale.note()).isTrue();
                assertThat(scale.note()).contains("scale out " + shape[1] + " -> " + shape[2] + " shards: settled and balanced",
                        "scale in " + shape[2] + " -> " + shape[1] + " shards: settled and balanced", "added", "drained");
                assertThat(scale.longestGapSeconds()).as(scale.note()).isNotNull();
            }
        }
    }

    /**
     * Day 2 (issue 10): analytics-cluster rolled to its next version (a newer image, so a new creation Job that runs during
     * the roll; maxmemory, maxclients, slowlog) and back, with writes flowing: every pod replaced highest ordinal first, the
     * masters handing over in their preStop, and then every node's CONFIG GET equal to what the output renders.
     */
    @Test
    @Timeout(900)
    @Execution(ExecutionMode.SAME_THREAD)
    void upgradeRollsTheClusterToTheNextProfileAndBack() {
        DrillTest.requireDrill();
        List<Scenario> scenarios = List.of(Scenario.BOOTSTRAP, Scenario.UPGRADE, Scenario.UPGRADE);
        DrillReport r = Drill.run(DrillOptions.of("analytics-cluster").withUpgradeTo("app/src/test/resources/drill/analytics-cluster-v2.yaml")
                .withScenarios(List.of(Scenario.BOOTSTRAP, Scenario.UPGRADE)).withRounds(2).withSeed(7L).withLog(DrillTest::log));
        assertTargets(r, scenarios);
        assertThat(r.results().get(1).note()).contains("rolled to --upgrade-to", "Job redis-cluster-create-", "succeeded",
                "running settings equal the rendered ones");
        assertThat(r.results().get(2).note()).contains("rolled to the first profile", "running settings equal the rendered ones");
        for (ScenarioResult s : r.results().subList(1, 3)) {
            assertThat(s.failoverSeconds()).as("longest write gap of a shard while rolling: %s", s.note() + DrillTest.timeline(r, s))
                    .isLessThanOrEqualTo(s.targetSeconds());
        }
    }

    /** TLS on every connection and on the cluster bus (analytics-cluster with {@code tls: {}}): the same targets as in plain text. */
    @Test
    @Timeout(600)
    @Execution(ExecutionMode.SAME_THREAD)
    void tlsMeetsTheSameTargets() {
        DrillTest.requireDrill();
        List<Scenario> scenarios = List.of(Scenario.BOOTSTRAP, Scenario.MASTER_KILL);
        assertTargets(Drill.run(DrillOptions.of("app/src/test/resources/drill/analytics-cluster-tls.yaml").withSeed(7L)
                .withScenarios(scenarios).withLog(DrillTest::log)), scenarios);
    }
}
