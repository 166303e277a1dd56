package dev.redisgen.conf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sentinel-notify.sh's SENTINEL RESET for a pod a scale-in removed, with real redis-server and redis-sentinel 7.0. A
 * Sentinel reset while it leads a failover keeps the failover's new epoch with the old master's address: it names the
 * old master for good, deaf to the others' hellos for the new one, which carry the same epoch (a CI run of
 * DrillTest.upgradeRollsToTheNextProfileAndBack, airflow 5 -> 3 pods; the script waited at most 5 s for a failover
 * before it reset). A Sentinel reset while its master is down keeps only the master's address: it knows no instance
 * that answers until that master does, and never again if the master was a removed pod. The reset waits for the
 * master to be up for this Sentinel with no failover under way, and when it is not within the script's time, comes
 * at the master's -sdown (or +switch-master).
 *
 * <p>Master redis-0 at 127.0.0.21, replica redis-3 (a pod the scale-in to 3 removes) at 127.0.0.22, announced by its
 * name, one Sentinel at 127.0.0.31 in hostname mode (quorum 2: it fails over only when asked to) with sentinel-notify.sh as its
 * notification script. The Sentinel resolves the replica's name through a hosts file bind-mounted over /etc/hosts in
 * a mount namespace of its own; the script through HOSTS_FILE, from which the test removes the name when the pod goes.
 */
class ScaleInResetLiveTest {

    static final String PASSWORD = ScriptsLiveTest.PASSWORD;
    static final String MASTER = LoopbackPods.A;
    static final String GONE = LoopbackPods.B;
    static final String SENTINEL = LoopbackPods.SENTINELS.get(0);
    static final String OTHER = "127.0.0.24";
    static final String GONE_NAME = "redis-3.redis-headless.default.svc.cluster.local";
    /** The test's bound on the reset's wait for the master (SENTINEL_RESET_WAIT_SECONDS; 52 s in a pod). */
    static final int RESET_WAIT_SECONDS = 4;

    @TempDir
    Path tmp;

    int port;
    int sentinelPort;
    Path scripts;
    final List<Proc.Background> procs = new ArrayList<>();
    Proc.Background master;
    Proc.Background gone;
    Proc.Background sentinel;

    @BeforeEach
    void prepare() {
        Binaries.require("redis-server");
        Binaries.require("redis-sentinel");
        Binaries.require("redis-cli");
        Binaries.require("unshare");
        Binaries.require("mount");
        port = Proc.freePort();
        sentinelPort = Proc.freePort();
        scripts = ScriptFiles.materialize(tmp.resolve("scripts"));
    }

    @AfterEach
    void stop() {
        if (master != null && master.process.isAlive()) {
            FenceLiveTest.signal("CONT", master.process.pid());
        }
        procs.forEach(Proc.Background::close);
    }

    @Test
    void aSentinelIsResetForARemovedPodOnlyOnceItsMasterIsUpForIt() throws Exception {
        master = redis("redis-0", MASTER, null);
        gone = redis("redis-3", GONE, GONE_NAME);
        startSentinelKnowing(1);

        // The master stops answering (frozen: its pod's IP stays) and the scale-in removes redis-3: gone, its name too.
        FenceLiveTest.signal("STOP", master.process.pid());
        // The master down for the Sentinel first: removed before, redis-3 may be subjectively down while the master
        // still answers, and the reset is rightly done at once (a CI run under load).
        assertThat(Proc.await(Duration.ofSeconds(20), () -> sentinel.logText().contains("+sdown master mymaster")))
                .as("the master down for the Sentinel:\n%s", sentinel.logText()).isTrue();
        removeRedis3();
        assertThat(Proc.await(Duration.ofSeconds(20), () -> sentinel.logText().contains("not resetting (+sdown " + GONE_NAME)))
                .as("the reset is left for later while the master is down:\n%s", sentinel.logText()).isTrue();
        String before = sentinel.logText();
        assertThat(before).contains("+sdown master mymaster", "+sdown slave " + GONE_NAME).doesNotContain("+reset-master");
        assertThat(replicas()).as("redis-3 still known").contains(GONE_NAME);

        // The master answers again: its -sdown resets the Sentinel, which then knows the master and forgets redis-3.
        FenceLiveTest.signal("CONT", master.process.pid());
        assertThat(Proc.await(Duration.ofSeconds(20), () -> sentinel.logText().contains("+reset-master") && !replicas().contains(GONE_NAME)))
                .as("reset once the master is back:\n%s", sentinel.logText()).isTrue();
        String log = sentinel.logText();
        assertThat(log.indexOf("-sdown master mymaster")).as(log).isPositive().isLessThan(log.indexOf("+reset-master"));
        assertThat(log).contains("forgetting pods the scale-in removed (" + GONE_NAME + " ): SENTINEL RESET mymaster: 1");
        assertThat(Proc.await(Duration.ofSeconds(10), () -> "master".equals(field("flags"))))
                .as("the master up for the reset Sentinel: %s", field("flags")).isTrue();
        System.out.printf("ScaleInResetLiveTest: reset left for later while the master was down, done at its -sdown%n");
    }

