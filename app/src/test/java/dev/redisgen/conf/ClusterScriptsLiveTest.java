package dev.redisgen.conf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisgen.drill.MiniResp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The Redis Cluster pod scripts against real redis-server in cluster mode (issue 8): the exact rendered redis.conf
 * of analytics-cluster (node timeout 2 s), the scripts as the ConfigMap carries them, the pod's env, one
 * redis-server per pod on its own loopback address (127.0.8.x), pod names through HOSTS_FILE. Creation,
 * idempotence, repair, healing (an empty volume, new IPs with names resolving late), probes, the preStop hand-over,
 * backups and a restore into a fresh cluster; the main paths under busybox sh as well as dash.
 */
@Execution(ExecutionMode.CONCURRENT) // on the second thread after ClusterDrillTest, while the main thread does the rest
@ResourceLock("heavy-live") // never beside DrillTest or ClusterDrillTest (see ClusterDrillTest); its methods one at a time
@Order(Integer.MAX_VALUE) // forked after ClusterDrillTest, which the second thread takes first (junit-platform.properties)
class ClusterScriptsLiveTest {
    @TempDir
    Path tmp;

    final List<ClusterLab> labs = new ArrayList<>();

    @BeforeEach
    void binaries() {
        Binaries.require("redis-server");
        Binaries.require("redis-cli");
        Binaries.require("busybox");
    }

    @AfterEach
    void stop() {
        labs.forEach(ClusterLab::close);
    }

    ClusterLab lab(String name, int shards, int replicas, String... sets) {
        ClusterLab lab = new ClusterLab(tmp.resolve(name), name, shards, replicas, ClusterLab.freeClusterPort(), List.of(sets));
        labs.add(lab);
        return lab;
    }

    Proc.Result create(ClusterLab lab, String shell) {
        return lab.run(shell, "cluster-create.sh", lab.jobEnv(), Duration.ofSeconds(90));
    }

    /** The creation Job (sh) succeeds; its log and the pods' are the message when it does not. */
    void assertCreated(ClusterLab lab) {
        Proc.Result r = create(lab, "sh");
        assertThat(r.exitCode()).as(() -> "creation Job:\n" + r.all() + "\n" + lab.logs()).isZero();
    }

    static String snapshot(ClusterLab lab) {
        // Ids, roles, masters and slots, and the config epochs: what "nothing changed" means.
        return lab.nodes(0).stream().map(n -> n.id() + " " + n.flags().replace("myself,", "") + " " + n.master() + " " + n.slots())
                .sorted().collect(Collectors.joining("\n")) + "\nepoch " + lab.info(0, "CLUSTER", "INFO").get("cluster_current_epoch");
    }

    @Test
    void creationFormsTheClusterOnNewNodesAndChangesNothingOnAFormedOne() {
        ClusterLab lab = lab("rc", 3, 1);
        lab.startAll("127.0.8.", 1);
        Proc.Result first = create(lab, "sh");
        assertThat(first.exitCode()).as(first.all() + lab.logs()).isZero();
        assertThat(lab.allOk()).isTrue();
        var byId = lab.assertFormed(0);
        // The layout of a first creation: pods 0..2 are the masters, pod 3+k replicates pod k.
        for (int k = 0; k < 3; k++) {
            String masterIp = lab.ips.get(k);
            String replicaIp = lab.ips.get(3 + k);
            var replica = byId.values().stream().filter(n -> n.ip().equals(replicaIp)).findFirst().orElseThrow();
            assertThat(byId.get(replica.master()).ip()).isEqualTo(masterIp);
        }
        assertThat(first.stderr()).contains("cluster formed after").doesNotContain(ClusterLab.PASSWORD);

        String before = snapshot(lab);
        Proc.Result again = create(lab, "busybox");
        assertThat(again.exitCode()).as(again.all()).isZero();
        assertThat(again.stderr()).contains("nothing to change").doesNotContain("CLUSTER MEET", "ADDSLOTS", "REPLICATE");
        assertThat(snapshot(lab)).isEqualTo(before);
    }

