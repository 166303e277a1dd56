package dev.redisgen.conf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start scripts for real: redis-start.sh brings up a master (pod 0) and a replica (pod 1),
 * sentinel-start.sh a Sentinel watching them, all on loopback in ip mode with the pod addresses
 * overridden (127.0.0.2, .3; Sentinel .4). Then prestop.sh on the master hands over through the
 * Sentinel, and a restarted pod 0 joins the new master instead of claiming mastership by ordinal.
 */
class ScriptsLiveTest {

    /** Space, quote and backslash: the runtime config lines must quote it right. */
    static final String PASSWORD = "Pa ss\"w\\rd-0a9";

    @TempDir
    Path tmp;

    int port;
    int sentinelPort;
    Path scripts;

    Map<String, String> env(String pod, String host, Path data, Path config, Path run) {
        Map<String, String> env = new HashMap<>();
        env.put("SCRIPTS_DIR", scripts.toString());
        env.put("DATA_DIR", data.toString());
        env.put("CONFIG_DIR", config.toString());
        env.put("RUN_DIR", run.toString());
        env.put("POD_NAME", pod);
        env.put("POD_NAMESPACE", "default");
        env.put("POD_IP", host);
        env.put("STATEFULSET", "redis");
        env.put("HEADLESS_SERVICE", "redis-headless");
        env.put("REPLICAS", "2");
        env.put("REDIS_PORT", Integer.toString(port));
        env.put("SENTINEL_PORT", Integer.toString(sentinelPort));
        env.put("MASTER_NAME", "mymaster");
        env.put("ADDRESS_MODE", "ip");
        env.put("REDIS_PASSWORD", PASSWORD);
        env.put("POD_ADDRESSES", "127.0.0.2 127.0.0.3");
        env.put("SENTINEL_ADDRESSES", "127.0.0.4:" + sentinelPort);
        env.put("LOCAL_REDIS_HOST", host);
        env.put("LOCAL_SENTINEL_HOST", "127.0.0.4");
        env.put("GUARD_INTERVAL_SECONDS", "1");
        env.put("DNS_WAIT_SECONDS", "5");
        env.put("PRESTOP_WAIT_SECONDS", "40");
        return env;
    }

    Proc.Background startRedis(String pod, String host) throws Exception {
        Path root = tmp.resolve(pod);
        Path config = Files.createDirectories(root.resolve("config"));
        Path data = Files.createDirectories(root.resolve("data"));
        Path run = root.resolve("run");
        String rendered = RedisConf.render(new RedisConfSpec(port, List.of("900 1"), "everysec", null, "noeviction",
                1, false, 1000, 10000, 300, new RedisConfSpec.Replication(0, 10), null, null));
        Files.writeString(config.resolve("redis.conf"),
                rendered.replace("\ndir /data\n", "\ndir " + data + "\n").replace("bind * -::*", "bind " + host));
        return new Proc.Background(List.of("sh", scripts.resolve("redis-start.sh").toString()),
                env(pod, host, data, config, run), root.resolve("log-" + System.nanoTime()));
    }

    /** The one Sentinel's pod (127.0.0.4) with the rendered sentinel.conf: its env for sentinel-start.sh. */
    Map<String, String> sentinelPod(Path sroot, int downAfterMillis, int failoverTimeoutMillis) throws Exception {
        Path sconfig = Files.createDirectories(sroot.resolve("config"));
        Path sdata = Files.createDirectories(sroot.resolve("data"));
        Files.writeString(sconfig.resolve("sentinel.conf"),
                SentinelConf.render(new SentinelConfSpec(sentinelPort, "mymaster", port, 1, 1, downAfterMillis, failoverTimeoutMillis, 1, false, null))
                        .replace("bind * -::*", "bind 127.0.0.4").replace("\ndir /tmp\n", "\ndir " + sroot + "\n"));
        return env("redis-sentinel-0", "127.0.0.4", sdata, sconfig, sroot.resolve("run"));
    }

    static boolean role(String host, int port, String role) {
        String info = Proc.cli(host, port, PASSWORD, "INFO", "replication");
        return info.contains("role:" + role) && (role.equals("master") || info.contains("master_link_status:up"));
    }

