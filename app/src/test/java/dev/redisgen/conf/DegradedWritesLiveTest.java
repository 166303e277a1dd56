package dev.redisgen.conf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Degraded writes (split-brain-guard.sh "degraded writes") for real, on the loopback pods of
 * {@link FenceLiveTest} (its setup: the rendered config with min-replicas-to-write 1 in CONFIG_DIR, the
 * runtime copy in RUN_DIR, real redis-server and redis-sentinel): the guard of pod A runs as in a pod, in
 * its loop, while A is a master without a replica and three Sentinels name it. A takes writes without a
 * replica (min-replicas-to-write 0) only while every condition holds, and each condition's loss puts the
 * rendered value back within about two seconds (one look a second; a Sentinel is asked for at most 1 s).
 */
class DegradedWritesLiveTest {

    static final String PASSWORD = ScriptsLiveTest.PASSWORD;
    static final String A = LoopbackPods.A;
    static final String B = LoopbackPods.B;
    static final String C = LoopbackPods.C;
    static final List<String> SENTINELS = LoopbackPods.SENTINELS;
    /**
     * One look a second, a Sentinel asked for at most 1 s: about 2 s. What the design needs is less than down-after
     * (5 s in every built-in profile, the earliest the Sentinels on the other side of a partition can promote); the
     * bound leaves room for a loaded machine (2.9 s once in CI at load average 40-60, busybox).
     */
    static final Duration RESTORED_WITHIN = Duration.ofMillis(3500);

    @TempDir
    Path tmp;

    final FenceLiveTest pods = new FenceLiveTest();
    Proc.Background guard;

    @BeforeEach
    void setUp() {
        pods.tmp = tmp;
        pods.binaries();
    }

    @AfterEach
    void tearDown() {
        pods.killEverything();
    }

    // ---------------------------------------------------------------- setup

    /** The guard of pod A in its loop, under SHELL (guard_once out of the way: it is not under test here). */
    void startGuard(String shell) {
        Map<String, String> env = pods.env(0, A);
        env.put("GUARD_INTERVAL_SECONDS", "600");
        guard = pods.start(pods.command(shell, "split-brain-guard.sh"), env, tmp.resolve("guard.log"));
    }

    /**
     * The guard's log once it holds every one of TEXTS, as an assertion that it does: the guard logs a change just after
     * making it, so a test that saw the new value may read the log a moment before the line is there (a CI run did).
     */
    org.assertj.core.api.AbstractStringAssert<?> logHolding(String... texts) {
        Proc.await(Duration.ofSeconds(3), () -> java.util.Arrays.stream(texts).allMatch(guard.logText()::contains));
        return assertThat(guard.logText()).contains(texts);
    }

    String value() {
        return pods.minReplicas(A);
    }

    /** A master without a replica, three Sentinels naming it, its guard running: it takes writes without a replica. */
    void degradedMaster(String shell) throws Exception {
        Binaries.require(shell);
        pods.startRedis(A, null, false);
        assertThat(pods.write(A, "fenced")).startsWith("NOREPLICAS");
        pods.sentinelsMonitor(A, 3);
        startGuard(shell);
        awaitValue("0", Duration.ofSeconds(10), "A takes writes without a replica");
        logHolding("redis-0]: ", "degraded writes: no replica online and a Sentinel majority names"
                + " this pod master; taking writes without a replica (min-replicas-to-write 0");
        assertThat(pods.write(A, "degraded")).isEqualTo("OK");
        assertThat(Proc.cli(A, port(), PASSWORD, "WAIT", "1", "100")).as("no replica confirms it").isEqualTo("0");
    }

    int port() {
        return pods.port;
    }

    void awaitValue(String expected, Duration within, String what) {
        assertThat(Proc.await(within, () -> expected.equals(value())))
                .as("%s: min-replicas-to-write %s within %s, is %s; guard log:%n%s", what, expected, within, value(),
                        guard.logText()).isTrue();
    }