    @Test
    void creationRepairsAPartlyFormedCluster() {
        ClusterLab lab = lab("rp", 3, 1);
        lab.extraEnv.put("HEAL_ENABLED", "false");
        lab.startAll("127.0.8.", 11);
        // An interrupted creation: pod 0 holds its range, pod 1 half of its range and knows only pod 0, pod 3
        // replicates pod 0; pods 2, 4 and 5 never met anybody.
        assertThat(lab.cli(0, "CLUSTER", "ADDSLOTSRANGE", "0", "5460")).isEqualTo("OK");
        assertThat(lab.cli(1, "CLUSTER", "ADDSLOTSRANGE", "5461", "8000")).isEqualTo("OK");
        assertThat(lab.cli(1, "CLUSTER", "MEET", lab.ips.get(0), Integer.toString(lab.port))).isEqualTo("OK");
        assertThat(lab.cli(3, "CLUSTER", "MEET", lab.ips.get(0), Integer.toString(lab.port))).isEqualTo("OK");
        String id0 = lab.cli(0, "CLUSTER", "MYID");
        assertThat(Proc.await(Duration.ofSeconds(10), () -> "OK".equals(lab.cli(3, "CLUSTER", "REPLICATE", id0)))).isTrue();

        Proc.Result r = create(lab, "sh");
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.stderr()).contains("slots 8001-10922 of shard 1 are held by nobody", "pod 2 does not know", "pod 4 replicates")
                .doesNotContain("pod 3 replicates");
        assertThat(lab.allOk()).isTrue();
        lab.assertFormed(0);
        assertThat(lab.info(3, "INFO", "replication")).containsEntry("master_host", lab.ips.get(0));
    }

    @Test
    void probesTellTheTruth() throws Exception {
        ClusterLab lab = lab("pr", 3, 1);
        lab.startAll("127.0.8.", 21);
        // Before creation: a node alone is not ready, and alive (it waits for the Job, a restart would not help).
        assertThat(probe(lab, "sh", "cluster-readiness.sh", 0).stdout()).startsWith("not ready: cluster_state:fail");
        assertThat(probe(lab, "sh", "cluster-liveness.sh", 0).exitCode()).isZero();
        assertCreated(lab);
        for (String shell : List.of("sh", "busybox")) {
            for (int i = 0; i < lab.total(); i++) {
                int o = i;
                assertThat(Proc.await(Duration.ofSeconds(15), () -> probe(lab, shell, "cluster-readiness.sh", o).exitCode() == 0))
                        .as("pod %d ready under %s: %s", o, shell, probe(lab, shell, "cluster-readiness.sh", o).all()).isTrue();
                assertThat(probe(lab, shell, "cluster-liveness.sh", o).exitCode()).isZero();
            }
        }
        // Not known to the others: every other node forgets pod 5 (its own view still says ok).
        String id5 = lab.cli(5, "CLUSTER", "MYID");
        lab.stop(5);
        for (int i = 0; i < 5; i++) {
            lab.cli(i, "CLUSTER", "FORGET", id5);
        }
        lab.start(5, lab.ips.get(5), false);
        assertThat(Proc.await(Duration.ofSeconds(10), () -> "PONG".equals(lab.cli(5, "PING")))).isTrue();
        Proc.Result stranger = probe(lab, "sh", "cluster-readiness.sh", 5);
        assertThat(stranger.exitCode()).as(stranger.all()).isEqualTo(1);
        assertThat(stranger.stdout()).contains("not ready");

        // Two of three masters gone: no majority, so no failover. Pod 0 (a master) is out of the cluster: alive at
        // first, dead once the bound has passed. Pod 4 (replica of a failing master) waits for a failover:
        // alive even past the bound.
        lab.extraEnv.put("CLUSTER_LIVENESS_SECONDS", "1");
        String master1 = lab.ips.get(1);
        lab.crash(1, 2);
        assertThat(Proc.await(Duration.ofSeconds(20), () -> "fail".equals(lab.info(0, "CLUSTER", "INFO").get("cluster_state"))
                && "fail".equals(lab.info(4, "CLUSTER", "INFO").get("cluster_state")))).as(lab.cli(0, "CLUSTER", "INFO")).isTrue();
        assertThat(Proc.await(Duration.ofSeconds(15), () -> lab.nodes(4).stream().anyMatch(n -> n.ip().equals(master1) && n.flags().contains("fail"))))
                .isTrue();
        Proc.Result minority = probe(lab, "sh", "cluster-readiness.sh", 0);
        assertThat(minority.stdout()).as(minority.all() + lab.cli(0, "CLUSTER", "INFO") + lab.cli(0, "CLUSTER", "NODES"))
                .startsWith("not ready: cluster_state:fail");
        assertThat(probe(lab, "sh", "cluster-liveness.sh", 0).exitCode()).isZero();
        assertThat(probe(lab, "sh", "cluster-liveness.sh", 4).exitCode()).isZero();
        Thread.sleep(2100);
        Proc.Result dead = probe(lab, "busybox", "cluster-liveness.sh", 0);
        assertThat(dead.exitCode()).as(dead.all()).isEqualTo(1);
        assertThat(dead.stdout()).startsWith("not alive: out of the cluster for").contains("cluster_state:fail");
        Proc.Result waiting = probe(lab, "busybox", "cluster-liveness.sh", 4);
        assertThat(waiting.exitCode()).as("a replica waiting for a failover: " + waiting.all()).isZero();
    }

    Proc.Result probe(ClusterLab lab, String shell, String script, int ordinal) {
        return lab.run(shell, script, lab.env(ordinal), Duration.ofSeconds(20));
    }

    @Test
    void aNodeThatComesBackEmptyRejoinsAsTheMissingReplica() throws Exception {
        ClusterLab lab = lab("wp", 3, 1);
        lab.startAll("127.0.8.", 31);
        assertCreated(lab);
        Map<String, String> keys = lab.write("k", 300);

        // A replica's volume is lost: the pod comes back empty, with a new node id, at a new IP.
        lab.stop(4);
        lab.wipe(4);
        lab.start(4, "127.0.8.44", true);
        assertThat(Proc.await(Duration.ofSeconds(40), () -> healthy(lab)))
                .as("pod 4 rejoins as a replica; logs:\n" + lab.logs()).isTrue();
        assertThat(lab.info(4, "INFO", "replication")).containsEntry("master_host", lab.ips.get(1));

        // A master's volume is lost and the pod comes back at a new IP (as in Kubernetes): its replica takes over,
        // and the empty node becomes the replica of that shard. (Not at its old IP: there its replica, which
        // replicates from an IP, not a node id, reconnects within a second and full-syncs the empty dataset of the
        // node that now answers there, before anything can tell it is another node.)
        lab.stop(0);
        lab.wipe(0);
        lab.start(0, "127.0.8.40", true);
        assertThat(Proc.await(Duration.ofSeconds(60), () -> healthy(lab)))
                .as("pod 0 rejoins; logs:\n" + lab.logs()).isTrue();
        assertThat(lab.info(0, "INFO", "replication")).containsEntry("role", "slave").containsEntry("master_host", lab.ips.get(3));
        assertThat(lab.missing(keys)).isEmpty();
        // The old node ids are forgotten on every node, the new empty one included (it learned them by gossip),
        // and stay so past the 60 s in which CLUSTER FORGET bans an id: no node gossips them back.
        assertThat(Proc.await(Duration.ofSeconds(30), () -> everyNodeKnowsExactlyTheOthers(lab))).as("logs:\n" + lab.logs()).isTrue();
        assertThat(lab.logs()).contains("on every node");
        Thread.sleep(65_000);
        assertThat(everyNodeKnowsExactlyTheOthers(lab)).as("no ghost back after the forget ban; logs:\n" + lab.logs()).isTrue();
    }

    /**
     * A free node (a master without slots, no replica) chooses its shard only on a view that holds all 16384 slots:
     * shards are told apart by the order of their first slots, and one whose slots it has not heard of would shift
     * the places of the others (a CI run: a node moved itself to the wrong shard and left one without a replica).
     * Here the healers see a cluster of two shards of three for 6 s: none moves; once the third takes its slots,
     * each free node replicates its own shard.
     */
    @Test
    void aFreeNodeChoosesItsShardOnlyOnAViewWithEverySlot() throws Exception {
        ClusterLab lab = lab("fv", 3, 1);
        lab.startAll("127.0.8.", 151);
        assertThat(lab.cli(0, "CLUSTER", "ADDSLOTSRANGE", "0", "5460")).isEqualTo("OK");
        assertThat(lab.cli(1, "CLUSTER", "ADDSLOTSRANGE", "5461", "10922")).isEqualTo("OK");
        for (int o = 1; o < 6; o++) {
            assertThat(lab.cli(o, "CLUSTER", "MEET", lab.ips.get(0), Integer.toString(lab.port))).isEqualTo("OK");
        }
        assertThat(Proc.await(Duration.ofSeconds(20), () -> everyNodeKnowsExactlyTheOthers(lab))).as(lab::logs).isTrue();
        // The healers' grace (3 s) passes twice over, at an interval of 1 s.
        Thread.sleep(6_000);
        for (int o = 0; o < 6; o++) {
            assertThat(lab.info(o, "INFO", "replication")).as(() -> "no node chose a shard yet; logs:\n" + lab.logs())
                    .containsEntry("role", "master");
        }
        assertThat(lab.logs()).doesNotContain("lacks a replica: replicating it");

        assertThat(lab.cli(2, "CLUSTER", "ADDSLOTSRANGE", "10923", "16383")).isEqualTo("OK");
        assertThat(Proc.await(Duration.ofSeconds(30), () -> healthy(lab))).as(() -> describe(lab) + lab.logs()).isTrue();
        for (int k = 0; k < 3; k++) {
            assertThat(lab.info(3 + k, "INFO", "replication")).as(lab::logs).containsEntry("master_host", lab.ips.get(k));
        }
    }

    static boolean everyNodeKnowsExactlyTheOthers(ClusterLab lab) {
        for (int i = 0; i < lab.total(); i++) {
            if (lab.nodes(i).size() != lab.total()) {
                return false;
            }
        }
        return true;
    }

    /** What healthy(lab) sees, for a failed wait's message: each pod's cluster state and replication link, the view. */
    static String describe(ClusterLab lab) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < lab.total(); i++) {
            try {
                var info = lab.info(i, "INFO", "replication");
                b.append(String.format("pod %d: state ok %s, role %s, link %s%n", i, lab.stateOk(i), info.get("role"),
                        info.getOrDefault("master_link_status", "-")));
            } catch (RuntimeException | AssertionError e) {
                b.append(String.format("pod %d: %s%n", i, e.getMessage()));
            }
        }
        try {
            lab.nodes(0).forEach(n -> b.append(n).append('\n'));
        } catch (RuntimeException | AssertionError e) {
            b.append(e.getMessage()).append('\n');
        }
        return b.toString();
    }

    static boolean healthy(ClusterLab lab) {
        if (!lab.allOk()) {
            return false;
        }
        try {
            lab.assertFormed(0);
            for (int i = 0; i < lab.total(); i++) {
                var info = lab.info(i, "INFO", "replication");
                if (info.get("role").equals("slave") && !"up".equals(info.get("master_link_status"))) {
                    return false;
                }
            }
            return true;
        } catch (AssertionError e) {
            return false;
        }
    }

    @Test
    void aFullRestartWithNewIpsAndNamesResolvingLateHealsWithinTheBound() throws Exception {
        ClusterLab lab = lab("rs", 3, 1);
        lab.startAll("127.0.8.", 51);
        assertCreated(lab);
        Map<String, String> keys = lab.write("k", 200);
        for (int i = 0; i < lab.total(); i++) {
            lab.stop(i);
        }
        // Every pod restarts at a new IP; the names appear one by one in a random order over 6 s.
        for (int i = 0; i < lab.total(); i++) {
            lab.unpublish(i);
        }
        for (int i = 0; i < lab.total(); i++) {
            lab.start(i, "127.0.8." + (61 + i), false);
        }
        List<Integer> order = new ArrayList<>(List.of(0, 1, 2, 3, 4, 5));
        Collections.shuffle(order, new Random(8));
        long start = System.nanoTime();
        for (int o : order) {
            Thread.sleep(1000);
            lab.publish(o, "127.0.8." + (61 + o));
        }
        assertThat(Proc.await(Duration.ofSeconds(30), () -> healthy(lab))).as("logs:\n" + lab.logs()).isTrue();
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        assertThat(seconds).as("cluster_state:ok everywhere, replicas linked to the masters' new IPs").isLessThanOrEqualTo(30);
        for (int i = 0; i < lab.total(); i++) {
            var info = lab.info(i, "INFO", "replication");
            if (info.get("role").equals("slave")) {
                assertThat(info.get("master_host")).startsWith("127.0.8.6");
            }
        }
        // Who healed it is a race: the node whose name appears last refreshes nodes.conf with every other new address
        // at its start, and Redis's gossip may spread them before the healer meets anyone (the second CI run of the
        // merge of 2026-12-03 healed that way, within the bound). The bound is what users get; the healer's part shows
        // in the log when it acted.
        System.out.println("full restart healed in " + seconds + " s; " + (lab.logs().contains("meeting it there")
                ? "the healer met a node at its new address" : "Redis's gossip spread the new addresses before the healer had to"));
        assertThat(lab.missing(keys)).isEmpty();
    }

    @Test
    void prestopHandsAMastersSlotsToItsReplicaWithoutLosingAnAcknowledgedWrite() throws Exception {
        ClusterLab lab = lab("ps", 3, 1);
        lab.startAll("127.0.8.", 71);
        assertCreated(lab);
        assertThat(Proc.await(Duration.ofSeconds(20), () -> healthy(lab))).isTrue();
        // A writer on the shard of pod 0 (keys whose slots pod 0 owns), until it is redirected.
        var master = lab.nodes(0).stream().filter(n -> n.ip().equals(lab.ips.get(0))).findFirst().orElseThrow();
        PrestopRun run = prestopUnderWrites(lab, master, "w");
        Proc.Result stop = run.stop();
        double seconds = run.seconds();
        List<String> acked = run.acked();
        assertThat(stop.exitCode()).isZero();
        assertThat(stop.stderr()).as(stop.all()).contains("CLUSTER FAILOVER to replica " + lab.ips.get(3), "handed over");
        assertThat(seconds).as("hand-over time").isLessThan(3.0);
        assertThat(lab.info(0, "INFO", "replication")).containsEntry("role", "slave");
        assertThat(lab.info(3, "INFO", "replication")).containsEntry("role", "master");
        assertThat(acked).hasSizeGreaterThan(10);
        Map<String, String> want = run.want();
        assertThat(lab.missing(want)).as("acknowledged writes on the new master").isEmpty();

        // A replica's preStop does nothing.
        Proc.Result replica = lab.run("sh", "cluster-prestop.sh", lab.env(0), Duration.ofSeconds(20));
        assertThat(replica.stderr()).contains("nothing to hand over");
    }

    /**
     * Replicas that lost an election (found by the drill: master-prestop on 4 shards x 2 replicas, the replica asked
     * first had lost one 6.3 s before): for 4 x cluster-node-timeout a manual failover joins the dead election
     * instead of starting one (Redis 7.0), and the old preStop waited 10 s on each. Here both replicas of pod 0 lose
     * one on purpose: the two other masters are frozen (SIGSTOP, under the node timeout) while both are told
     * CLUSTER FAILOVER FORCE, so only pod 0 can vote; they resume after the requests timed out, and the preStop runs
     * once the elections count as expired (2 x node timeout). It passes over each replica after
     * CLUSTER_FAILOVER_SECONDS (2) and hands the slots over with a takeover under a write pause, a writer on the
     * shard going on: every acknowledged write is on the new master.
     */
    @Test
    void prestopPassesOverReplicasThatLostAnElectionAndTakesOverWithoutLosingAWrite() throws Exception {
        ClusterLab lab = lab("pe", 3, 2, "deployments[0].cluster.nodeTimeoutMilliseconds=10000", "namespace.resourceQuota.requestsCpu=64",
                "namespace.resourceQuota.requestsMemory=256Gi", "namespace.resourceQuota.requestsStorage=4Ti");
        lab.startAll("127.0.8.", 141);
        assertCreated(lab);
        if (!Proc.await(Duration.ofSeconds(10), () -> healthy(lab))) {
            // A healer that placed its pod while the Job placed others can leave a shard with 3 replicas and one with
            // 1 (see fourShardsWithTwoReplicasEach): the next run of the Job moves one back.
            assertCreated(lab);
        }
        assertThat(Proc.await(Duration.ofSeconds(30), () -> healthy(lab))).as(() -> describe(lab) + "logs:\n" + lab.logs()).isTrue();
        String id0 = lab.cli(0, "CLUSTER", "MYID");
        var view = lab.nodes(0);
        assertThat(view.stream().filter(n -> n.id().equals(id0)).findFirst().orElseThrow().slotCount()).as("pod 0 is a master").isPositive();
        List<Integer> replicas = new ArrayList<>();
        List<Integer> otherMasters = new ArrayList<>();
        for (int o = 1; o < lab.total(); o++) {
            String id = lab.cli(o, "CLUSTER", "MYID");
            var n = view.stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow();
            if (n.master().equals(id0)) {
                replicas.add(o);
            } else if (n.isMaster() && n.slotCount() > 0) {
                otherMasters.add(o);
            }
        }
        assertThat(replicas).hasSize(2);
        assertThat(otherMasters).hasSize(2);
        for (int o : replicas) {
            int ordinal = o;
            assertThat(Proc.await(Duration.ofSeconds(20), () -> linkedToItsMaster(lab, ordinal))).isTrue();
        }

        // Both replicas ask for votes while only pod 0 can answer: neither reaches the 2 votes of 3 masters.
        List<Long> frozen = otherMasters.stream().map(o -> Long.parseLong(lab.info(o, "INFO", "server").get("process_id"))).toList();
        frozen.forEach(pid -> FenceLiveTest.signal("STOP", pid));
        long elections = System.nanoTime();
        try {
            for (int o : replicas) {
                assertThat(lab.cli(o, "CLUSTER", "FAILOVER", "FORCE")).isEqualTo("OK");
            }
            Thread.sleep(6_000); // past the manual failover's 5 s: late votes no longer start a failover
        } finally {
            frozen.forEach(pid -> FenceLiveTest.signal("CONT", pid));
        }
        for (int o : replicas) {
            assertThat(lab.info(o, "INFO", "replication")).as("pod %d lost its election", o).containsEntry("role", "slave");
        }
        // Expired at 2 x node timeout (20 s), still not retried before 4 x (40 s): the preStop runs in between.
        long expired = elections + 21_000_000_000L;
        Thread.sleep(Math.max(0, (expired - System.nanoTime()) / 1_000_000));

        var master = lab.nodes(0).stream().filter(n -> n.id().equals(id0)).findFirst().orElseThrow();
        PrestopRun run = prestopUnderWrites(lab, master, "e");
        Proc.Result stop = run.stop();
        double seconds = run.seconds();
        double sinceElections = (run.endedNanos() - elections) / 1e9;
        List<String> acked = run.acked();
        assertThat(stop.exitCode()).isZero();
        assertThat(sinceElections).as("the preStop ended before the replicas could try a new election (40 s)").isLessThan(38);
        String log = stop.stderr();
        assertThat(log).as(stop.all()).containsPattern("did not take over within 2s(?s).*did not take over within 2s")
                .contains("writes paused for up to 10000ms", "(takeover at offset")
                // The other replica follows the new master: its write fence stays.
                .doesNotContain("write fence lifted");
        // 2 x 2 s passed over, then the takeover: 4.5-5 s on a quiet machine; the bound leaves room for a loaded one
        // (the old hook's 10 s per replica and no takeover took 41 s).
        assertThat(seconds).as("hand-over time: 2 x 2 s passed over, then the takeover").isBetween(4.0, 12.0);
        assertThat(lab.info(0, "INFO", "replication")).containsEntry("role", "slave");
        String newMaster = lab.info(0, "INFO", "replication").get("master_host");
        assertThat(replicas.stream().map(lab.ips::get).toList()).contains(newMaster);
        assertThat(lab.cli(0, "CLIENT", "PAUSE", "1", "WRITE")).as("the pause is lifted (a new one can be set)").isEqualTo("OK");
        assertThat(acked).hasSizeGreaterThan(10);
        Map<String, String> want = run.want();
        assertThat(lab.missing(want)).as("acknowledged writes on the new master").isEmpty();
        assertThat(Proc.await(Duration.ofSeconds(30), () -> healthy(lab))).as("logs:\n" + lab.logs()).isTrue();
        System.out.printf("cluster preStop, both replicas past a lost election: handed over in %.2f s (%d writes acknowledged)%n%s", seconds,
                acked.size(), log);
    }

    /** What prestopUnderWrites saw: the hook's result and run time, when it ended, and the writes acknowledged meanwhile. */
    record PrestopRun(Proc.Result stop, double seconds, long endedNanos, List<String> acked) {
        /** Each acknowledged key with the value written. */
        Map<String, String> want() {
            return acked.stream().collect(Collectors.toMap(k -> k, k -> "v-" + k, (a, b) -> a, java.util.LinkedHashMap::new));
        }
    }

    /**
     * cluster-prestop.sh of pod 0 (busybox sh), timed, while a writer on the shard of MASTER (pod 0's node) writes keys
     * PREFIX0, PREFIX1... whose slots it owns through one connection to pod 0, from 0.5 s before the hook until it ends or
     * the first reply that is not OK (MOVED: pod 0 is a replica now).
     */
    static PrestopRun prestopUnderWrites(ClusterLab lab, ClusterLab.Node master, String prefix) throws InterruptedException {
        List<String> acked = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            try (MiniResp c = new MiniResp(lab.ips.get(0), lab.port, ClusterLab.PASSWORD)) {
                for (int i = 0; !stop.get(); i++) {
                    String k = prefix + i;
                    if (!ClusterLab.owns(master, MiniResp.slot(k))) {
                        continue;
                    }
                    if (!"OK".equals(c.call("SET", k, "v-" + k))) {
                        return;
                    }
                    acked.add(k);
                }
            }
        });
        writer.start();
        Thread.sleep(500);
        long t0 = System.nanoTime();
        Proc.Result result = lab.run("busybox", "cluster-prestop.sh", lab.env(0), Duration.ofSeconds(60));
        long ended = System.nanoTime();
        stop.set(true);
        writer.join(15_000);
        return new PrestopRun(result, (ended - t0) / 1e9, ended, acked);
    }

    /** A key whose slot pod ORDINAL's node owns now. */
    static String keyOn(ClusterLab lab, int ordinal) {
        var node = lab.nodes(ordinal).stream().filter(n -> n.flags().contains("myself")).findFirst().orElseThrow();
        for (int i = 0; ; i++) {
            if (ClusterLab.owns(node, MiniResp.slot("f" + i))) {
                return "f" + i;
            }
        }
    }

    static Object set(ClusterLab lab, int ordinal, String key) {
        try (MiniResp c = new MiniResp(lab.ips.get(ordinal), lab.port, ClusterLab.PASSWORD)) {
            return c.call("SET", key, "v");
        }
    }

    @Test
    void theWriteFenceStopsAMasterWithoutALinkedReplicaUntilTheClusterFlagsTheReplicaFailing() throws Exception {
        ClusterLab lab = lab("fe", 3, 1);
        lab.startAll("127.0.8.", 91);
        assertCreated(lab);
        assertThat(lab.redisConf).contains("min-replicas-to-write 1", "min-replicas-max-lag 1");
        // Re-armed once the replica has been linked for CLUSTER_FENCE_REARM_SECONDS (5).
        assertThat(Proc.await(Duration.ofSeconds(30), () -> healthy(lab) && lab.cli(0, "CONFIG", "GET", "min-replicas-to-write").endsWith("1")))
                .as("logs:\n" + lab.logs()).isTrue();
        assertThat(lab.log(0)).contains("a replica linked for 5s: CONFIG SET min-replicas-to-write 1");
        String key = keyOn(lab, 0);
        assertThat(set(lab, 0, key)).isEqualTo("OK");

        // Its only replica (pod 3) dies: the master refuses writes (it cannot tell this from being cut off) ...
        lab.crash(3);
        AtomicBoolean refused = new AtomicBoolean();
        assertThat(Proc.await(Duration.ofSeconds(10), () -> {
            Object r = set(lab, 0, key);
            refused.compareAndSet(false, String.valueOf(r).startsWith("-NOREPLICAS"));
            return refused.get();
        })).as("NOREPLICAS within max-lag + 2 s").isTrue();
        // ... until the cluster flags the replica failing (a majority of masters saw it down): the healer lifts the fence.
        assertThat(Proc.await(Duration.ofSeconds(20), () -> "OK".equals(set(lab, 0, key)))).as("logs:\n" + lab.logs()).isTrue();
        assertThat(lab.log(0)).contains("every one flagged fail by the cluster): CONFIG SET min-replicas-to-write 0");

        // The replica comes back: the fence is put back once it has been linked for 5 s.
        lab.start(3, lab.ips.get(3), true);
        assertThat(Proc.await(Duration.ofSeconds(30), () -> healthy(lab) && lab.cli(0, "CONFIG", "GET", "min-replicas-to-write").endsWith("1")))
                .as("logs:\n" + lab.logs()).isTrue();

        // A replica stopped gracefully (preStop) lifts its master's fence first: its shard keeps taking writes.
        Proc.Result stop = lab.run("busybox", "cluster-prestop.sh", lab.env(3), Duration.ofSeconds(20));
        assertThat(stop.stderr()).as(stop.all()).contains("nothing to hand over", "its write fence lifted (min-replicas-to-write 0 on " + lab.ips.get(0));
        assertThat(lab.cli(0, "CONFIG", "GET", "min-replicas-to-write")).endsWith("0");
        lab.stop(3);
        Thread.sleep(4000);
        assertThat(set(lab, 0, key)).as("a write 4 s after its last replica stopped gracefully").isEqualTo("OK");
    }

    @Test
    void backupsPerScheduleAndARestoreIntoAFreshClusterBringEveryKeyBack() throws Exception {
        ClusterLab lab = lab("bk", 3, 1);
        lab.startAll("127.0.8.", 81);
        assertCreated(lab);
        Map<String, String> keys = lab.write("key:", 500, "ttl");
        Path backups = tmp.resolve("backup");
        Map<String, String> env = lab.jobEnv();
        env.put("BACKUP_DIR", backups.toString());
        for (int i = 0; i < 4; i++) {
            env.put("BACKUP_NAME", "hourly");
            env.put("KEEP", "3");
            Proc.Result r = lab.run(i % 2 == 0 ? "busybox" : "sh", "backup.sh", env, Duration.ofSeconds(60));
            assertThat(r.exitCode()).as(r.all()).isZero();
            if (i < 2) {
                env.put("BACKUP_NAME", "daily");
                env.put("KEEP", "7");
                Proc.Result d = lab.run("sh", "backup.sh", env, Duration.ofSeconds(60));
                assertThat(d.exitCode()).as(d.all()).isZero();
            }
        }
        List<Path> hourly = dirs(backups.resolve("hourly"));
        List<Path> daily = dirs(backups.resolve("daily"));
        assertThat(hourly).as("hourly keeps its 3").hasSize(3);
        assertThat(daily).as("daily untouched by hourly's retention").hasSize(2);
        for (Path b : hourly) {
            try (var files = Files.list(b)) {
                assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                        .containsExactly("MANIFEST", "slots-0-5460.rdb", "slots-10923-16383.rdb", "slots-5461-10922.rdb");
            }
        }
        String manifest = Files.readString(daily.get(1).resolve("MANIFEST"));
        assertThat(manifest).contains("backup daily", "mode cluster", "file slots-0-5460.rdb slots=0-5460 ", "sha256=")
                .doesNotContain(ClusterLab.PASSWORD);
        assertThat(manifest.lines().filter(l -> l.startsWith("file ")).mapToInt(l -> Integer.parseInt(l.replaceAll(".* keys=(\\d+) .*", "$1"))).sum())
                .isEqualTo(500);

        // A fresh cluster (other pods, other names) gets the newest hourly backup.
        ClusterLab fresh = lab("rt", 3, 1);
        fresh.startAll("127.0.8.", 91);
        assertCreated(fresh);
        // The env of the Job `redisgen restore --backup hourly/latest` renders, the backup volume at its test path.
        Map<String, String> renv = fresh.jobEnv();
        renv.putAll(fresh.restoreJobEnv("hourly/latest"));
        renv.put("REDIS_PORT", Integer.toString(fresh.port));
        assertThat(renv).containsEntry("RESTORE_FROM", "hourly/latest").containsEntry("BACKUP_DIR", "/backup");
        renv.put("BACKUP_DIR", backups.toString());
        renv.put("RESTORE_LOCAL_HOST", "127.0.8.99");
        renv.put("RESTORE_LOCAL_PORT", Integer.toString(Proc.freePort()));
        Proc.Result restore = fresh.run("busybox", "cluster-restore.sh", renv, Duration.ofSeconds(120));
        assertThat(restore.exitCode()).as(restore.all()).isZero();
        assertThat(restore.stderr()).contains("restored hourly/" + hourly.get(2).getFileName(), "500 keys").doesNotContain(ClusterLab.PASSWORD);
        assertThat(fresh.missing(keys)).as("every key back").isEmpty();
        // TTLs come back too (every tenth key was written with EX 3600).
        assertThat((Long) fresh.onOwner("key:0", "TTL", "key:0")).isBetween(3000L, 3600L);
        assertThat((Long) fresh.onOwner("key:1", "TTL", "key:1")).isEqualTo(-1L);
        // The nodes keep the keys across a restart: they are in their AOF, not only in memory.
        for (int i = 0; i < fresh.total(); i++) {
            fresh.stop(i);
        }
        for (int i = 0; i < fresh.total(); i++) {
            fresh.start(i, fresh.ips.get(i), true);
        }
        assertThat(Proc.await(Duration.ofSeconds(30), () -> healthy(fresh))).isTrue();
        assertThat(fresh.missing(keys)).as("every key back after a restart").isEmpty();

        // A second restore into a cluster that holds keys is refused.
        Proc.Result again = fresh.run("sh", "cluster-restore.sh", renv, Duration.ofSeconds(60));
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.stderr()).contains("already holds 500 keys");
    }

    static List<Path> dirs(Path dir) throws Exception {
        try (var files = Files.list(dir)) {
            return files.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
    }

    @Test
    void fourShardsWithTwoReplicasEach() {
        ClusterLab lab = lab("fx", 4, 2, "namespace.resourceQuota.requestsCpu=64", "namespace.resourceQuota.requestsMemory=256Gi",
                "namespace.resourceQuota.requestsStorage=4Ti");
        lab.startAll("127.0.8.", 101);
        Proc.Result r = create(lab, "busybox");
        assertThat(r.exitCode()).as(r.all()).isZero();
        lab.assertFormed(0);
        String before = snapshot(lab);
        assertCreated(lab);
        assertThat(snapshot(lab)).isEqualTo(before);
        // Replicas placed 3, 2, 2, 1 (a pod's healer chose a shard from its own view while the Job placed others, as in
        // a CI creation): the Job moves one back, and every node sees 2 replicas per shard when it ends.
        var byId = lab.assertFormed(0);
        String shard0 = byId.values().stream().filter(n -> n.isMaster() && n.host().equals("fx-0")).findFirst().orElseThrow().id();
        int mover = byId.values().stream().filter(n -> !n.isMaster() && !n.master().equals(shard0))
                .mapToInt(n -> Integer.parseInt(n.host().substring("fx-".length()))).max().orElseThrow();
        assertThat(lab.cli(mover, "CLUSTER", "REPLICATE", shard0)).isEqualTo("OK");
        assertThat(Proc.await(Duration.ofSeconds(10),
                () -> lab.nodes(0).stream().filter(n -> n.master().equals(shard0)).count() == 3)).isTrue();
        Proc.Result skewed = create(lab, "sh");
        assertThat(skewed.exitCode()).as(skewed.all()).isZero();
        assertThat(skewed.stderr()).contains("which lacks a replica");
        for (int o = 0; o < lab.total(); o++) {
            lab.assertFormed(o);
        }
        // A replica's volume is lost: it comes back as the replica its shard lacks.
        lab.stop(9);
        lab.wipe(9);
        lab.start(9, "127.0.8.119", true);
        assertThat(Proc.await(Duration.ofSeconds(40), () -> healthy(lab))).as("logs:\n" + lab.logs()).isTrue();
    }

    /**
     * Scaling out 3 → 4 shards (issue 8 item 7): the profile rendered with 4 shards, its two new pods started empty,
     * the creation Job of the new spec run while a writer writes (following MOVED and ASK). A lock left by another
     * run holds it back until its lease ends; it is SIGKILLed in the middle of the rebalance; the next run finishes
     * the half-done move and evens out the shares; one more run changes nothing. Every key written before and during
     * is read back.
     */
    @Test
    void scalingOutGivesTheNewShardItsShareOfSlotsWithWritesFlowingAndConvergesAfterAKill() throws Exception {
        ClusterLab lab = lab("so", 3, 1, SCALE_SETS);
        lab.startAll("127.0.8.", 121);
        Proc.Result created = create(lab, "sh");
        assertThat(created.exitCode()).as(created.all()).isZero();
        Map<String, String> before = lab.write("before:", 10_000);

        lab.reshape(4);
        lab.start(6, "127.0.8.127", true);
        lab.start(7, "127.0.8.128", true);
        for (int o : new int[] {6, 7}) {
            assertThat(Proc.await(Duration.ofSeconds(20), () -> "PONG".equals(lab.cli(o, "PING")))).isTrue();
        }
        ClusterWriter writer = new ClusterWriter(lab, "during:");
        Map<String, String> during = writer.acknowledged;
        List<String> refused = writer.refused;
        AtomicInteger redirects = writer.redirects;

        // Another run holds the slot lock (an old creation Job still moving slots): this one waits for its lease.
        Map<String, String> env = lab.jobEnv();
        env.put("CLUSTER_LOCK_SECONDS", "6");
        assertThat(lab.onOwner("redisgen:cluster-slots-lock", "SET", "redisgen:cluster-slots-lock", "old-job/1/0", "PX", "60000")).isEqualTo("OK");
        Path killedLog = tmp.resolve("killed-job.log");
        Proc.Background first = new Proc.Background(List.of("sh", lab.scripts.resolve("cluster-create.sh").toString()), env, killedLog);
        String newMaster = lab.cli(6, "CLUSTER", "MYID");
        assertThat(Proc.await(Duration.ofSeconds(40), () -> first.logText().contains("slots are being moved by another run (old-job/1/0)")))
                .as(first.logText()).isTrue();
        Thread.sleep(1500);
        assertThat(slotsOf(lab, newMaster)).as("no slot moves while the lock is held elsewhere").isZero();
        assertThat(lab.onOwner("redisgen:cluster-slots-lock", "DEL", "redisgen:cluster-slots-lock")).isEqualTo(1L);
        // SIGKILL (a node lost, the Job's pod deleted) once the new shard holds some of its share.
        assertThat(Proc.await(Duration.ofSeconds(60), () -> slotsOf(lab, newMaster) > 0)).as(first.logText()).isTrue();
        List<ProcessHandle> tree = new ArrayList<>(first.process.descendants().toList());
        first.process.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
        first.process.waitFor();
        int half = slotsOf(lab, newMaster);
        assertThat(first.logText()).contains("slots are being moved by another run (old-job/1/0)", "scaling out: 3 masters hold slots, 4 wanted",
                "pod 7 replicates new shard master pod 6", "redis-cli --cluster rebalance");
        assertThat(half).as("killed in the middle of the rebalance").isBetween(1, 4096 - 42);
        if (!importing(lab, 6)) {
            // Killed between two slots, or after the new master took the slot but before the source was told (only
            // the source's MIGRATING left, which the failover below drops): leave one half moved, as a kill between
            // MIGRATE batches does (the source MIGRATING, the new master IMPORTING, one of the slot's keys already
            // there), so that the second run always has a move to finish.
            String key = before.keySet().stream().filter(k -> lab.onOwnerIp(k).equals(lab.ips.get(0))).findFirst().orElseThrow();
            String slot = Integer.toString(MiniResp.slot(key));
            String sourceId = lab.cli(0, "CLUSTER", "MYID");
            assertThat(lab.cli(6, "CLUSTER", "SETSLOT", slot, "IMPORTING", sourceId)).isEqualTo("OK");
            assertThat(lab.cli(0, "CLUSTER", "SETSLOT", slot, "MIGRATING", newMaster)).isEqualTo("OK");
            assertThat(lab.cli(0, "MIGRATE", lab.ips.get(6), Integer.toString(lab.port), key, "0", "5000", "AUTH", ClusterLab.PASSWORD)).isEqualTo("OK");
        }
        assertThat(anySlotOpen(lab)).isTrue();
        // The master the open slot was moving from fails over (a pod of the roll that SHARDS in the pod env starts):
        // its replica holds the slot's keys left, without the MIGRATING marker (a node that changes role drops it).
        int source = -1;
        for (int o : lab.ips.keySet()) {
            if (lab.cli(o, "CLUSTER", "NODES").lines().anyMatch(l -> l.contains("myself") && l.contains("->-"))) {
                source = o;
            }
        }
        // (Killed between IMPORTING and MIGRATING, the slot has no source marker and nothing moved yet: no failover.)
        if (source >= 0) {
            String sourceId = lab.cli(source, "CLUSTER", "MYID");
            int promoted = lab.nodes(0).stream().filter(n -> n.master().equals(sourceId)).map(n -> lab.ips.entrySet().stream()
                    .filter(e -> e.getValue().equals(n.ip())).findFirst().orElseThrow().getKey()).findFirst().orElseThrow();
            failover(lab, promoted);
        }

        long t0 = System.nanoTime();
        Proc.Result second = lab.run("sh", "cluster-create.sh", env, Duration.ofSeconds(300));
        double seconds = (System.nanoTime() - t0) / 1e9;
        writer.stop();
        assertThat(second.exitCode()).as(second.all() + lab.logs()).isZero();
        assertThat(second.stderr()).contains("a slot move was left half done (MIGRATING/IMPORTING): finishing it", ": finishing its move from");
        assertThat(anySlotOpen(lab)).isFalse();
        // The killed run's lock may still be there when the second starts (its lease, 6 s, has to run out): the
        // second waits for it. It must never wait for a lock of its own (given back between its tries).
        long killedPid = first.process.pid();
        assertThat(java.util.regex.Pattern.compile("another run \\(([^)]*)\\)").matcher(second.stderr()).results().map(m -> m.group(1)))
                .as("its own lock is given back between tries").allMatch(holder -> holder.startsWith("job/" + killedPid + "/"));
        assertThat(lab.allOk()).isTrue();
        lab.assertFormed(0);
        for (ClusterLab.Node m : lab.nodes(0)) {
            if (m.isMaster() && m.slotCount() > 0) {
                assertThat(m.slotCount()).as("%s: within 1%% of 16384/4", m).isBetween(4096 - 41, 4096 + 41);
            }
        }
        assertThat(lab.info(7, "INFO", "replication")).containsEntry("master_host", lab.ips.get(6)).containsEntry("master_link_status", "up");
        assertThat(lab.missing(before)).as("keys written before").isEmpty();
        assertThat(during).hasSizeGreaterThan(100);
        assertThat(lab.missing(during)).as("keys acknowledged during the scale out").isEmpty();
        // The write fence (min-replicas-max-lag 12 s) may refuse a write while a replica's acknowledgements lag on a
        // loaded machine: refused, not lost. Nothing else may be refused.
        assertThat(refused).as("writes refused").allMatch(r -> r.contains("NOREPLICAS"));
        if (!refused.isEmpty()) {
            String k = refused.get(0).split(" ")[0];
            System.out.printf("refused (NOREPLICAS): %d, first %s (slot %d), last %s%n", refused.size(), refused.get(0), MiniResp.slot(k),
                    refused.get(refused.size() - 1));
        }
        assertThat(lab.onOwner("redisgen:cluster-slots-lock", "EXISTS", "redisgen:cluster-slots-lock")).as("the lock is given back").isEqualTo(0L);
        long moved = Long.parseLong(lab.cli(6, "DBSIZE"));
        System.out.printf("scale out 3->4: %d slots moved before the kill, second run %.1f s, %d keys on the new shard, "
                + "%d written during (%d redirects, %d refused)%n", half, seconds, moved, during.size(), redirects.get(), refused.size());
        System.out.println(second.stderr());

        String settled = snapshot(lab);
        Proc.Result third = create(lab, "busybox");
        assertThat(third.exitCode()).as(third.all()).isZero();
        assertThat(third.stderr()).contains("nothing to change").doesNotContain("--cluster", "REPLICATE", "MEET");
        assertThat(snapshot(lab)).isEqualTo(settled);
    }

    /**
     * Scaling out 3 → 4 shards when the new pod meant to be the new shard's replica is no free node when the Job
     * chooses: its healer made it a second replica of an old shard (on a view from just after it met the cluster, a CI
     * run). The Job gives the new shard's master that surplus replica before any slot moves to it (the run that failed
     * moved slots to a master without a replica); the new shard gets its share, every key stays.
     */
    @Test
    void scalingOutTakesASurplusReplicaForTheNewShardBeforeAnySlotMoves() throws Exception {
        ClusterLab lab = threeShardsAndTwoNewPods("sr", 161);
        Map<String, String> before = lab.keysBefore;
        String shard0 = lab.cli(0, "CLUSTER", "MYID");
        String newMaster = lab.cli(6, "CLUSTER", "MYID");
        String surplus = lab.cli(7, "CLUSTER", "MYID");
        assertThat(lab.cli(7, "CLUSTER", "MEET", lab.ips.get(0), Integer.toString(lab.port))).isEqualTo("OK");
        assertThat(Proc.await(Duration.ofSeconds(20), () -> lab.nodes(7).stream().anyMatch(n -> n.id().equals(shard0) && !n.flags().contains("handshake"))))
                .as(lab::logs).isTrue();
        assertThat(lab.cli(7, "CLUSTER", "REPLICATE", shard0)).isEqualTo("OK");
        assertThat(Proc.await(Duration.ofSeconds(20), () -> lab.nodes(0).stream().anyMatch(n -> n.id().equals(surplus) && n.master().equals(shard0))))
                .as(() -> describe(lab) + lab.logs()).isTrue();

        Proc.Result scaled = create(lab, "sh");
        assertThat(scaled.exitCode()).as(() -> scaled.all() + lab.logs()).isZero();
        String log = scaled.stderr();
        assertThat(log).contains("scaling out: 3 masters hold slots, 4 wanted: new shard master(s) pod 6",
                "pod 7 replicates new shard master pod 6 (it was a replica beyond 1 of its master)", "redis-cli --cluster rebalance");
        assertThat(log.indexOf("pod 7 replicates new shard master pod 6")).as("the replica is given before any slot moves\n" + log)
                .isLessThan(log.indexOf("redis-cli --cluster rebalance"));
        assertThat(Proc.await(Duration.ofSeconds(30), () -> healthy(lab))).as(() -> describe(lab) + lab.logs()).isTrue();
        assertThat(lab.info(7, "INFO", "replication")).containsEntry("master_host", lab.ips.get(6)).containsEntry("master_link_status", "up");
        assertThat(slotsOf(lab, newMaster)).as("within 1%% of 16384/4").isBetween(4096 - 41, 4096 + 41);
        assertThat(lab.missing(before)).as("keys written before").isEmpty();
    }

    /**
     * Scaling out when no new pod is free: pod 7 is a replica of pod 6 and pod 6 a replica of shard 0's master (as
     * healers make them while a roll leaves a shard short of a replica for a moment; a CI scale out of 4 x 2 shards
     * ended eleven Job runs with "4 masters hold slots, 5 wanted" and a shard with 3 replicas). The Job resets the
     * surplus replica, pod 6, into the new shard's master (pod 7 still replicates it), and pod 6's healer leaves it so
     * while its view lacks a role: right after it met the cluster again it heard of the replicas before their masters,
     * and took shard 0 for one short of a replica (a run of this test: "6:s/m" three seconds after the reset).
     */
    @Test
    void scalingOutResetsAReplicaOfAReplicaIntoTheNewShardsMaster() throws Exception {
        ClusterLab lab = threeShardsAndTwoNewPods("sc", 191);
        Map<String, String> before = lab.keysBefore;
        for (int o : new int[] {6, 7}) {
            assertThat(lab.cli(o, "CLUSTER", "MEET", lab.ips.get(0), Integer.toString(lab.port))).isEqualTo("OK");
        }
        String shard0 = lab.cli(0, "CLUSTER", "MYID");
        String six = lab.cli(6, "CLUSTER", "MYID");
        assertThat(Proc.await(Duration.ofSeconds(20), () -> lab.nodes(7).stream().anyMatch(n -> n.id().equals(six) && !n.flags().contains("handshake"))))
                .as(lab::logs).isTrue();
        assertThat(lab.cli(7, "CLUSTER", "REPLICATE", six)).isEqualTo("OK");
        assertThat(Proc.await(Duration.ofSeconds(20), () -> lab.nodes(6).stream().anyMatch(n -> n.id().equals(shard0) && !n.flags().contains("handshake"))))
                .as(lab::logs).isTrue();
        assertThat(lab.cli(6, "CLUSTER", "REPLICATE", shard0)).isEqualTo("OK");
        assertThat(Proc.await(Duration.ofSeconds(20), () -> lab.nodes(0).stream().anyMatch(n -> n.id().equals(six) && n.master().equals(shard0))))
                .as(() -> describe(lab) + lab.logs()).isTrue();

        Proc.Result scaled = create(lab, "sh");
        assertThat(scaled.exitCode()).as(() -> scaled.all() + lab.logs()).isZero();
        assertThat(scaled.stderr()).contains("scaling out: pod 6 is a replica beyond 1 of its master", "CLUSTER RESET SOFT",
                "scaling out: 3 masters hold slots, 4 wanted: new shard master(s) pod 6");
        assertThat(Proc.await(Duration.ofSeconds(30), () -> healthy(lab))).as(() -> describe(lab) + lab.logs()).isTrue();
        assertThat(lab.info(7, "INFO", "replication")).containsEntry("master_host", lab.ips.get(6)).containsEntry("master_link_status", "up");
        assertThat(slotsOf(lab, six)).as("within 1%% of 16384/4").isBetween(4096 - 41, 4096 + 41);
        assertThat(lab.missing(before)).as("keys written before").isEmpty();
    }

    /**
     * A 3 x 1 cluster formed on 127.0.8.FIRST_HOST and up, 2000 keys written ("before:", kept as keysBefore), then
     * reshaped to 4 shards with pods 6 and 7 started (FIRST_HOST + 6 and + 7), both answering.
     */
    ClusterLab threeShardsAndTwoNewPods(String name, int firstHost) {
        ClusterLab lab = lab(name, 3, 1, SCALE_SETS);
        lab.startAll("127.0.8.", firstHost);
        assertCreated(lab);
        lab.keysBefore = lab.write("before:", 2000);
        lab.reshape(4);
        for (int o : new int[] {6, 7}) {
            lab.start(o, "127.0.8." + (firstHost + o), true);
        }
        for (int o : new int[] {6, 7}) {
            assertThat(Proc.await(Duration.ofSeconds(20), () -> "PONG".equals(lab.cli(o, "PING")))).as(() -> lab.log(o)).isTrue();
        }
        return lab;
    }

    /**
     * The scaling tests' shape: 8 pods need a bigger quota; the profile's node timeout (15 s, so min-replicas-max-lag
     * 12 s): with this lab's 2 s (lag 1 s) the write fence refuses keys' MIGRATE/RESTORE whenever a replica's
     * acknowledgements lag a second on a loaded machine (load average 20+ on 2 cores), and these tests are about
     * moving slots, not the fence (FenceLiveTest and the partition drill are).
     */
    static final String[] SCALE_SETS = {"namespace.resourceQuota.requestsCpu=64", "namespace.resourceQuota.requestsMemory=256Gi",
            "namespace.resourceQuota.requestsStorage=4Ti", "deployments[0].cluster.nodeTimeoutMilliseconds=15000"};

    /** The writer's slot map, as a client library keeps one (lab prefix + slot to the owner's IP). */
    static final Map<String, String> SLOT_OWNERS = new java.util.concurrent.ConcurrentHashMap<>();

    static boolean anySlotOpen(ClusterLab lab) {
        for (int o : lab.ips.keySet()) {
            if (lab.cli(o, "CLUSTER", "NODES").lines().anyMatch(l -> l.contains("myself") && l.contains("["))) {
                return true;
            }
        }
        return false;
    }

    /** True when pod ORDINAL has a slot IMPORTING ("[S-<-FROM]" on its own CLUSTER NODES line). */
    static boolean importing(ClusterLab lab, int ordinal) {
        return lab.cli(ordinal, "CLUSTER", "NODES").lines().anyMatch(l -> l.contains("myself") && l.contains("-<-"));
    }

    static int slotsOf(ClusterLab lab, String id) {
        return lab.nodes(0).stream().filter(n -> n.id().equals(id)).mapToInt(ClusterLab.Node::slotCount).sum();
    }

    /**
     * How long the writer tries a write again that a node answered "CLUSTERDOWN Hash slot not served", as cluster
     * clients do (redis-py retries a ClusterDownError after a pause). Redis 7.0 unbinds every slot of a master on a
     * node that hears from it as a replica before it hears the new master claim them ("Master turned into a slave!
     * Reconfigure the node.": clusterDelNodeSlots), so in a failover a third node may answer so for a moment: a CI run
     * of the drain test had 40 such answers, all for the slots of the shard the drain Job's CLUSTER FAILOVER was
     * moving. A slot still not served after this long is a refusal.
     */
    static final long UNSERVED_RETRY_MILLIS = 2000;

    /** A client writing numbered keys PREFIX0, PREFIX1... through the cluster (MOVED and ASK followed) until stopped. */
    static final class ClusterWriter {
        final Map<String, String> acknowledged = Collections.synchronizedMap(new java.util.LinkedHashMap<>());
        final List<String> refused = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger redirects = new AtomicInteger();
        /** Writes answered "Hash slot not served" that went through when tried again (UNSERVED_RETRY_MILLIS). */
        final List<String> unservedThenWritten = Collections.synchronizedList(new ArrayList<>());
        /** The longest time a write waited for its slot to be served again, in ms. */
        volatile long longestUnservedMillis;
        private final AtomicBoolean writing = new AtomicBoolean(true);
        private final Thread thread;

        ClusterWriter(ClusterLab lab, String prefix) {
            thread = new Thread(() -> {
                Map<String, MiniResp> conns = new java.util.HashMap<>();
                try {
                    for (int i = 0; writing.get(); i++) {
                        String k = prefix + i;
                        String r = set(lab, conns, k);
                        long since = System.nanoTime();
                        String first = r;
                        boolean retried = false;
                        while (r.startsWith("-CLUSTERDOWN Hash slot not served") && System.nanoTime() - since < UNSERVED_RETRY_MILLIS * 1_000_000) {
                            Thread.sleep(50);
                            retried = true;
                            r = set(lab, conns, k);
                        }
                        if (retried && "OK".equals(r)) {
                            long waited = (System.nanoTime() - since) / 1_000_000;
                            longestUnservedMillis = Math.max(longestUnservedMillis, waited);
                            unservedThenWritten.add(k + " " + first + " (served again after " + waited + " ms)");
                        }
                        if ("OK".equals(r)) {
                            acknowledged.put(k, "v-" + k);
                        } else {
                            refused.add(k + " " + r);
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    conns.values().forEach(MiniResp::close);
                }
            });
            thread.start();
        }

        private String set(ClusterLab lab, Map<String, MiniResp> conns, String k) {
            try {
                return clusterSet(lab, conns, k, "v-" + k, redirects);
            } catch (java.io.UncheckedIOException e) {
                conns.values().forEach(MiniResp::close);
                conns.clear();
                return String.valueOf(e.getMessage());
            }
        }

        void stop() throws InterruptedException {
            writing.set(false);
            thread.join(10_000);
        }
    }

    /** SET through the cluster as a client library does: MOVED updates the slot's owner, ASK sends ASKING first. */
    static String clusterSet(ClusterLab lab, Map<String, MiniResp> conns, String key, String value, AtomicInteger redirects) {
        int slot = MiniResp.slot(key);
        String ip = SLOT_OWNERS.getOrDefault(lab.prefix + slot, lab.ips.get(0));
        boolean asking = false;
        String last = "";
        for (int hop = 0; hop < 6; hop++) {
            MiniResp c = conns.computeIfAbsent(ip, a -> new MiniResp(a, lab.port, ClusterLab.PASSWORD));
            if (asking) {
                c.call("ASKING");
            }
            last = String.valueOf(c.call("SET", key, value));
            if (last.equals("OK")) {
                return last;
            }
            String[] f = last.split(" ");
            if ((last.startsWith("-MOVED ") || last.startsWith("-ASK ")) && f.length == 3) {
                redirects.incrementAndGet();
                asking = last.startsWith("-ASK ");
                String host = f[2].substring(0, f[2].lastIndexOf(':'));
                // cluster-preferred-endpoint-type hostname: the pod's name, resolved as a client would.
                ip = host.startsWith(lab.prefix + "-") ? lab.ips.get(Integer.parseInt(host.substring(lab.prefix.length() + 1))) : host;
                if (!asking) {
                    SLOT_OWNERS.put(lab.prefix + slot, ip);
                }
                continue;
            }
            // Which node refused, for which slot: a refusal is read against that node's view and log.
            return last + " [slot " + slot + " at " + ip + "]";
        }
        return last;
    }

    /**
     * Scaling in 4 → 3 shards with the README's steps: roles shuffled first (two masters on pods that go, their
     * replicas on pods that stay), then the Job `redisgen drain` renders from the 3-shard profile (busybox sh), a
     * writer going on: a replica that stays takes over one shard, the master beyond 3 is emptied (weight 0), the
     * replicas re-homed; a second run changes nothing; then the pods are removed and a pod restarted with the
     * 3-shard env forgets the removed nodes on every node. Every key stays.
     */
    @Test
    void scalingInWithTheDrainProcedureKeepsEveryKeyAndTheHealerForgetsTheRemovedNodes() throws Exception {
        ClusterLab lab = lab("si", 4, 1, SCALE_SETS);
        lab.extraEnv.put("CLUSTER_GHOST_SECONDS", "3");
        lab.startAll("127.0.8.", 131);
        Proc.Result created = create(lab, "sh");
        assertThat(created.exitCode()).as(created.all()).isZero();
        Map<String, String> keys = lab.write("k:", 3000);
        // After failovers roles are shuffled: shard 2's and shard 3's masters now on pods 6 and 7, which go, with
        // their replicas on pods 2 and 3, which stay: only 2 masters on pods that stay.
        failover(lab, 7);
        assertThat(Proc.await(Duration.ofSeconds(20), () -> healthy(lab))).as(() -> describe(lab) + lab.logs()).isTrue();
        failover(lab, 6);
        assertThat(Proc.await(Duration.ofSeconds(20), () -> healthy(lab))).as(() -> describe(lab) + lab.logs()).isTrue();
        assertThat(lab.nodes(0).stream().filter(n -> n.isMaster() && n.slotCount() > 0 && (n.host().endsWith("-6") || n.host().endsWith("-7"))))
                .as(() -> "two masters on the pods that go\n" + describe(lab) + lab.logs()).hasSize(2);

        // The drain Job `redisgen drain` renders from the new profile (3 shards), run with the old pods all there,
        // a writer going on meanwhile.
        lab.reshape(3);
        int keep = lab.total();
        Map<Integer, String> ids = new java.util.TreeMap<>();
        for (int o = 0; o < 8; o++) {
            ids.put(o, lab.cli(o, "CLUSTER", "MYID"));
        }
        Map<String, String> env = lab.jobEnv();
        env.putAll(lab.drainJobEnv());
        env.put("REDIS_PORT", Integer.toString(lab.port));
        assertThat(env).containsEntry("CLUSTER_DRAIN", "true").containsEntry("SHARDS", "3");
        ClusterWriter writer = new ClusterWriter(lab, "during:");
        long t0 = System.nanoTime();
        Proc.Result drained = lab.run("busybox", "cluster-create.sh", env, Duration.ofSeconds(300));
        double drain = (System.nanoTime() - t0) / 1e9;
        Thread.sleep(1000);
        writer.stop();
        assertThat(drained.exitCode()).as(drained.all() + lab.logs()).isZero();
        // Pod 2 or pod 3 takes over (the first whose link is up and whom every master sees as a replica: pod 2 may still
        // be syncing after its own failover, as in a CI run); the other shard is emptied.
        assertThat(drained.stderr()).containsPattern("draining: pod [23] takes over the slots of its master")
                .contains("draining: emptying 1 master(s)", "drained after").doesNotContain(ClusterLab.PASSWORD);
        System.out.println(drained.stderr());
        // 3 masters with slots, all on pods that stay, each with its replica there; the pods that go hold nothing.
        List<ClusterLab.Node> view = lab.nodes(0);
        List<ClusterLab.Node> masters = view.stream().filter(n -> n.isMaster() && n.slotCount() > 0).toList();
        assertThat(masters).hasSize(3).allMatch(m -> ordinalOf(ids, m.id()) < keep);
        assertThat(masters.stream().mapToInt(ClusterLab.Node::slotCount).sum()).isEqualTo(16384);
        for (ClusterLab.Node m : masters) {
            assertThat(view.stream().filter(n -> n.master().equals(m.id()) && ordinalOf(ids, n.id()) < keep).count()).as("replicas of %s that stay", m)
                    .isEqualTo(1);
        }
        assertThat(lab.missing(keys)).as("keys written before").isEmpty();
        assertThat(writer.acknowledged).hasSizeGreaterThan(100);
        assertThat(lab.missing(writer.acknowledged)).as("keys acknowledged while draining").isEmpty();
        assertThat(writer.refused).as(() -> "writes refused\n" + drained.stderr() + describe(lab) + lab.logs()).allMatch(r -> r.contains("NOREPLICAS"));
        // Run again: nothing to do, nothing sent.
        String settled = snapshot(lab);
        Proc.Result again = lab.run("sh", "cluster-create.sh", env, Duration.ofSeconds(120));
        assertThat(again.exitCode()).as(again.all()).isZero();
        assertThat(again.stderr()).contains("nothing to drain").doesNotContain("FAILOVER", "REPLICATE", "--cluster");
        assertThat(snapshot(lab)).isEqualTo(settled);

        // 4. The StatefulSet shrinks: pods 6 and 7 go (their names with them); a kept pod restarts with the new env.
        lab.stop(6);
        lab.stop(7);
        lab.unpublish(6);
        lab.unpublish(7);
        lab.start(5, lab.ips.get(5), true);
        assertThat(Proc.await(Duration.ofSeconds(60), () -> healthy(lab) && everyNodeKnowsExactlyTheOthers(lab)))
                .as("logs:\n" + lab.logs()).isTrue();
        assertThat(lab.log(5)).contains("is no pod of the StatefulSet any more (scaled in)");
        for (ClusterLab.Node m : lab.nodes(0)) {
            if (m.isMaster() && m.slotCount() > 0) {
                assertThat(m.slotCount()).as("%s", m).isBetween(5461 - 55, 5462 + 55);
            }
        }
        assertThat(lab.missing(keys)).isEmpty();
        System.out.printf("scale in 4->3: drain Job %.1f s, %d keys written before and %d while draining kept (%d redirects, %d refused,"
                + " %d written once their slot was served again, longest wait %d ms)%n", drain, keys.size(), writer.acknowledged.size(),
                writer.redirects.get(), writer.refused.size(), writer.unservedThenWritten.size(), writer.longestUnservedMillis);
        writer.unservedThenWritten.stream().limit(5).forEach(System.out::println);
    }

    /**
     * CLUSTER FAILOVER on replica ORDINAL until it is the master: on a loaded machine a manual failover may time out
     * waiting for the masters' votes (this lab's node timeout is 2 s), and is then asked again.
     */
    static void failover(ClusterLab lab, int ordinal) {
        for (int attempt = 0; attempt < 4; attempt++) {
            // As an operator would: only a replica whose link is up, and which its master lists as an online
            // replica, can be handed the master's slots (a master ignores a manual failover request from a node it
            // does not know as its replica yet: the request then times out).
            Proc.await(Duration.ofSeconds(15), () -> linkedToItsMaster(lab, ordinal));
            assertThat(lab.cli(ordinal, "CLUSTER", "FAILOVER")).isEqualTo("OK");
            if (Proc.await(Duration.ofSeconds(12), () -> "master".equals(lab.info(ordinal, "INFO", "replication").get("role")))) {
                return;
            }
        }
        throw new AssertionError("pod " + ordinal + " did not take over: " + lab.log(ordinal) + "\n" + lab.logs() + describe(lab));
    }

    /**
     * Replica ORDINAL's link is up, and every master with slots knows it as its master's replica (CLUSTER NODES on
     * each): a master learns a role change by gossip only and refuses its vote to a node it takes for a master, and a
     * replica whose election failed may not try again for 4 x cluster-node-timeout.
     */
    static boolean linkedToItsMaster(ClusterLab lab, int ordinal) {
        var info = lab.info(ordinal, "INFO", "replication");
        if (!"slave".equals(info.get("role")) || !"up".equals(info.get("master_link_status"))) {
            return false;
        }
        String id = lab.cli(ordinal, "CLUSTER", "MYID");
        String masterId = lab.nodes(ordinal).stream().filter(n -> n.id().equals(id)).map(ClusterLab.Node::master).findFirst().orElse("");
        for (int o : lab.ips.keySet()) {
            boolean master = lab.nodes(o).stream().anyMatch(n -> n.flags().contains("myself") && n.isMaster() && n.slotCount() > 0);
            if (master && lab.nodes(o).stream().noneMatch(n -> n.id().equals(id) && n.master().equals(masterId) && !n.isMaster())) {
                return false;
            }
        }
        return true;
    }

    static int ordinalOf(Map<Integer, String> ids, String id) {
        return ids.entrySet().stream().filter(e -> e.getValue().equals(id)).mapToInt(Map.Entry::getKey).findFirst().orElse(-1);
    }
}