    /** The binaries the Redis and Sentinel pods need, free ports, and the scripts as files. */
    void prepare() throws Exception {
        Binaries.require("redis-server");
        Binaries.require("redis-sentinel");
        Binaries.require("redis-cli");
        Binaries.require("sha1sum");
        port = Proc.freePort();
        sentinelPort = Proc.freePort();
        scripts = ScriptFiles.materialize(tmp.resolve("scripts"));
    }

    @Test
    void startScriptsBringUpMasterReplicaSentinelAndPrestopHandsOver() throws Exception {
        prepare();

        Path sroot = tmp.resolve("redis-sentinel-0");
        Path sdata = sroot.resolve("data");
        Map<String, String> senv = sentinelPod(sroot, 2000, 10000);

        Proc.Background pod1 = null;
        Proc.Background pod0b = null;
        try (Proc.Background pod0 = startRedis("redis-0", "127.0.0.2");
             Proc.Background sentinel = new Proc.Background(
                     List.of("sh", scripts.resolve("sentinel-start.sh").toString()), senv, sroot.resolve("log"))) {
            pod1 = startRedis("redis-1", "127.0.0.3");
            Proc.Background p1 = pod1;
            assertThat(Proc.await(Duration.ofSeconds(30), () -> role("127.0.0.3", port, "slave")))
                    .as("pod 1 replicates pod 0; log:\n" + p1.logText()).isTrue();
            assertThat(role("127.0.0.2", port, "master")).as(pod0.logText()).isTrue();

            // Runtime config: 0600, holds the password; the ConfigMap copy does not.
            Path runtime = tmp.resolve("redis-1/run/redis.conf");
            assertThat(Files.getPosixFilePermissions(runtime))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
            assertThat(Files.readString(runtime)).contains("replicaof 127.0.0.2 " + port, "requirepass \"" + PASSWORD.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
            assertThat(Files.readString(tmp.resolve("redis-1/config/redis.conf"))).doesNotContain(PASSWORD);
            assertThat(p1.logText()).doesNotContain(PASSWORD).contains("decision: replica of 127.0.0.2");

            // Sentinel: writable kept config with a stable myid, knows master and replica.
            assertThat(Proc.await(Duration.ofSeconds(30), () -> "1".equals(sentinelField("num-slaves"))))
                    .as("sentinel sees the replica; log:\n" + sentinel.logText()).isTrue();
            assertThat(sentinelField("ip")).isEqualTo("127.0.0.2");
            Path kept = sdata.resolve("sentinel/sentinel.conf");
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest("default/redis-sentinel-0".getBytes(StandardCharsets.UTF_8)));
            assertThat(Files.readString(kept)).contains("sentinel myid " + sha);
            assertThat(Proc.run(List.of("sh", scripts.resolve("sentinel-readiness.sh").toString()), senv,
                    Duration.ofSeconds(20)).exitCode()).isZero();
            assertThat(Proc.run(List.of("sh", scripts.resolve("readiness.sh").toString()),
                    env("redis-1", "127.0.0.3", tmp, tmp, tmp), Duration.ofSeconds(20)).exitCode()).isZero();

            // preStop on the master: the Sentinel promotes pod 1.
            Proc.Result stop = Proc.run(List.of("sh", scripts.resolve("prestop.sh").toString()),
                    env("redis-0", "127.0.0.2", tmp.resolve("redis-0/data"), tmp, tmp), Duration.ofSeconds(60));
            assertThat(stop.exitCode()).isZero();
            assertThat(stop.stderr()).as(Proc.cli("127.0.0.4", sentinelPort, null, "SENTINEL", "REPLICAS", "mymaster")
                    + "\n" + sentinel.logText()).contains("failover of mymaster requested", "handed over");
            assertThat(Proc.await(Duration.ofSeconds(30), () -> "127.0.0.3".equals(sentinelField("ip"))))
                    .as("sentinel names pod 1; log:\n" + sentinel.logText()).isTrue();
            assertThat(Proc.await(Duration.ofSeconds(30), () -> role("127.0.0.3", port, "master"))).isTrue();

            // Pod 0 restarts: the Sentinel names pod 1, so pod 0 must join it, not claim master.
            pod0.close();
            pod0b = startRedis("redis-0", "127.0.0.2");
            Proc.Background p0 = pod0b;
            assertThat(Proc.await(Duration.ofSeconds(30), () -> role("127.0.0.2", port, "slave")))
                    .as("restarted pod 0 replicates pod 1; log:\n" + p0.logText()).isTrue();
            assertThat(p0.logText()).contains("decision: replica of 127.0.0.3");

            // The Sentinel restarts from its kept config and still names pod 1.
            sentinel.close();
            try (Proc.Background again = new Proc.Background(
                    List.of("sh", scripts.resolve("sentinel-start.sh").toString()), senv, sroot.resolve("log2"))) {
                assertThat(Proc.await(Duration.ofSeconds(20), () -> "127.0.0.3".equals(sentinelField("ip"))))
                        .as(again.logText()).isTrue();
                assertThat(again.logText()).contains("reusing the state kept in");
            }
        } finally {
            if (pod1 != null) {
                pod1.close();
            }
            if (pod0b != null) {
                pod0b.close();
            }
        }
    }