    /** Waits for the rendered value once CAUSE holds (polled from now), and checks it came within RESTORED_WITHIN. */
    void assertRestoredSoonAfter(BooleanSupplier cause, String what) {
        assertThat(Proc.await(Duration.ofSeconds(15), cause)).as("%s happens", what).isTrue();
        long t0 = System.nanoTime();
        awaitValue(FenceLiveTest.RENDERED, Duration.ofSeconds(15), what);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertThat(took).as("%s: the fence is back within %s; guard log:%n%s", what, RESTORED_WITHIN, guard.logText())
                .isLessThan(RESTORED_WITHIN);
        logHolding("degraded writes end: ").doesNotContain(PASSWORD);
    }

    /** The value stays EXPECTED for HOLD (checked every 200 ms). */
    void assertStays(String expected, Duration hold, String what) {
        long end = System.nanoTime() + hold.toNanos();
        while (System.nanoTime() < end) {
            assertThat(value()).as("%s; guard log:%n%s", what, guard.logText()).isEqualTo(expected);
            RestartDecisionLiveTest.sleep(200);
        }
    }

    // ---------------------------------------------------------------- cases

    /** The way out in every double fault: the restarting pod comes back as a replica; when it is gone again, so is the fence. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sh", "busybox"})
    void aReplicaComingOnlineEndsDegradedWrites(String shell) throws Exception {
        degradedMaster(shell);

        pods.startRedis(C, A, false);
        assertRestoredSoonAfter(() -> pods.linkUp(C, A), "a replica online");
        logHolding("degraded writes end: 1 replica(s) online; min-replicas-to-write 1 again");
        assertThat(Proc.await(Duration.ofSeconds(5), () -> "OK".equals(pods.write(A, "replicated")))).isTrue();
        assertThat(Proc.cli(A, port(), PASSWORD, "WAIT", "1", "2000")).as("C confirms writes again").isEqualTo("1");
        assertThat(Proc.cli(C, port(), PASSWORD, "GET", "k")).as("C holds what A took while degraded and after")
                .isEqualTo("replicated");

        // The replica gone again: degraded again.
        pods.redis.get(C).close();
        awaitValue("0", Duration.ofSeconds(10), "no replica online again");
        assertThat(pods.write(A, "alone")).isEqualTo("OK");
    }

    /**
     * A partitioned master: Sentinels that take the connection but never answer (SIGSTOP, as a blackhole
     * does). With only one of three answering, the fence is back within about two seconds, long before
     * any down-after; it stays while they are away, and goes once they answer again.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sh", "busybox"})
    void losingTheSentinelMajorityRestoresTheFence(String shell) throws Exception {
        degradedMaster(shell);
        List<Long> stopped = List.of(pods.sentinels.get(SENTINELS.get(1)).process.pid(),
                pods.sentinels.get(SENTINELS.get(2)).process.pid());

        try {
            stopped.forEach(pid -> FenceLiveTest.signal("STOP", pid));
            assertRestoredSoonAfter(() -> true, "two of three Sentinels stop answering");
            logHolding("degraded writes end: only 1 of 3 Sentinels name this pod master and see it up");
            assertThat(pods.write(A, "cut off")).startsWith("NOREPLICAS");
            assertStays(FenceLiveTest.RENDERED, Duration.ofSeconds(3), "no majority, no degraded writes");
        } finally {
            stopped.forEach(pid -> FenceLiveTest.signal("CONT", pid));
        }
        awaitValue("0", Duration.ofSeconds(10), "the majority answers again");
    }

    /** One Sentinel names another pod (a failover the others have not heard of yet): two still naming A are not enough. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sh", "busybox"})
    void aSentinelNamingAnotherPodRestoresTheFence(String shell) throws Exception {
        degradedMaster(shell);
        // B a replica (of C, not running): a master B would end degraded writes for another reason (below).
        pods.startRedis(B, C, false);
        String s = SENTINELS.get(2);

        Proc.cli(s, pods.sentinelPort, null, "SENTINEL", "REMOVE", "mymaster");
        Proc.cli(s, pods.sentinelPort, null, "SENTINEL", "MONITOR", "mymaster", B, Integer.toString(port()), "2");
        Proc.cli(s, pods.sentinelPort, null, "SENTINEL", "SET", "mymaster", "auth-pass", PASSWORD);

        assertRestoredSoonAfter(() -> true, "a Sentinel names B");
        logHolding("degraded writes end: a Sentinel names another master or fails this pod over: "
                + B + ":" + port());
        assertStays(FenceLiveTest.RENDERED, Duration.ofSeconds(3), "while a Sentinel names B");
    }

    /**
     * One Sentinel sees A down and fails it over (its quorum 1, a wrong password: A's answers are not
     * valid for it), while the two others still see A up and name it: a majority, and yet the fence
     * comes back as soon as that Sentinel reports o_down / failover_in_progress. No replica, so each of its
     * failovers aborts (no good replica) and it tries again; A stays master.
     */
    @Test
    void aSentinelFailingThisPodOverRestoresTheFence() throws Exception {
        degradedMaster("sh");
        String s = SENTINELS.get(0);
        Proc.cli(s, pods.sentinelPort, null, "SENTINEL", "SET", "mymaster", "quorum", "1");
        Proc.cli(s, pods.sentinelPort, null, "SENTINEL", "SET", "mymaster", "down-after-milliseconds", "1000");
        Proc.cli(s, pods.sentinelPort, null, "SENTINEL", "SET", "mymaster", "auth-pass", "not-the-password");

        assertRestoredSoonAfter(() -> {
            String flags = pods.sentinelField(s, "flags");
            return flags != null && (flags.contains("o_down") || flags.contains("failover"));
        }, "a Sentinel fails A over");
        assertThat(guard.logText()).containsPattern("degraded writes end: a Sentinel names another master or fails this pod over: "
                + "this-pod\\([a-z_,]*(o_down|failover_in_progress)");
        assertThat(pods.sentinelField(SENTINELS.get(1), "flags")).as("the others see A up").isEqualTo("master");
        assertStays(FenceLiveTest.RENDERED, Duration.ofSeconds(3), "while a Sentinel fails A over");
        assertThat(pods.info(A).get("role")).isEqualTo("master");
    }