    /**
     * The failover's leader: forced (SENTINEL FAILOVER, as a master's preStop asks) while redis-3 goes, the promoted
     * replica (redis-2) holds its other replica's sync 8 s (repl-diskless-sync-delay), so the failover stays in
     * reconf_slaves longer than the 5 s the script used to wait before it reset anyway. The reset comes after the
     * failover, and the Sentinel names the new master.
     */
    @Test
    void aSentinelLeadingAFailoverIsResetOnlyOnceTheFailoverIsOver() throws Exception {
        master = redis("redis-0", MASTER, null);
        // Never promoted (its link may not be seen down yet when the failover chooses).
        gone = redis("redis-3", GONE, GONE_NAME, "replica-priority 0");
        String promoted = LoopbackPods.C;
        redis("redis-2", promoted, promoted, "replica-priority 100", "repl-diskless-sync yes", "repl-diskless-sync-delay 8");
        redis("redis-1", OTHER, OTHER, "replica-priority 0");
        startSentinelKnowing(3);

        removeRedis3();
        assertThat(Proc.cli(SENTINEL, sentinelPort, null, "SENTINEL", "FAILOVER", "mymaster")).isEqualTo("OK");
        assertThat(Proc.await(Duration.ofSeconds(10), () -> "reconf_slaves".equals(field("failover-state"))))
                .as("the failover reconfigures the replicas: %s\n%s", field("failover-state"), sentinel.logText()).isTrue();
        assertThat(Proc.await(Duration.ofSeconds(40), () -> sentinel.logText().contains("+reset-master")))
                .as("reset:\n%s", sentinel.logText()).isTrue();
        String log = sentinel.logText();
        assertThat(log.indexOf("+switch-master")).as("the failover ended before the reset:\n%s", log).isPositive()
                .isLessThan(log.indexOf("+reset-master"));
        assertThat(Proc.await(Duration.ofSeconds(20), () -> Proc.cli(SENTINEL, sentinelPort, null, "SENTINEL", "get-master-addr-by-name", "mymaster")
                .startsWith(promoted + "\n"))).as("the Sentinel names the promoted replica:\n%s", sentinel.logText()).isTrue();
        assertThat(replicas()).doesNotContain(GONE_NAME);
        System.out.printf("ScaleInResetLiveTest: the failover's leader reset after +switch-master, naming the new master%n");
    }