    /**
     * Sentinel N monitors with the rendered down-after + N x 250 ms, on a first start and from its kept config
     * alike: Sentinels that see the master down in the same millisecond all ask for votes at once and split them.
     * And every start sets SENTINEL DEBUG info-period 1000, ping-period 250 and publish-period 500, which Sentinel does
     * not keep across a restart.
     */
    @Test
    void sentinelsStaggerTheirDownAfterByOrdinal() throws Exception {
        ThirdSentinel s = thirdSentinel();
        s.render(new SentinelConfSpec(sentinelPort, "mymaster", port, 1, 1, 2000, 10000, 1, false, null));
        for (String log : List.of("log", "log2")) {
            try (Proc.Background sentinel = s.start(log)) {
                assertThat(Proc.await(Duration.ofSeconds(20), () -> "2500".equals(sentinelField("down-after-milliseconds"))))
                        .as("ordinal 2: 2000 + 2 x 250 (%s); log:\n%s", log, sentinel.logText()).isTrue();
                // Replica INFO at most 1 s old when the leader chooses whom to promote (Sentinel's own 10 s otherwise).
                assertThat(Proc.await(Duration.ofSeconds(10), () -> "1000".equals(sentinelDebug("INFO-PERIOD"))))
                        .as("SENTINEL DEBUG info-period set at every start (%s); log:\n%s", log, sentinel.logText()).isTrue();
                // The first unanswered PING (down-after counts from it) within 250 ms of a stop, not 1 s; a hello within
                // 500 ms when the one sent at a promotion is lost, not 2 s.
                assertThat(sentinelDebug("PING-PERIOD")).as("ping-period (%s)", log).isEqualTo("250");
                assertThat(sentinelDebug("PUBLISH-PERIOD")).as("publish-period (%s)", log).isEqualTo("500");
                assertThat(Proc.await(Duration.ofSeconds(5), () -> sentinel.logText()
                        .contains("replica INFO refreshed every 1000 ms, PING every 250 ms, hello every 500 ms")))
                        .as(sentinel.logText()).isTrue();
            }
        }
        assertThat(Files.readString(s.data().resolve("sentinel/sentinel.conf"))).contains("down-after-milliseconds mymaster 2500");
    }

    /** Sentinel pod redis-sentinel-2 at 127.0.0.4, its directories, and an env whose Sentinels .6 and .5 are not running. */
    record ThirdSentinel(Path root, Path config, Path data, Map<String, String> env, Path scripts) {
        /** The rendered sentinel.conf of SPEC as this pod's ConfigMap. */
        void render(SentinelConfSpec spec) throws java.io.IOException {
            Files.writeString(config.resolve("sentinel.conf"), SentinelConf.render(spec)
                    .replace("bind * -::*", "bind 127.0.0.4").replace("\ndir /tmp\n", "\ndir " + root + "\n"));
        }

