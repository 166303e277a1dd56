package dev.redisgen.conf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * split-brain-guard.sh for real, on loopback in ip mode: pods redis-0 (A, 127.0.0.21), redis-1 (B,
 * .22) and redis-2 (C, .23), three Sentinels (.31-.33, quorum 2) that monitor B, the legitimate
 * master with C as its replica. A is a second role:master, like an old master back from a
 * partition. Each test runs {@code split-brain-guard.sh --once} as one pod and checks both what
 * the Redis servers report afterwards and the log line the operator gets.
 */
class GuardLiveTest {

    static final String PASSWORD = ScriptsLiveTest.PASSWORD;
    static final String A = LoopbackPods.A;
    static final String B = LoopbackPods.B;
    static final String C = LoopbackPods.C;
    static final List<String> SENTINELS = LoopbackPods.SENTINELS;

    @TempDir
    Path tmp;

    int port;
    int sentinelPort;
    Path scripts;
    final List<Proc.Background> procs = new ArrayList<>();
    final Map<String, Proc.Background> redis = new HashMap<>();

    @BeforeEach
    void binaries() {
        Binaries.require("redis-server");
        Binaries.require("redis-sentinel");
        Binaries.require("redis-cli");
        port = Proc.freePort();
        sentinelPort = Proc.freePort();
        scripts = ScriptFiles.materialize(tmp.resolve("scripts"));
    }

    @AfterEach
    void killEverything() {
        for (Proc.Background p : procs) {
            p.close();
        }
    }

    // ---------------------------------------------------------------- setup

    static String confString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    Proc.Background start(List<String> command, Path log) {
        Proc.Background p = new Proc.Background(command, Map.of(), log);
        procs.add(p);
        return p;
    }