    /**
     * prestop.sh of the master, once the scale-in removed redis-3, which the Sentinel last saw answering as a master
     * (the master before this one, in the drill's 5 -> 3 roll). Gone with its name, it is promoted by nobody: the
     * hand-over does not wait PRESTOP_FRESH_SECONDS (15 s) for that view to freshen, which it never does.
     */
    @Test
    void theMastersPreStopDoesNotWaitForTheViewOfARemovedPod() throws Exception {
        master = redis("redis-0", MASTER, null);
        gone = redis("redis-3", GONE, GONE_NAME, "replica-priority 0");
        String next = LoopbackPods.C;
        redis("redis-1", next, next);
        assertThat(Proc.await(Duration.ofSeconds(20), () -> Proc.cli(MASTER, port, PASSWORD, "INFO", "replication")
                .contains("ip=" + next + ",port=" + port + ",state=online"))).as("redis-1 online at the master").isTrue();
        startSentinelKnowing(2);
        // redis-3 answers as a master (Sentinel turns such a replica back after 8 s): then it goes, its name too.
        assertThat(Proc.cli(GONE, port, PASSWORD, "REPLICAOF", "NO", "ONE")).isEqualTo("OK");
        assertThat(Proc.await(Duration.ofSeconds(6), () -> replicaField(GONE_NAME, "role-reported").equals("master")))
                .as("the Sentinel saw redis-3 as a master: %s", replicas()).isTrue();
        removeRedis3();

        Map<String, String> env = new HashMap<>(LoopbackPods.env(scripts, Files.createDirectories(tmp.resolve("redis-0/data")), 0, MASTER, port, sentinelPort));
        env.put("CONFIG_DIR", Files.createDirectories(tmp.resolve("redis-0/config")).toString());
        env.put("RUN_DIR", Files.createDirectories(tmp.resolve("redis-0/run")).toString());
        env.put("SENTINEL_ADDRESSES", SENTINEL + ":" + sentinelPort);
        env.put("LOCAL_SENTINEL_HOST", SENTINEL);
        env.put("HOSTS_FILE", scriptHosts().toString());
        env.put("CLUSTER_DOMAIN", "cluster.local");
        // The hand-over's end (this pod a replica of the new one) is split-brain-guard.sh's in a pod, not run here.
        env.put("PRESTOP_WAIT_SECONDS", "10");
        long t0 = System.nanoTime();
        Proc.Background stop = new Proc.Background(List.of("sh", scripts.resolve("prestop.sh").toString()), env, tmp.resolve("prestop.log"));
        procs.add(stop);
        assertThat(Proc.await(Duration.ofSeconds(30), () -> stop.logText().contains("failover of mymaster requested")))
                .as("%s\nSentinel:\n%s", stop.logText(), sentinel.logText()).isTrue();
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(stop.logText()).doesNotContain("still stale", "stale view of: " + GONE_NAME);
        assertThat(seconds).as("failover asked for before PRESTOP_FRESH_SECONDS (15 s): %s", stop.logText()).isLessThan(10);
        assertThat(Proc.await(Duration.ofSeconds(10), () -> Proc.cli(SENTINEL, sentinelPort, null, "SENTINEL", "get-master-addr-by-name", "mymaster")
                .startsWith(next + "\n"))).as("the Sentinel names redis-1:\n%s", sentinel.logText()).isTrue();
        System.out.printf("ScaleInResetLiveTest: the master's preStop asked for the failover after %.1f s with a removed pod last seen as master%n", seconds);
    }