        Proc.Background start(String log) {
            return new Proc.Background(List.of("sh", scripts.resolve("sentinel-start.sh").toString()), env, root.resolve(log));
        }
    }

    ThirdSentinel thirdSentinel() throws Exception {
        Binaries.require("redis-sentinel");
        Binaries.require("redis-cli");
        Binaries.require("sha1sum");
        port = Proc.freePort();
        sentinelPort = Proc.freePort();
        scripts = ScriptFiles.materialize(tmp.resolve("scripts"));
        Path sroot = tmp.resolve("redis-sentinel-2");
        Path sconfig = Files.createDirectories(sroot.resolve("config"));
        Path sdata = Files.createDirectories(sroot.resolve("data"));
        Map<String, String> senv = env("redis-sentinel-2", "127.0.0.4", sdata, sconfig, sroot.resolve("run"));
        // This Sentinel is the third (index = ordinal); the other two are not running.
        senv.put("SENTINEL_ADDRESSES", "127.0.0.6:" + sentinelPort + " 127.0.0.5:" + sentinelPort + " 127.0.0.4:" + sentinelPort);
        return new ThirdSentinel(sroot, sconfig, sdata, senv, scripts);
    }

    /**
     * Day 2: the profile's Sentinel settings change (quorum, down-after, failover-timeout, parallel-syncs).
     * The restarted Sentinel runs with the new settings from the ConfigMap and keeps its state from the
     * volume: the master of the last failover, its myid and the epochs.
     */
    @Test
    void aRestartedSentinelTakesTheProfilesSettingsAndKeepsItsState() throws Exception {
        ThirdSentinel s = thirdSentinel();
        s.env().put("REPLICAS", "3");
        s.env().put("POD_ADDRESSES", "127.0.0.2 127.0.0.3 127.0.0.7");
        s.render(new SentinelConfSpec(sentinelPort, "mymaster", port, 3, 2, 2000, 10000, 1, false, null));
        String myid;
        try (Proc.Background sentinel = s.start("log")) {
            assertThat(Proc.await(Duration.ofSeconds(20), () -> "2".equals(sentinelField("quorum")))).as(sentinel.logText()).isTrue();
            myid = Proc.cli("127.0.0.4", sentinelPort, null, "SENTINEL", "MYID").strip();
        }
        // What a failover leaves on the volume: another master, newer epochs (as Sentinel's CONFIG REWRITE writes them).
        Path kept = s.data().resolve("sentinel/sentinel.conf");
        Files.writeString(kept, Files.readString(kept).replace("sentinel monitor mymaster 127.0.0.2 ", "sentinel monitor mymaster 127.0.0.3 ")
                                + "sentinel config-epoch mymaster 7\nsentinel leader-epoch mymaster 7\nsentinel current-epoch 7\n");

        // Profile v2.
        s.render(new SentinelConfSpec(sentinelPort, "mymaster", port, 3, 3, 3000, 20000, 2, false, null));
        try (Proc.Background sentinel = s.start("log2")) {
            assertThat(Proc.await(Duration.ofSeconds(20), () -> "127.0.0.3".equals(sentinelField("ip")))).as(sentinel.logText()).isTrue();
            assertThat(sentinelField("quorum")).isEqualTo("3");
            assertThat(sentinelField("down-after-milliseconds")).as("3000 + 2 x 250").isEqualTo("3500");
            assertThat(sentinelField("failover-timeout")).isEqualTo("20000");
            assertThat(sentinelField("parallel-syncs")).isEqualTo("2");
            assertThat(sentinelField("config-epoch")).isEqualTo("7");
            assertThat(Proc.cli("127.0.0.4", sentinelPort, null, "SENTINEL", "MYID").strip()).isEqualTo(myid);
            assertThat(Proc.cli("127.0.0.4", sentinelPort, null, "INFO", "sentinel")).contains("sentinel_masters:1");
            assertThat(sentinel.logText()).contains("reusing the state kept in",
                    "settings changed by the profile: quorum 2 -> 3, failover-timeout 10000 -> 20000, parallel-syncs 1 -> 2");
        }
    }