    void startRedis(String host) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("redis-" + host));
        Path conf = dir.resolve("redis.conf");
        Files.writeString(conf, String.join("\n",
                "bind " + host, "port " + port, "dir " + dir, "save \"\"", "appendonly no",
                "repl-diskless-sync-delay 0", "requirepass " + confString(PASSWORD),
                "masterauth " + confString(PASSWORD), ""));
        redis.put(host, start(List.of("redis-server", conf.toString()), dir.resolve("log")));
        awaitPong(host, port, PASSWORD);
    }

    void startSentinel(String host, String masterHost) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("sentinel-" + host));
        Path conf = dir.resolve("sentinel.conf");
        Files.writeString(conf, String.join("\n",
                "bind " + host, "port " + sentinelPort, "dir " + dir,
                "sentinel monitor mymaster " + masterHost + " " + port + " 2",
                "sentinel auth-pass mymaster " + confString(PASSWORD),
                // no failover while a test runs, whatever the test does to B
                "sentinel down-after-milliseconds mymaster 60000",
                "sentinel failover-timeout mymaster 180000", ""));
        start(List.of("redis-sentinel", conf.toString()), dir.resolve("log"));
        awaitPong(host, sentinelPort, null);
    }

    static void awaitPong(String host, int port, String password) {
        assertThat(Proc.await(Duration.ofSeconds(10), () -> "PONG".equals(Proc.cli(host, port, password, "PING"))))
                .as("%s:%d answers PING", host, port).isTrue();
    }

    /** A and B both role:master, C a replica of B; the given Sentinels (by index) up, monitoring B. */
    void splitBrain(int... sentinelsUp) throws Exception {
        startRedis(A);
        startRedis(B);
        startRedis(C);
        Proc.cli(C, port, PASSWORD, "REPLICAOF", B, Integer.toString(port));
        for (int i : sentinelsUp) {
            startSentinel(SENTINELS.get(i), B);
        }
        assertThat(Proc.await(Duration.ofSeconds(10), () -> linkUp(C, B))).as("C replicates B").isTrue();
        assertThat(info(A).get("role")).isEqualTo("master");
        assertThat(info(B).get("role")).isEqualTo("master");
    }

    Map<String, String> info(String host) {
        return LoopbackPods.info(host, port);
    }

    boolean linkUp(String replica, String master) {
        Map<String, String> i = info(replica);
        return "slave".equals(i.get("role")) && master.equals(i.get("master_host"))
               && Integer.toString(port).equals(i.get("master_port")) && "up".equals(i.get("master_link_status"));
    }

    // ---------------------------------------------------------------- the guard

    Map<String, String> env(int ordinal, String host) {
        Map<String, String> env = LoopbackPods.env(scripts, tmp.resolve("data-redis-" + ordinal), ordinal, host, port, sentinelPort);
        env.put("GUARD_CONFIRM_SECONDS", "1");
        return env;
    }

    List<String> command(String shell) {
        Path bin = Binaries.require(shell);
        String script = scripts.resolve("split-brain-guard.sh").toString();
        return shell.equals("busybox") ? List.of(bin.toString(), "sh", script, "--once")
                : List.of(bin.toString(), script, "--once");
    }

    /** {@code sh split-brain-guard.sh --once} as pod ORDINAL at HOST; returns its stderr (the log). */
    String guardOnce(String shell, int ordinal, String host) {
        Proc.Result r = Proc.run(command(shell), env(ordinal, host), Duration.ofSeconds(20));
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).doesNotContain(PASSWORD);
        return r.stderr();
    }

    String recorded(int ordinal) {
        Path f = tmp.resolve("data-redis-" + ordinal + "/.redisgen/last-master");
        try {
            return Files.exists(f) ? Files.readString(f) : null;
        } catch (java.io.IOException e) {
            return null; // being replaced (mv -f) this very moment
        }
    }

    void assertUntouchedMaster(String host) {
        Map<String, String> i = info(host);
        assertThat(i.get("role")).as("%s still master: %s", host, i).isEqualTo("master");
        assertThat(i).doesNotContainKey("master_host");
    }

    // ---------------------------------------------------------------- cases

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sh", "busybox"})
    void oldMasterRejoinsTheMasterTheSentinelsName(String shell) throws Exception {
        Binaries.require(shell);
        splitBrain(0, 1, 2);

        String log = guardOnce(shell, 0, A);

        assertThat(log).contains("redis-0]: ", "split brain", "3 of 3 Sentinels name " + B + ":" + port,
                "REPLICAOF " + B + " " + port);
        assertThat(Proc.await(Duration.ofSeconds(10), () -> linkUp(A, B))).as("A replicates B: %s", info(A)).isTrue();
        assertThat(recorded(0)).isEqualTo(B + " " + port + "\n");
        assertUntouchedMaster(B);
        assertThat(linkUp(C, B)).isTrue();

        // A second round on the now-replica: nothing more to do, the record stays.
        String again = guardOnce(shell, 0, A);
        assertThat(again).doesNotContain("REPLICAOF");
        assertThat(linkUp(A, B)).isTrue();
        assertThat(recorded(0)).isEqualTo(B + " " + port + "\n");
    }

    /** A replica that follows another master than the one the Sentinels name switches to the named one. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sh", "busybox"})
    void aReplicaOfTheWrongMasterFollowsTheMasterTheSentinelsName(String shell) throws Exception {
        Binaries.require(shell);
        splitBrain(0, 1, 2);
        Proc.cli(C, port, PASSWORD, "REPLICAOF", A, Integer.toString(port));
        assertThat(Proc.await(Duration.ofSeconds(10), () -> linkUp(C, A))).as("C replicates A").isTrue();

        String log = guardOnce(shell, 2, C);

        assertThat(log).contains("redis-2]: ", "wrong master suspected: this pod replicates " + A + ":" + port,
                "wrong master: this pod replicates " + A + ":" + port + " but 3 of 3 Sentinels name " + B + ":" + port,
                "REPLICAOF " + B + " " + port);
        assertThat(Proc.await(Duration.ofSeconds(10), () -> linkUp(C, B))).as("C replicates B: %s", info(C)).isTrue();
        assertThat(recorded(2)).isEqualTo(B + " " + port + "\n");
        assertUntouchedMaster(B);
        // The guard of a replica does not touch other pods: A stays what it was.
        assertUntouchedMaster(A);

        assertThat(guardOnce(shell, 2, C)).doesNotContain("REPLICAOF", "wrong master");
    }

    @Test
    void aReplicaOfTheWrongMasterWaitsForAMajority() throws Exception {
        splitBrain(1);
        Proc.cli(C, port, PASSWORD, "REPLICAOF", A, Integer.toString(port));

        String log = guardOnce("sh", 2, C);

        assertThat(log).contains("replica of " + A + ":" + port + ", but only 1 of 3 Sentinels name " + B + ":" + port,
                "not acting").doesNotContain("REPLICAOF");
        assertThat(Proc.await(Duration.ofSeconds(10), () -> linkUp(C, A))).isTrue();
        assertThat(recorded(2)).isNull();
    }

    @Test
    void aMajorityIsEnoughWhenOneSentinelIsDown() throws Exception {
        splitBrain(0, 2);

        String log = guardOnce("sh", 0, A);

        assertThat(log).contains("2 of 3 Sentinels name " + B + ":" + port, "REPLICAOF " + B + " " + port);
        assertThat(Proc.await(Duration.ofSeconds(10), () -> linkUp(A, B))).isTrue();
    }

    @Test
    void neverDemotesTheMasterTheSentinelsName() throws Exception {
        splitBrain(0, 1, 2);

        String log = guardOnce("sh", 1, B);

        assertThat(log).doesNotContain("REPLICAOF", "split brain");
        assertUntouchedMaster(B);
        assertThat(linkUp(C, B)).isTrue();
        assertUntouchedMaster(A);
        assertThat(recorded(1)).isEqualTo(B + " " + port + "\n");
        // Its replica only records the master it follows.
        assertThat(guardOnce("sh", 2, C)).doesNotContain("REPLICAOF");
        assertThat(linkUp(C, B)).isTrue();
        assertThat(recorded(2)).isEqualTo(B + " " + port + "\n");
    }

    @Test
    void doesNotActWhenNoSentinelAnswers() throws Exception {
        splitBrain();

        String log = guardOnce("sh", 0, A);

        assertThat(log).contains("no Sentinel answered (0 of 3)", "not acting").doesNotContain("REPLICAOF");
        assertUntouchedMaster(A);
        assertThat(recorded(0)).isNull();
    }

    @Test
    void doesNotActOnAMinorityOfSentinels() throws Exception {
        splitBrain(1);

        String log = guardOnce("sh", 0, A);

        assertThat(log).contains("only 1 of 3 Sentinels name " + B + ":" + port, "not acting")
                .doesNotContain("REPLICAOF");
        assertUntouchedMaster(A);
    }

    @Test
    void doesNotActWhileTheNamedMasterReportsReplica() throws Exception {
        splitBrain(0, 1, 2);
        // B turns replica (of A); the Sentinels still name B (no failover within down-after).
        Proc.cli(B, port, PASSWORD, "REPLICAOF", A, Integer.toString(port));

        String log = guardOnce("sh", 0, A);

        assertThat(log).contains("Sentinels name " + B + ":" + port + ", which reports role 'slave'", "waiting")
                .doesNotContain("REPLICAOF");
        assertUntouchedMaster(A);
        // B itself, named master but a replica: the Sentinels fail it over; the guard leaves it to them.
        assertThat(guardOnce("sh", 1, B)).contains("replica of " + A + ":" + port + ", but the Sentinels name this pod")
                .doesNotContain("REPLICAOF");
        assertThat(info(B).get("master_host")).isEqualTo(A);
    }

    @Test
    void doesNotActWhileTheNamedMasterIsUnreachable() throws Exception {
        splitBrain(0, 1, 2);
        redis.get(B).close();

        String log = guardOnce("sh", 0, A);

        assertThat(log).contains("Sentinels name " + B + ":" + port + ", which reports role 'unreachable'", "waiting")
                .doesNotContain("REPLICAOF");
        assertUntouchedMaster(A);
    }

    /**
     * A freshly promoted master whose Sentinels still name the old (alive) master for a moment: the
     * guard confirms after GUARD_CONFIRM_SECONDS before it acts, and by then the Sentinels name A.
     */
    @Test
    void doesNotDemoteAFreshlyPromotedMasterTheSentinelsCatchUpWith() throws Exception {
        splitBrain(0, 1, 2);
        Map<String, String> env = env(0, A);
        env.put("GUARD_CONFIRM_SECONDS", "4");
        Path log = tmp.resolve("guard.log");
        try (Proc.Background guard = new Proc.Background(command("sh"), env, log)) {
            assertThat(Proc.await(Duration.ofSeconds(10), () -> guard.logText().contains("confirming in 4s")))
                    .as(guard.logText()).isTrue();
            // The Sentinels learn the promotion of A (what a failover's new config does).
            for (String s : SENTINELS) {
                Proc.cli(s, sentinelPort, null, "SENTINEL", "REMOVE", "mymaster");
                Proc.cli(s, sentinelPort, null, "SENTINEL", "MONITOR", "mymaster", A, Integer.toString(port), "2");
                Proc.cli(s, sentinelPort, null, "SENTINEL", "SET", "mymaster", "auth-pass", PASSWORD);
            }
            assertThat(Proc.await(Duration.ofSeconds(15), () -> !guard.process.isAlive())).isTrue();
            assertThat(guard.process.exitValue()).isZero();
            assertThat(guard.logText()).contains("split brain not confirmed; not acting")
                    .doesNotContain("REPLICAOF " + B, PASSWORD);
        }
        assertUntouchedMaster(A);
        assertThat(recorded(0)).isEqualTo(A + " " + port + "\n");
    }

    // ---------------------------------------------------------------- the record for the next start

    /**
     * The Sentinels promote and repoint pods without telling them; the running guard records the role
     * within a second or two, not after GUARD_INTERVAL_SECONDS. A pod restarted while no Sentinel
     * answers decides from that record (redisgen drill, scenario reboot: a promotion 8 s before every
     * pod stopped was not recorded, every pod started as a replica of another, and the Sentinels
     * promoted one with less data than the master that had stopped last).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sh", "busybox"})
    void theRunningGuardRecordsAPromotionWithinSeconds(String shell) throws Exception {
        Path bin = Binaries.require(shell);
        splitBrain();
        Map<String, String> env = env(2, C);
        env.put("GUARD_INTERVAL_SECONDS", "600");
        String script = scripts.resolve("split-brain-guard.sh").toString();
        List<String> loop = shell.equals("busybox") ? List.of(bin.toString(), "sh", script) : List.of(bin.toString(), script);
        try (Proc.Background guard = new Proc.Background(loop, env, tmp.resolve("guard-loop.log"))) {
            assertThat(Proc.await(Duration.ofSeconds(10), () -> (B + " " + port + "\n").equals(recorded(2))))
                    .as("C records the master it follows; log:%n%s", guard.logText()).isTrue();
            // A Sentinel promotes C (what a failover's leader sends): the record follows at once.
            assertThat(Proc.cli(C, port, PASSWORD, "REPLICAOF", "NO", "ONE")).isEqualTo("OK");
            long t0 = System.nanoTime();
            assertThat(Proc.await(Duration.ofSeconds(10), () -> (C + " " + port + "\n").equals(recorded(2))))
                    .as("C records itself as master; log:%n%s", guard.logText()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
            // And repointed at A.
            assertThat(Proc.cli(C, port, PASSWORD, "REPLICAOF", A, Integer.toString(port))).isEqualTo("OK");
            assertThat(Proc.await(Duration.ofSeconds(5), () -> (A + " " + port + "\n").equals(recorded(2))))
                    .as("C records A; log:%n%s", guard.logText()).isTrue();
            assertThat(guard.logText()).doesNotContain(PASSWORD);
        }
    }

    /** prestop.sh records the role the pod stops in, whatever the guard last saw. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sh", "busybox"})
    void prestopRecordsTheRoleThePodStopsIn(String shell) throws Exception {
        Path bin = Binaries.require(shell);
        splitBrain();
        Path stateA = Files.createDirectories(tmp.resolve("data-redis-0/.redisgen"));
        Files.writeString(stateA.resolve("last-master"), C + " " + port + "\n");
        String script = scripts.resolve("prestop.sh").toString();
        List<String> cmd = shell.equals("busybox") ? List.of(bin.toString(), "sh", script) : List.of(bin.toString(), script);

        // A master without an online replica stops as master: it records itself over the stale record.
        Proc.Result a = Proc.run(cmd, env(0, A), Duration.ofSeconds(30));
        assertThat(a.exitCode()).as(a.stderr()).isZero();
        assertThat(a.stderr()).contains("master without an online replica").doesNotContain(PASSWORD);
        assertThat(recorded(0)).isEqualTo(A + " " + port + "\n");
        assertThat(stateA.resolve("stopped-as-master")).as("the mark of a master's stop").exists();

        // A replica records the master it follows, and leaves no mark.
        Proc.Result c = Proc.run(cmd, env(2, C), Duration.ofSeconds(30));
        assertThat(c.exitCode()).as(c.stderr()).isZero();
        assertThat(recorded(2)).isEqualTo(B + " " + port + "\n");
        assertThat(tmp.resolve("data-redis-2/.redisgen/stopped-as-master")).doesNotExist();
    }
}
