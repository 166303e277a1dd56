package dev.redisgen.conf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
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
 * redis-start.sh on a restart (common.sh {@code start_decide}), for real, on loopback in ip mode:
 * pods redis-0 (A, 127.0.0.21), redis-1 (B, .22), redis-2 (C, .23), three Sentinels (.31-.33). The pod
 * under test runs {@code sh redis-start.sh} (GUARD_ENABLED=false) with its own CONFIG_DIR, DATA_DIR
 * and RUN_DIR; the other pods are plain redis-server processes in the role a test needs. The
 * Sentinels never fail over (down-after 60000) unless a test makes them see a master down. A
 * restarted master waits only for replicas that hold replicated data (offset &gt; 0): the tests of
 * the wait let them sync from A and take a write before A's redis-server stops; a replica that never
 * synced (every pod's first start) must not make it wait.
 */
class RestartDecisionLiveTest {

    static final String PASSWORD = ScriptsLiveTest.PASSWORD;
    static final String A = LoopbackPods.A;
    static final String B = LoopbackPods.B;
    static final String C = LoopbackPods.C;
    static final List<String> SENTINELS = LoopbackPods.SENTINELS;
    static final List<String> PODS = LoopbackPods.PODS;

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

    Proc.Background start(List<String> command, Map<String, String> env, Path log) {
        Proc.Background p = new Proc.Background(command, env, log);
        procs.add(p);
        return p;
    }

    Path podDir(String host) {
        return tmp.resolve("pod-" + host);
    }

    /** The rendered redis.conf of pod HOST (min-replicas-to-write 1) in its CONFIG_DIR; returns the text. */
    String renderConfig(String host) throws Exception {
        Path config = Files.createDirectories(podDir(host).resolve("config"));
        Path data = Files.createDirectories(podDir(host).resolve("data"));
        String rendered = RedisConf.render(new RedisConfSpec(port, List.of(), null, null, "noeviction", 1, false, 1000,
                10000, 300, new RedisConfSpec.Replication(1, 2), null, null))
                .replace("bind * -::*", "bind " + host).replace("\ndir /data\n", "\ndir " + data + "\n");
        Files.writeString(config.resolve("redis.conf"), rendered);
        return rendered;
    }

    /** Another pod as a plain redis-server: a master, or a replica of REPLICA_OF (its link down while that is not up). */
    void startPeer(String host, String replicaOf) throws Exception {
        String conf = renderConfig(host)
                      + "requirepass " + GuardLiveTest.confString(PASSWORD) + "\n"
                      + "masterauth " + GuardLiveTest.confString(PASSWORD) + "\n"
                      + (replicaOf == null ? "" : "replicaof " + replicaOf + " " + port + "\n");
        Path file = Files.createDirectories(podDir(host).resolve("run")).resolve("redis.conf");
        Files.writeString(file, conf);
        redis.put(host, start(List.of("redis-server", file.toString()), Map.of(), podDir(host).resolve("log")));
        GuardLiveTest.awaitPong(host, port, PASSWORD);
        assertThat(role(host)).isEqualTo(replicaOf == null ? "master" : "slave");
    }

    /**
     * Sentinels .31-.33 monitoring MASTER; with AUTH false they have no auth-pass, so they never see a
     * password-protected master answer their PINGs (it stays down for them while it is up for the pods).
     */
    void startSentinels(String master, int quorum, int downAfterMillis, boolean auth) throws Exception {
        for (String s : SENTINELS) {
            Path dir = Files.createDirectories(tmp.resolve("sentinel-" + s));
            Path conf = dir.resolve("sentinel.conf");
            List<String> lines = new ArrayList<>(List.of(
                    "bind " + s, "port " + sentinelPort, "dir " + dir,
                    "sentinel monitor mymaster " + master + " " + port + " " + quorum,
                    "sentinel down-after-milliseconds mymaster " + downAfterMillis,
                    "sentinel failover-timeout mymaster 180000"));
            if (auth) {
                lines.add("sentinel auth-pass mymaster " + GuardLiveTest.confString(PASSWORD));
            }
            lines.add("");
            Files.writeString(conf, String.join("\n", lines));
            start(List.of("redis-sentinel", conf.toString()), Map.of(), dir.resolve("log"));
        }
        for (String s : SENTINELS) {
            GuardLiveTest.awaitPong(s, sentinelPort, null);
            assertThat(Proc.cli(s, sentinelPort, null, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", "mymaster"))
                    .isEqualTo(master + "\n" + port);
        }
    }

    String sentinelFlags(String sentinel) {
        return java.util.Objects.requireNonNullElse(LoopbackPods.sentinelMasterField(sentinel, sentinelPort, "flags"), "");
    }

    Map<String, String> env(int ordinal) {
        String host = PODS.get(ordinal);
        Map<String, String> env = LoopbackPods.env(scripts, podDir(host).resolve("data"), ordinal, host, port, sentinelPort);
        env.put("CONFIG_DIR", podDir(host).resolve("config").toString());
        env.put("RUN_DIR", podDir(host).resolve("run").toString());
        env.put("LOCAL_SENTINEL_HOST", SENTINELS.get(ordinal));
        env.put("GUARD_ENABLED", "false");
        env.put("DNS_WAIT_SECONDS", "5");
        return env;
    }

    /** {@code sh redis-start.sh} as pod ORDINAL, in the background (it execs redis-server). */
    Proc.Background startPod(String shell, int ordinal, Map<String, String> extraEnv) throws Exception {
        String host = PODS.get(ordinal);
        renderConfig(host);
        Path bin = Binaries.require(shell);
        String script = scripts.resolve("redis-start.sh").toString();
        Map<String, String> env = env(ordinal);
        env.putAll(extraEnv);
        Proc.Background pod = start(shell.equals("busybox") ? List.of(bin.toString(), "sh", script)
                : List.of(bin.toString(), script), env, podDir(host).resolve("start.log"));
        redis.put(host, pod);
        return pod;
    }

    Map<String, String> info(String host) {
        return LoopbackPods.info(host, port);
    }

    String role(String host) {
        return info(host).get("role");
    }

    boolean linkUp(String replica, String master) {
        Map<String, String> i = info(replica);
        return "slave".equals(i.get("role")) && master.equals(i.get("master_host")) && "up".equals(i.get("master_link_status"));
    }

    /** True when something accepts TCP connections on HOST:PORT. */
    boolean listening(String host) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    boolean pong(String host) {
        return "PONG".equals(Proc.cli(host, port, PASSWORD, "PING"));
    }

    /** Waits for LINE in the pod's log, then checks that Redis stays down (and the script alive) for HOLD. */
    void assertWaits(Proc.Background pod, String host, String line, Duration hold) {
        assertThat(Proc.await(Duration.ofSeconds(15), () -> pod.logText().contains(line)))
                .as("log of %s:%n%s", host, pod.logText()).isTrue();
        long end = System.nanoTime() + hold.toNanos();
        while (System.nanoTime() < end) {
            assertThat(listening(host)).as("Redis of %s must not run while it waits; log:%n%s", host, pod.logText()).isFalse();
            assertThat(pod.process.isAlive()).as("redis-start.sh keeps waiting; log:%n%s", pod.logText()).isTrue();
            sleep(200);
        }
        assertThat(pod.logText()).doesNotContain("decision:", "starting redis-server");
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    String runtimeConf(String host) throws IOException {
        return Files.readString(podDir(host).resolve("run/redis.conf"));
    }

    /**
     * What a crashed master leaves behind: A as a plain master, REPLICAS synced from it (link up) and
     * holding a key it took (replication offset &gt; 0, at least A's at that write), then A's redis-server stopped. The
     * replicas keep answering as replicas of A with their link down. A had no RDB/AOF: it comes back empty.
     */
    void replicasHoldingDataOfAStoppedMaster(String... replicas) throws Exception {
        startPeer(A, null);
        for (String r : replicas) {
            startPeer(r, A);
        }
        for (String r : replicas) {
            assertThat(Proc.await(Duration.ofSeconds(10), () -> linkUp(r, A))).as("%s syncs from A: %s", r, info(r)).isTrue();
        }
        // min-replicas-to-write 1: A takes the write once a replica's ack counts it good.
        assertThat(Proc.await(Duration.ofSeconds(10), () -> !"0".equals(info(A).getOrDefault("min_slaves_good_slaves", "0"))))
                .as("A counts a good replica: %s", info(A)).isTrue();
        assertThat(Proc.cli(A, port, PASSWORD, "SET", "k", "written-before-the-crash")).isEqualTo("OK");
        String offset = info(A).get("master_repl_offset");
        assertThat(Long.parseLong(offset)).isPositive();
        for (String r : replicas) {
            assertThat(Proc.await(Duration.ofSeconds(10), () -> offset.equals(info(r).get("master_repl_offset"))))
                    .as("%s holds A's data up to offset %s: %s", r, offset, info(r)).isTrue();
        }
        redis.get(A).close();
        assertThat(Proc.await(Duration.ofSeconds(10), () -> !listening(A))).as("A's redis-server stopped").isTrue();
        for (String r : replicas) {
            Map<String, String> i = info(r);
            assertThat(i.get("role")).as("%s: %s", r, i).isEqualTo("slave");
            assertThat(i.get("master_host")).isEqualTo(A);
            // At least A's offset (its shutdown sends a last REPLCONF GETACK down the stream).
            assertThat(Long.parseLong(i.get("master_repl_offset"))).as("%s: %s", r, i).isGreaterThanOrEqualTo(Long.parseLong(offset));
            assertThat(Proc.cli(r, port, PASSWORD, "GET", "k")).isEqualTo("written-before-the-crash");
        }
    }

    String waitingForReplicas(String source, int count) {
        return "waiting (0 s): the " + source + " name this pod master, but " + count + " replica(s) hold data this pod may not have ("
               + B + " offset ";
    }

    // ---------------------------------------------------------------- a restarted master

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sh", "busybox"})
    void aRestartedMasterWaitsWhileAReplicaAnswersAndStartsOnceNoneDoes(String shell) throws Exception {
        Binaries.require(shell);
        replicasHoldingDataOfAStoppedMaster(B);
        startSentinels(A, 2, 60000, true);

        Proc.Background pod = startPod(shell, 0, Map.of());

        assertWaits(pod, A, waitingForReplicas("sentinels(3)", 1), Duration.ofSeconds(4));
        assertThat(pod.logText()).contains("a restarted master must not resync them to older data")
                .containsOnlyOnce("waiting (");
        assertThat(role(B)).isEqualTo("slave");

        // The only replica goes away: this pod's data is the best there is.
        redis.get(B).close();
        long t0 = System.nanoTime();
        assertThat(Proc.await(Duration.ofSeconds(10), () -> pong(A))).as(pod.logText()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("starts within a few seconds").isLessThan(Duration.ofSeconds(6));
        assertThat(role(A)).isEqualTo("master");
        assertThat(pod.logText()).contains("redis-0]: ", "decision: master (source: sentinels(3))", "starting redis-server as master")
                .doesNotContain(PASSWORD);
        assertThat(runtimeConf(A)).doesNotContain("\nreplicaof ");
    }

    @Test
    void aRestartedMasterWithoutReplicasStartsAtOnce() throws Exception {
        startSentinels(A, 2, 60000, true);

        long t0 = System.nanoTime();
        Proc.Background pod = startPod("sh", 0, Map.of());

        assertThat(Proc.await(Duration.ofSeconds(10), () -> pong(A))).as(pod.logText()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as(pod.logText()).isLessThan(Duration.ofSeconds(5));
        assertThat(role(A)).isEqualTo("master");
        assertThat(pod.logText()).contains("decision: master (source: sentinels(3))").doesNotContain("waiting");
    }

    /**
     * A master that took writes without a replica (split-brain-guard.sh "degraded writes") restarts in
     * place: a Sentinel's CONFIG REWRITE left min-replicas-to-write 0 in the runtime config (RUN_DIR is an
     * emptyDir, kept across a container restart). It starts with the rendered value, from the ConfigMap.
     */
    @Test
    void aRestartNeverKeepsDegradedWritesFromARewrittenRuntimeConfig() throws Exception {
        startSentinels(A, 2, 60000, true);
        String rewritten = renderConfig(A).replace("\nmin-replicas-to-write 1\n", "\nmin-replicas-to-write 0\n");
        assertThat(rewritten).contains("\nmin-replicas-to-write 0\n");
        Files.writeString(Files.createDirectories(podDir(A).resolve("run")).resolve("redis.conf"), rewritten);

        Proc.Background pod = startPod("sh", 0, Map.of());

        assertThat(Proc.await(Duration.ofSeconds(10), () -> pong(A))).as(pod.logText()).isTrue();
        assertThat(Proc.cli(A, port, PASSWORD, "CONFIG", "GET", "min-replicas-to-write")).isEqualTo("min-replicas-to-write\n1");
        assertThat(runtimeConf(A)).contains("\nmin-replicas-to-write 1\n").doesNotContain("\nmin-replicas-to-write 0\n");
        assertThat(Proc.cli(A, port, PASSWORD, "SET", "k", "v")).startsWith("NOREPLICAS");
    }

    /**
     * The bootstrap deadlock, as on the very first start of a deployment: the Sentinels (started first)
     * name pod 0, and B already runs as a replica of A but never synced from it (A was never up), so it
     * holds nothing (offset 0). A must start as master at once: B waits for it, and nobody could
     * promote B.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sh", "busybox"})
    void aReplicaThatNeverSyncedDoesNotHoldBackTheMasterTheSentinelsName(String shell) throws Exception {
        Binaries.require(shell);
        startPeer(B, A);
        Map<String, String> b = info(B);
        assertThat(b.get("master_host")).isEqualTo(A);
        assertThat(b.get("master_link_status")).isEqualTo("down");
        assertThat(b.get("master_repl_offset")).as("B never synced: %s", b).isEqualTo("0");
        startSentinels(A, 2, 60000, true);

        long t0 = System.nanoTime();
        Proc.Background pod = startPod(shell, 0, Map.of());

        assertThat(Proc.await(Duration.ofSeconds(10), () -> pong(A))).as(pod.logText()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as(pod.logText()).isLessThan(Duration.ofSeconds(5));
        assertThat(role(A)).isEqualTo("master");
        assertThat(pod.logText()).contains("redis-0]: ", "decision: master (source: sentinels(3))",
                "starting redis-server as master").doesNotContain("waiting", PASSWORD);
        assertThat(runtimeConf(A)).doesNotContain("\nreplicaof ");
        assertThat(Proc.await(Duration.ofSeconds(10), () -> linkUp(B, A))).as("B syncs from A: %s", info(B)).isTrue();
    }

    /** The master this pod recorded (no Sentinel answers) is a restart too. */
    @Test
    void aMasterRestartingFromItsRecordedStateWaitsForItsReplicaToo() throws Exception {
        replicasHoldingDataOfAStoppedMaster(B);
        Path state = Files.createDirectories(podDir(A).resolve("data/.redisgen"));
        Files.writeString(state.resolve("last-master"), A + " " + port + "\n");

        // No Sentinel at all here: the wait for them is the next test's.
        Proc.Background pod = startPod("sh", 0, Map.of("SENTINEL_WAIT_SECONDS", "0"));

        assertWaits(pod, A, waitingForReplicas("recorded", 1), Duration.ofSeconds(3));
        redis.get(B).close();
        assertThat(Proc.await(Duration.ofSeconds(10), () -> pong(A))).as(pod.logText()).isTrue();
        assertThat(role(A)).isEqualTo("master");
        assertThat(pod.logText()).contains("decision: master (source: recorded)");
    }

    /**
     * A whole-cluster restart: every pod and every Sentinel restarts at once. The record of this pod
     * names B (it missed its own promotion); the Sentinels, once up, name A from their kept config. The
     * pod waits for them instead of deciding from the record, and starts as the master they name.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sh", "busybox"})
    void aRestartingPodWaitsForTheSentinelsBeforeTrustingItsRecord(String shell) throws Exception {
        Binaries.require(shell);
        Path state = Files.createDirectories(podDir(A).resolve("data/.redisgen"));
        Files.writeString(state.resolve("last-master"), B + " " + port + "\n");

        Proc.Background pod = startPod(shell, 0, Map.of("SENTINEL_WAIT_SECONDS", "60"));
        assertWaits(pod, A, "waiting (0 s): no Sentinel answers yet; the state this pod kept (recorded: " + B + " " + port
                            + ") may be older than theirs", Duration.ofSeconds(3));

        startSentinels(A, 2, 60000, true);
        assertThat(Proc.await(Duration.ofSeconds(10), () -> pong(A))).as(pod.logText()).isTrue();
        assertThat(role(A)).isEqualTo("master");
        // The Sentinels start one after the other: the first answer decides (any answer wins over the record).
        assertThat(pod.logText()).containsPattern("decision: master \\(source: sentinels\\([123]\\)\\)")
                .doesNotContain("decision: replica");
        assertThat(runtimeConf(A)).doesNotContain("\nreplicaof ");
    }

    /** With no Sentinel at all, the record decides after SENTINEL_WAIT_SECONDS. */
    @Test
    void withoutSentinelsTheRecordDecidesAfterSentinelWaitSeconds() throws Exception {
        startPeer(B, null);
        Path state = Files.createDirectories(podDir(A).resolve("data/.redisgen"));
        Files.writeString(state.resolve("last-master"), B + " " + port + "\n");

        long t0 = System.nanoTime();
        Proc.Background pod = startPod("sh", 0, Map.of("SENTINEL_WAIT_SECONDS", "3"));

        assertThat(Proc.await(Duration.ofSeconds(15), () -> linkUp(A, B))).as(pod.logText()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as(pod.logText()).isBetween(Duration.ofMillis(1900), Duration.ofSeconds(12));
        assertThat(pod.logText()).contains("no Sentinel answers yet", "decision: replica of " + B + ":" + port + " (source: recorded)");
    }

    /**
     * A whole-cluster restart of an RDB-only deployment: the master stopped last, through prestop.sh
     * (the mark), and saved on SIGTERM (its dump.rdb is newer than the mark). Its replicas, back first,
     * hold a part of its data only: it starts as master at once, and the mark is gone afterwards.
     */
    @Test
    void aMasterThatStoppedAsMasterAndSavedStartsAtOnceDespiteItsReplicas() throws Exception {
        replicasHoldingDataOfAStoppedMaster(B);
        startSentinels(A, 2, 60000, true);
        Path state = Files.createDirectories(podDir(A).resolve("data/.redisgen"));
        Path mark = state.resolve("stopped-as-master");
        Files.writeString(mark, "2026-12-03T03:37:01Z\n");
        Files.setLastModifiedTime(mark, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 5000));
        // The save on SIGTERM: a real snapshot of the data (B's copy of it), written after the mark.
        assertThat(Proc.cli(B, port, PASSWORD, "SAVE")).isEqualTo("OK");
        Files.copy(podDir(B).resolve("data/dump.rdb"), podDir(A).resolve("data/dump.rdb"));

        long t0 = System.nanoTime();
        Proc.Background pod = startPod("sh", 0, Map.of());

        assertThat(Proc.await(Duration.ofSeconds(10), () -> pong(A))).as(pod.logText()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as(pod.logText()).isLessThan(Duration.ofSeconds(6));
        assertThat(pod.logText()).contains("it stopped as master (2026-12-03T03:37:01Z) and saved on shutdown",
                "decision: master (source: sentinels(3))").doesNotContain("waiting");
        assertThat(mark).doesNotExist();
        assertThat(Proc.cli(A, port, PASSWORD, "GET", "k")).isEqualTo("written-before-the-crash");
    }

    /** The mark without a snapshot written after it (RDB only: the save on SIGTERM never happened) counts for nothing. */
    @Test
    void theMarkWithoutALaterSnapshotDoesNotReleaseTheWait() throws Exception {
        replicasHoldingDataOfAStoppedMaster(B);
        startSentinels(A, 2, 60000, true);
        Files.writeString(podDir(A).resolve("data/dump.rdb"), "an older snapshot");
        Files.setLastModifiedTime(podDir(A).resolve("data/dump.rdb"),
                java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 5000));
        Path state = Files.createDirectories(podDir(A).resolve("data/.redisgen"));
        Files.writeString(state.resolve("stopped-as-master"), "2026-12-03T03:37:01Z\n");

        Proc.Background pod = startPod("sh", 0, Map.of());

        assertWaits(pod, A, waitingForReplicas("sentinels(3)", 1), Duration.ofSeconds(3));
        assertThat(pod.logText()).doesNotContain("stopped as master");
    }

    /** First start (no Sentinel, no kept state): pod 0 is master at once, replicas answering or not. */
    @Test
    void aFirstStartIsMasterAtOnceEvenWithAReplicaAnswering() throws Exception {
        startPeer(B, A);

        long t0 = System.nanoTime();
        Proc.Background pod = startPod("sh", 0, Map.of());

        assertThat(Proc.await(Duration.ofSeconds(10), () -> pong(A))).as(pod.logText()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as(pod.logText()).isLessThan(Duration.ofSeconds(5));
        assertThat(role(A)).isEqualTo("master");
        assertThat(pod.logText()).contains("decision: master (source: first-start)").doesNotContain("waiting");
        assertThat(Proc.await(Duration.ofSeconds(10), () -> linkUp(B, A))).as("B syncs from A: %s", info(B)).isTrue();
    }

    /**
     * The failover the wait is for: the Sentinels name this pod, its replicas answer; then B is promoted
     * (C follows it) and the Sentinels name B. At every moment a replica answers or a majority names B,
     * so the pod never starts as master; it starts as a replica of B.
     */
    @Test
    void aWaitingMasterFollowsTheMasterTheSentinelsNameNext() throws Exception {
        replicasHoldingDataOfAStoppedMaster(B, C);
        startSentinels(A, 2, 60000, true);

        Proc.Background pod = startPod("sh", 0, Map.of());
        assertWaits(pod, A, waitingForReplicas("sentinels(3)", 2), Duration.ofSeconds(2));

        assertThat(Proc.cli(B, port, PASSWORD, "REPLICAOF", "NO", "ONE")).isEqualTo("OK");
        assertThat(Proc.cli(C, port, PASSWORD, "REPLICAOF", B, Integer.toString(port))).isEqualTo("OK");
        for (String s : SENTINELS) {
            Proc.cli(s, sentinelPort, null, "SENTINEL", "REMOVE", "mymaster");
            assertThat(Proc.cli(s, sentinelPort, null, "SENTINEL", "MONITOR", "mymaster", B, Integer.toString(port), "2"))
                    .isEqualTo("OK");
            Proc.cli(s, sentinelPort, null, "SENTINEL", "SET", "mymaster", "auth-pass", PASSWORD);
            Proc.cli(s, sentinelPort, null, "SENTINEL", "SET", "mymaster", "down-after-milliseconds", "60000");
        }

        assertThat(Proc.await(Duration.ofSeconds(15), () -> linkUp(A, B))).as("A replicates B; log:%n%s", pod.logText()).isTrue();
        // sentinels(2) when it looked while one Sentinel was between REMOVE and MONITOR (a 1:1 tie goes to the first).
        assertThat(pod.logText()).containsPattern("decision: replica of " + B.replace(".", "\\.") + ":" + port
                                                  + " \\(source: sentinels\\([23]\\)\\)")
                .contains("starting redis-server as replica " + B + " " + port).doesNotContain("decision: master");
        assertThat(runtimeConf(A)).contains("\nreplicaof " + B + " " + port + "\n");
        assertThat(Files.readString(podDir(A).resolve("data/.redisgen/last-master"))).isEqualTo(B + " " + port + "\n");
        assertThat(role(B)).isEqualTo("master");
        // A resynced from B: the write it had lost in the crash is back.
        assertThat(Proc.cli(A, port, PASSWORD, "GET", "k")).isEqualTo("written-before-the-crash");
    }

    // ---------------------------------------------------------------- a failover under way

    /** Sentinels that see B (not running) o_down; they have no replica to promote. */
    void sentinelsSeeBDown() throws Exception {
        startSentinels(B, 1, 1000, false);
        for (String s : SENTINELS) {
            assertThat(Proc.await(Duration.ofSeconds(10), () -> sentinelFlags(s).contains("o_down")))
                    .as("Sentinel %s sees %s o_down: %s", s, B, sentinelFlags(s)).isTrue();
        }
    }

    @Test
    void aPodWaitsForAFailoverAtMostFailoverWaitSeconds() throws Exception {
        sentinelsSeeBDown();

        long t0 = System.nanoTime();
        Proc.Background pod = startPod("sh", 2, Map.of("FAILOVER_WAIT_SECONDS", "3"));

        assertThat(Proc.await(Duration.ofSeconds(15), () -> pong(C))).as(pod.logText()).isTrue();
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertThat(pod.logText()).contains("redis-2]: ", "waiting (0 s): the Sentinels are failing over mymaster",
                "decision: replica of " + B + ":" + port + " (source: sentinels(3))");
        // start_decide counts whole seconds of `date +%s` (busybox has no %N): 3 of them last 2 to 3 s.
        assertThat(took).as("waited FAILOVER_WAIT_SECONDS=3, then no longer; log:%n%s", pod.logText())
                .isBetween(Duration.ofMillis(1900), Duration.ofSeconds(12));
        assertThat(runtimeConf(C)).contains("\nreplicaof " + B + " " + port + "\n");
    }

    /**
     * The Sentinels still report B o_down (they cannot authenticate to it), but B answers the pods as
     * master: the promoted master is there, the pod stops waiting at once instead of after
     * FAILOVER_WAIT_SECONDS.
     */
    @Test
    void aPodStopsWaitingForAFailoverOnceTheNamedMasterAnswersAsMaster() throws Exception {
        sentinelsSeeBDown();
        Proc.Background pod = startPod("sh", 2, Map.of("FAILOVER_WAIT_SECONDS", "60"));
        assertWaits(pod, C, "waiting (0 s): the Sentinels are failing over mymaster", Duration.ofSeconds(2));

        startPeer(B, null);
        long t0 = System.nanoTime();
        assertThat(Proc.await(Duration.ofSeconds(10), () -> linkUp(C, B))).as("C replicates B; log:%n%s", pod.logText()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(8));
        assertThat(pod.logText()).contains("decision: replica of " + B + ":" + port + " (source: sentinels(3))");
        for (String s : SENTINELS) {
            assertThat(sentinelFlags(s)).as("the Sentinels still see B down").contains("o_down");
        }
    }
}