    /**
     * A Sentinel restarts with a kept master at a newer config epoch than the other Sentinels answer: it led (or
     * heard of) a failover they never learnt, as when every Sentinel restarts in the same roll. It keeps its
     * own master; the others converge on the higher epoch. Following their older answer undid a promotion that
     * clients had already written to (the upgrade drill lost WAIT-confirmed writes that way).
     */
    @Test
    void aRestartedSentinelKeepsAMasterWhoseConfigEpochIsNewerThanTheOthers() throws Exception {
        ThirdSentinel s = thirdSentinel();
        s.env().put("REPLICAS", "3");
        s.env().put("POD_ADDRESSES", "127.0.0.2 127.0.0.3 127.0.0.7");
        s.render(new SentinelConfSpec(sentinelPort, "mymaster", port, 3, 2, 2000, 10000, 1, false, null));
        try (Proc.Background sentinel = s.start("log")) {
            assertThat(Proc.await(Duration.ofSeconds(20), () -> "127.0.0.2".equals(sentinelField("ip")))).as(sentinel.logText()).isTrue();
        }
        Path kept = s.data().resolve("sentinel/sentinel.conf");
        Files.writeString(kept, Files.readString(kept).replace("sentinel monitor mymaster 127.0.0.2 ", "sentinel monitor mymaster 127.0.0.3 ")
                                + "sentinel config-epoch mymaster 4\nsentinel leader-epoch mymaster 4\nsentinel current-epoch 4\n");
        List<Proc.Background> others = new ArrayList<>();
        try {
            for (String host : List.of("127.0.0.5", "127.0.0.6")) {
                Path dir = Files.createDirectories(tmp.resolve("other-" + host));
                Files.writeString(dir.resolve("sentinel.conf"), String.join("\n", "bind " + host, "port " + sentinelPort, "dir " + dir,
                        "sentinel monitor mymaster 127.0.0.2 " + port + " 2", "sentinel down-after-milliseconds mymaster 60000",
                        "sentinel config-epoch mymaster 3", "sentinel current-epoch 4", ""));
                others.add(new Proc.Background(List.of("redis-sentinel", dir.resolve("sentinel.conf").toString()), Map.of(), dir.resolve("log")));
                assertThat(Proc.await(Duration.ofSeconds(10), () -> Proc.cli(host, sentinelPort, null, "SENTINEL", "get-master-addr-by-name", "mymaster")
                        .contains("127.0.0.2"))).isTrue();
            }
            try (Proc.Background sentinel = s.start("log2")) {
                assertThat(Proc.await(Duration.ofSeconds(20), () -> "127.0.0.3".equals(sentinelField("ip"))))
                        .as("follows its own newer config; log:%n%s", sentinel.logText()).isTrue();
                assertThat(sentinelField("config-epoch")).isEqualTo("4");
                assertThat(sentinel.logText()).contains("the kept config names 127.0.0.3 " + port + " at config epoch 4, newer than the other"
                        + " Sentinels' (epoch 3): keeping it").doesNotContain("kept config named");
            }
        } finally {
            others.forEach(Proc.Background::close);
        }
    }