    /** FIELD of the replica the Sentinel knows by HOST ("" when none). */
    String replicaField(String host, String key) {
        List<String> flat = Proc.cli(SENTINEL, sentinelPort, null, "SENTINEL", "REPLICAS", "mymaster").lines().toList();
        List<Map<String, String>> replicas = new ArrayList<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            // Each replica's fields start with its name.
            if (flat.get(i).equals("name") || replicas.isEmpty()) {
                replicas.add(new HashMap<>());
            }
            replicas.get(replicas.size() - 1).put(flat.get(i), flat.get(i + 1));
        }
        return replicas.stream().filter(r -> host.equals(r.get("ip"))).map(r -> r.getOrDefault(key, "")).findFirst().orElse("");
    }

    /** A Redis pod at HOST (redis-0 the master, any other its replica, announced by ANNOUNCE when not null). */
    Proc.Background redis(String pod, String host, String announce, String... extra) throws Exception {
        Path root = Files.createDirectories(tmp.resolve(pod));
        StringBuilder conf = new StringBuilder()
                .append("port ").append(port).append('\n')
                .append("bind ").append(host).append('\n')
                .append("dir ").append(root).append('\n')
                .append("save \"\"\nappendonly no\n")
                .append("requirepass ").append(GuardLiveTest.confString(PASSWORD)).append('\n')
                .append("masterauth ").append(GuardLiveTest.confString(PASSWORD)).append('\n');
        if (announce != null) {
            conf.append("replica-announce-ip ").append(announce).append('\n')
                    .append("replicaof ").append(MASTER).append(' ').append(port).append('\n');
        }
        for (String line : extra) {
            conf.append(line).append('\n');
        }
        Files.writeString(root.resolve("redis.conf"), conf.toString());
        Proc.Background p = new Proc.Background(List.of("redis-server", root.resolve("redis.conf").toString()), Map.of(), root.resolve("redis.log"));
        procs.add(p);
        GuardLiveTest.awaitPong(host, port, PASSWORD);
        return p;
    }

    /** The Sentinel of pod redis-0, in a mount namespace whose /etc/hosts names redis-3 (its script resolves through scriptHosts()). */
    Proc.Background sentinel() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("sentinel"));
        Path hosts = root.resolve("hosts");
        Files.writeString(hosts, "127.0.0.1 localhost\n" + GONE + " " + GONE_NAME + "\n");
        Path notify = scripts.resolve("sentinel-notify.sh");
        Files.setPosixFilePermissions(notify, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path conf = root.resolve("sentinel.conf");
        Files.writeString(conf, "port " + sentinelPort + "\nbind " + SENTINEL + "\ndir " + root + "\n"
                + "sentinel resolve-hostnames yes\nsentinel announce-hostnames yes\n"
                + "sentinel monitor mymaster " + MASTER + " " + port + " 2\n"
                + "sentinel auth-pass mymaster " + GuardLiveTest.confString(PASSWORD) + "\n"
                + "sentinel down-after-milliseconds mymaster 1000\n"
                + "sentinel failover-timeout mymaster 60000\n"
                + "sentinel notification-script mymaster " + notify + "\n");
        Map<String, String> env = new HashMap<>(LoopbackPods.env(scripts, root, 0, MASTER, port, sentinelPort));
        env.put("LOCAL_SENTINEL_HOST", SENTINEL);
        env.put("SENTINEL_DIR", root.toString());
        env.put("CONFIG_DIR", root.toString());
        env.put("ADDRESS_MODE", "hostname");
        env.put("CLUSTER_DOMAIN", "cluster.local");
        env.put("HOSTS_FILE", scriptHosts().toString());
        env.put("FENCE_WAIT_SECONDS", "2");
        env.put("ELECTION_WATCH_ENABLED", "false");
        env.put("SENTINEL_RESET_WAIT_SECONDS", Integer.toString(RESET_WAIT_SECONDS));
        Proc.Background s = new Proc.Background(List.of("unshare", "-m", "--propagation", "private", "sh", "-c",
                "mount --bind \"$0\" /etc/hosts && exec redis-sentinel \"$1\"", hosts.toString(), conf.toString()), env, root.resolve("sentinel.log"));
        procs.add(s);
        GuardLiveTest.awaitPong(SENTINEL, sentinelPort, null);
        return s;
    }

    /** The hosts file the scripts resolve through: redis-0 and, until the scale-in removes it, redis-3. */
    Path scriptHosts() {
        return tmp.resolve("script-hosts");
    }

    /** The Sentinel (after the pods), once it knows REPLICAS replicas, redis-3 among them by its name. */
    void startSentinelKnowing(int replicas) throws Exception {
        Files.writeString(scriptHosts(), MASTER + " redis-0.redis-headless.default.svc.cluster.local\n" + GONE + " " + GONE_NAME + "\n");
        sentinel = sentinel();
        assertThat(Proc.await(Duration.ofSeconds(30), () -> Integer.toString(replicas).equals(field("num-slaves")) && replicas().contains(GONE_NAME)))
                .as("the Sentinel knows %d replicas, redis-3 by its name: %s\n%s", replicas, replicas(), sentinel.logText()).isTrue();
    }

    /** The scale-in removes redis-3: its pod goes, and its name with it. */
    void removeRedis3() throws Exception {
        gone.close();
        Files.writeString(scriptHosts(), MASTER + " redis-0.redis-headless.default.svc.cluster.local\n");
    }

    String replicas() {
        return Proc.cli(SENTINEL, sentinelPort, null, "SENTINEL", "REPLICAS", "mymaster");
    }

    String field(String key) {
        return LoopbackPods.sentinelMasterField(SENTINEL, sentinelPort, key);
    }
}