    /** A degraded master turned replica (what a Sentinel or the guard does to an old master) gets the rendered value at once. */
    @Test
    void aMasterTurnedReplicaGetsTheRenderedValueBack() throws Exception {
        degradedMaster("sh");

        // Of C, not running: a master B would end degraded writes for another reason (below).
        assertThat(Proc.cli(A, port(), PASSWORD, "REPLICAOF", C, Integer.toString(port()))).isEqualTo("OK");
        assertRestoredSoonAfter(() -> true, "A turned replica");
        logHolding("degraded writes end: this pod is not a master; min-replicas-to-write 1 again");
    }

    /**
     * The Sentinels' fence is never lowered: a frozen degraded master gets the +sdown fence queued in its
     * socket (what sentinel-notify.sh sends), and when it resumes it refuses writes; only fence_once lifts
     * the fence (the Sentinels agree A is still the master), and degraded writes come back after that.
     */
    @Test
    void theSentinelsFenceOnAResumedDegradedMasterIsLiftedOnlyByFenceOnce() throws Exception {
        degradedMaster("sh");
        long pid = pods.redis.get(A).process.pid();

        try (FenceLiveTest.Resp sentinel = new FenceLiveTest.Resp(A, port())) {
            FenceLiveTest.signal("STOP", pid);
            try {
                // AUTH and the fence in A's socket together, as sentinel-notify.sh queues them (redis_queue).
                sentinel.send("AUTH", PASSWORD);
                sentinel.send("CONFIG", "SET", "min-replicas-to-write", FenceLiveTest.FENCE);
                RestartDecisionLiveTest.sleep(1500);
            } finally {
                FenceLiveTest.signal("CONT", pid);
            }
            assertThat(sentinel.readLine()).isEqualTo("+OK");
            assertThat(sentinel.readLine()).as("the fence lands as A resumes").isEqualTo("+OK");
        }
        assertThat(pods.write(A, "after the fence")).startsWith("NOREPLICAS");
        awaitValue("0", Duration.ofSeconds(15), "degraded again once the fence is lifted");
        String log = guard.logText();
        int lifted = log.indexOf("write fence lifted: the Sentinels agree this pod is still the master");
        int degradedAgain = log.indexOf("degraded writes: ", log.indexOf("degraded writes: ") + 1);
        assertThat(lifted).as(log).isPositive();
        assertThat(degradedAgain).as("degraded again only after fence_once lifted the fence:%n%s", log).isGreaterThan(lifted);
    }