    /**
     * A Sentinel restarts with an older kept master and epoch than the other Sentinels answer (it missed a
     * failover while its pod was rolled): it follows them with a current epoch no lower than their config epochs,
     * so that a failover it is asked for at once (a preStop's SENTINEL FAILOVER needs no election) uses a newer
     * epoch than every config the others hold. With its kept epoch it used one they already had, and they ignored its promotion (the drill's
     * rolling-update: 50 s without writes). The real Sentinel is asked for what it loaded.
     */
    @Test
    void aRestartedSentinelThatFollowsTheOthersTakesTheirEpochs() throws Exception {
        ThirdSentinel s = thirdSentinel();
        s.env().put("REPLICAS", "3");
        s.env().put("POD_ADDRESSES", "127.0.0.2 127.0.0.3 127.0.0.7");
        s.render(new SentinelConfSpec(sentinelPort, "mymaster", port, 3, 2, 2000, 10000, 1, false, null));
        try (Proc.Background sentinel = s.start("log")) {
            assertThat(Proc.await(Duration.ofSeconds(20), () -> "127.0.0.2".equals(sentinelField("ip")))).as(sentinel.logText()).isTrue();
        }
        Path kept = s.data().resolve("sentinel/sentinel.conf");
        Files.writeString(kept, Files.readString(kept).replace("sentinel monitor mymaster 127.0.0.2 ", "sentinel monitor mymaster 127.0.0.3 ")
                                .replaceAll("(?m)^sentinel (config-epoch|leader-epoch|current-epoch) .*\n", "")
                                + "sentinel config-epoch mymaster 1\nsentinel leader-epoch mymaster 1\nsentinel current-epoch 1\n");
        List<Proc.Background> others = new ArrayList<>();
        try {
            for (String host : List.of("127.0.0.5", "127.0.0.6")) {
                Path dir = Files.createDirectories(tmp.resolve("other-" + host));
                Files.writeString(dir.resolve("sentinel.conf"), String.join("\n", "bind " + host, "port " + sentinelPort, "dir " + dir,
                        "sentinel monitor mymaster 127.0.0.2 " + port + " 2", "sentinel down-after-milliseconds mymaster 60000",
                        "sentinel config-epoch mymaster 5", "sentinel current-epoch 6", ""));
                others.add(new Proc.Background(List.of("redis-sentinel", dir.resolve("sentinel.conf").toString()), Map.of(), dir.resolve("log")));
                assertThat(Proc.await(Duration.ofSeconds(10), () -> Proc.cli(host, sentinelPort, null, "SENTINEL", "get-master-addr-by-name", "mymaster")
                        .contains("127.0.0.2"))).isTrue();
            }
            try (Proc.Background sentinel = s.start("log2")) {
                assertThat(Proc.await(Duration.ofSeconds(20), () -> "127.0.0.2".equals(sentinelField("ip"))))
                        .as("follows the others; log:%n%s", sentinel.logText()).isTrue();
                // SENTINEL FLUSHCONFIG writes what the real Sentinel holds in memory.
                assertThat(Proc.cli("127.0.0.4", sentinelPort, null, "SENTINEL", "FLUSHCONFIG").strip()).isEqualTo("OK");
                assertThat(Files.readString(kept)).as("the current epoch the real Sentinel holds: its next failover's epoch is above 5")
                        .containsPattern("(?m)^sentinel current-epoch [56]$");
                assertThat(sentinel.logText()).contains("kept config named 127.0.0.3:" + port + "; now 127.0.0.2:" + port);
            }
        } finally {
            others.forEach(Proc.Background::close);
        }
    }

    /**
     * A Sentinel pod deleted while the failover a master's preStop asked it for is under way (kubectl apply rolls the
     * Sentinel StatefulSet together with Redis's): sentinel-prestop.sh holds the Sentinel until the failover is done,
     * so that the restarted Sentinel names the promoted pod at once. Without it the Sentinel forgot the failover, the
     * promoted pod stayed a master nobody named and the old master, its writes paused, was named until down-after
     * (30 s here) ended it (the upgrade drill's 9-10 s gap).
     */
    @Test
    void aSentinelStoppedInTheMiddleOfAFailoverItRunsFinishesItFirst() throws Exception {
        prepare();
        Path sroot = tmp.resolve("redis-sentinel-0");
        Map<String, String> senv = sentinelPod(sroot, 30000, 10000);
        try (Proc.Background pod0 = startRedis("redis-0", "127.0.0.2");
             Proc.Background pod1 = startRedis("redis-1", "127.0.0.3")) {
            Proc.Background sentinel = new Proc.Background(List.of("sh", scripts.resolve("sentinel-start.sh").toString()), senv, sroot.resolve("log"));
            Proc.Background handOver = null;
            Proc.Background again = null;
            try {
                assertThat(Proc.await(Duration.ofSeconds(30), () -> role("127.0.0.3", port, "slave"))).as(pod1.logText()).isTrue();
                assertThat(Proc.await(Duration.ofSeconds(30), () -> "1".equals(sentinelField("num-slaves")))).as(sentinel.logText()).isTrue();
                assertThat(role("127.0.0.2", port, "master")).as(pod0.logText()).isTrue();
                // prestop.sh hands over only to a replica its master lists online (a CI run beside the cluster drill
                // started it while the replica's link was up but its sync not yet done: "master without an online replica").
                assertThat(Proc.await(Duration.ofSeconds(30), () -> Proc.cli("127.0.0.2", port, PASSWORD, "INFO", "replication")
                        .contains("state=online"))).as(pod0.logText()).isTrue();

                // The master's preStop asks the one Sentinel for the failover ...
                handOver = new Proc.Background(List.of("sh", scripts.resolve("prestop.sh").toString()),
                        env("redis-0", "127.0.0.2", tmp.resolve("redis-0/data"), tmp, tmp), tmp.resolve("prestop-log"));
                Proc.Background h = handOver;
                assertThat(Proc.await(Duration.ofSeconds(20), () -> String.valueOf(sentinelField("flags")).contains("failover_in_progress")))
                        .as("the Sentinel starts the failover; preStop log:%n%s", h.logText()).isTrue();
                // ... and, as it runs, the Sentinel's pod is deleted: its preStop, then SIGTERM, then it starts again.
                Proc.Result stop = Proc.run(List.of("sh", scripts.resolve("sentinel-prestop.sh").toString()), senv, Duration.ofSeconds(60));
                assertThat(stop.exitCode()).isZero();
                sentinel.close();
                assertThat(stop.stderr()).contains("a failover of mymaster is in progress", "the failover of mymaster is done after");
                again = new Proc.Background(List.of("sh", scripts.resolve("sentinel-start.sh").toString()), senv, sroot.resolve("log2"));
                Proc.Background a = again;
                // Well within down-after (30 s): only a failover carried through names pod 1 this soon.
                assertThat(Proc.await(Duration.ofSeconds(8), () -> "127.0.0.3".equals(sentinelField("ip"))))
                        .as("the restarted Sentinel names the promoted pod; log:%n%s%npreStop:%n%s", a.logText(), h.logText()).isTrue();
                assertThat(Proc.await(Duration.ofSeconds(8), () -> role("127.0.0.3", port, "master") && role("127.0.0.2", port, "slave")))
                        .as("pod 0 follows pod 1; preStop:%n%s", h.logText()).isTrue();
                assertThat(Proc.await(Duration.ofSeconds(10), () -> h.logText().contains("handed over"))).as(h.logText()).isTrue();
            } finally {
                for (Proc.Background b : new Proc.Background[] {handOver, again, sentinel}) {
                    if (b != null) {
                        b.close();
                    }
                }
            }
        }
    }

    /** A Sentinel's preStop returns at once when no failover is under way (the usual case: every rolling update). */
    @Test
    void aSentinelWithNoFailoverUnderWayStopsAtOnce() throws Exception {
        ThirdSentinel s = thirdSentinel();
        s.render(new SentinelConfSpec(sentinelPort, "mymaster", port, 1, 1, 2000, 10000, 1, false, null));
        try (Proc.Background sentinel = s.start("log")) {
            assertThat(Proc.await(Duration.ofSeconds(20), () -> "127.0.0.2".equals(sentinelField("ip")))).as(sentinel.logText()).isTrue();
            long t0 = System.nanoTime();
            Proc.Result stop = Proc.run(List.of("sh", scripts.resolve("sentinel-prestop.sh").toString()), s.env(), Duration.ofSeconds(60));
            assertThat(stop.exitCode()).isZero();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
            assertThat(stop.stderr()).doesNotContain("in progress");
        }
    }

    String sentinelDebug(String key) {
        List<String> flat = Proc.cli("127.0.0.4", sentinelPort, null, "SENTINEL", "DEBUG").lines().toList();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            if (flat.get(i).equals(key)) {
                return flat.get(i + 1);
            }
        }
        return null;
    }

    String sentinelField(String key) {
        return LoopbackPods.sentinelMasterField("127.0.0.4", sentinelPort, key);
    }
}