    /**
     * Another pod reports role master (the promoted pod of a hand-over whose leading Sentinel forgot it,
     * found by the upgrade drill): the Sentinels still naming A are not enough.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sh", "busybox"})
    void anotherPodReportingMasterRestoresTheFence(String shell) throws Exception {
        degradedMaster(shell);
        pods.startRedis(B, null, false);

        assertRestoredSoonAfter(() -> "master".equals(pods.info(B).get("role")), "B reports role master");
        logHolding("degraded writes end: another pod reports role master: " + B
                + "; min-replicas-to-write 1 again");
        assertStays(FenceLiveTest.RENDERED, Duration.ofSeconds(3), "while B reports role master");
        assertThat(pods.write(A, "beside another master")).startsWith("NOREPLICAS");

        pods.redis.get(B).close();
        awaitValue("0", Duration.ofSeconds(10), "B gone");
    }

    /** A pod whose preStop has begun (the mark it leaves) never takes writes degraded: the guard puts the fence back. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sh", "busybox"})
    void aStoppingMasterGetsTheFenceBack(String shell) throws Exception {
        degradedMaster(shell);
        Path mark = tmp.resolve("data-redis-0/.redisgen/stopping");
        java.nio.file.Files.createDirectories(mark.getParent());
        java.nio.file.Files.writeString(mark, "2026-12-03T00:00:00Z\n");

        assertRestoredSoonAfter(() -> true, "the preStop mark");
        logHolding("degraded writes end: this pod is stopping (its preStop began 2026-12-03T00:00:00Z)");
        assertStays(FenceLiveTest.RENDERED, Duration.ofSeconds(3), "while the pod stops");
    }

    /** prestop.sh itself puts the fence back on a degraded master, first thing, and leaves the mark that keeps it. */
    @Test
    void preStopPutsTheFenceBackAtOnce() throws Exception {
        degradedMaster("sh");
        Proc.Result r = Proc.run(pods.command("sh", "prestop.sh"), pods.env(0, A), Duration.ofSeconds(30));
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(value()).as("right after prestop.sh: %s", r.all()).isEqualTo(FenceLiveTest.RENDERED);
        // Either prestop.sh's own fence_back, or the guard's next look that found the mark, was first.
        assertThat(r.all() + guard.logText()).contains("degraded writes end: this pod is stopping");
        assertThat(tmp.resolve("data-redis-0/.redisgen/stopping")).exists();
        assertStays(FenceLiveTest.RENDERED, Duration.ofSeconds(3), "after the preStop");
        assertThat(pods.write(A, "stopping")).startsWith("NOREPLICAS");
    }

    /**
     * A down-after shorter than the guard needs to put the fence back after a partition (4 s): the Sentinels on the
     * other side could promote another pod while this one still took writes degraded, so it never does.
     */
    @Test
    void neverWithADownAfterShorterThanTheGuardNeeds() throws Exception {
        pods.startRedis(A, null, false);
        pods.sentinelsMonitor(A, 3);
        java.nio.file.Files.writeString(java.nio.file.Path.of(pods.env(0, A).get("CONFIG_DIR")).resolve("sentinel.conf"),
                "sentinel monitor mymaster @MASTER_HOST@ " + port() + " 2\nsentinel down-after-milliseconds mymaster 3000\n");
        startGuard("sh");
        assertStays(FenceLiveTest.RENDERED, Duration.ofSeconds(4), "down-after 3000 ms");
        assertThat(pods.write(A, "fenced")).startsWith("NOREPLICAS");
        logHolding("degraded writes off: down-after-milliseconds 3000 is shorter than the 4000 ms")
                .doesNotContain("degraded writes: ");
    }

    /** Without a Sentinel majority naming it from the start    /** Without a Sentinel majority naming it from the start, a master without a replica never takes writes. */
    @Test
    void neverWithoutAMajority() throws Exception {
        pods.startRedis(A, null, false);
        pods.sentinelsMonitor(A, 1);
        startGuard("sh");
        assertStays(FenceLiveTest.RENDERED, Duration.ofSeconds(4), "1 of 3 Sentinels");
        assertThat(pods.write(A, "fenced")).startsWith("NOREPLICAS");
        assertThat(guard.logText()).doesNotContain("degraded writes");
    }
}
