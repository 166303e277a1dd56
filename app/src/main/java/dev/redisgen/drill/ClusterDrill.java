package dev.redisgen.drill;

import dev.redisgen.pipeline.Pipeline;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The drill of one Redis Cluster deployment: its StatefulSet's pods and its Jobs' pods in a {@link Lab}, the
 * cluster created by the rendered creation Job, then the scenarios of {@link ClusterFaults}, each round between a
 * settled cluster and a settled cluster, with a {@link ClusterWriter} and a {@link ClusterObserver} running.
 *
 * <p>Settled: every node reports cluster_state:ok with all 16384 slots served and knows every node; every view
 * agrees on SHARDS masters holding the slots, each with REPLICAS_PER_SHARD healthy replicas on other pods, every
 * replica's link up.
 */
final class ClusterDrill {
    static final double CREATION_TARGET_SECONDS = 60;
    static final double REBOOT_TARGET_SECONDS = 30;
    static final double PRESTOP_TARGET_SECONDS = 3;
    static final double BACKUP_RESTORE_TARGET_SECONDS = 240;
    /** Scenario scale: no target in issue 8; the drill's patience for a scale out and back in, writes flowing. */
    static final double SCALE_TARGET_SECONDS = 900;
    static final double SETTLE_SECONDS = 120;

    final Lab lab;
    /** The deployment as applied now: the rendered one, or during scenario scale the one with more shards. */
    volatile Topology.ClusterGroup c;
    /** The rendering the lab started from (the profile as given). */
    final Pipeline.Result rendered;
    /** Scenario upgrade rolls to upgradeTo in odd rounds and back to upgradeFrom (c) in even ones; null: no --upgrade-to. */
    final Topology.ClusterGroup upgradeTo;
    final Topology.ClusterGroup upgradeFrom;
    final DrillOptions o;
    final List<ScenarioResult> results;
    final Random random;
    /** The scripts' login (observer, checks) and the application's (the writer). */
    final Resp.Login password;
    final Resp.Login appPassword;
    final Lab.Pod createJob;
    final Lab.Pod backupJob;
    final Lab.Pod restoreJob;
    final int restoreBackoffLimit;
    /** The writer of the running round, and its number. */
    ClusterWriter writer;
    /** The round's longest time without an acknowledged write, where the scenario measures it besides its figure (null: not). */
    Double gap;
    /** The number of the running round. */
    int round;
    /** Targets of the running round besides its figure that were missed (the round fails). */
    final List<String> violations = Collections.synchronizedList(new ArrayList<>());

    private ClusterDrill(Lab lab, Topology.ClusterGroup c, Topology.ClusterGroup upgradeTo, Pipeline.Result rendered, DrillOptions o,
                         List<ScenarioResult> results, Random random, int restoreBackoffLimit) {
        this.lab = lab;
        this.c = c;
        this.upgradeTo = upgradeTo;
        this.upgradeFrom = c;
        this.rendered = rendered;
        this.o = o;
        this.results = results;
        this.random = random;
        this.password = lab.adminLogin(c.redis(), "cluster-start.sh");
        this.appPassword = lab.appLogin(c.redis(), "cluster-start.sh");
        this.createJob = lab.jobPods.get(0);
        this.backupJob = c.backup() == null ? null : lab.jobPods.get(1);
        this.restoreJob = c.backup() == null ? null : lab.jobPods.get(2);
        this.restoreBackoffLimit = restoreBackoffLimit;
    }

    /** Runs the drill of cluster C (bootstrap, then every cluster scenario of O, O's rounds each; upgrade rolls to UPGRADE_TO). */
    static void run(Topology.ClusterGroup c, Topology.ClusterGroup upgradeTo, Pipeline.Result rendered, String namespace, Path root, DrillOptions o, String busybox,
                    boolean userns, Random random, List<ScenarioResult> results) throws IOException, InterruptedException {
        List<Topology.PodTemplate> jobs = new ArrayList<>(List.of(c.create()));
        int restoreBackoff = 0;
        if (c.backup() != null) {
            String from = c.backup().containers().get(0).literal("BACKUP_NAME").orElse("manual") + "/latest";
            var job = (io.fabric8.kubernetes.api.model.batch.v1.Job) Pipeline.restore(rendered.source(), c.name(), from, false).get(0);
            jobs.add(c.backup());
            jobs.add(Topology.job(job, Topology.configMaps(rendered.objects())));
            restoreBackoff = java.util.Optional.ofNullable(job.getSpec().getBackoffLimit()).orElse(0);
        }
        try (Lab lab = new Lab(c.redis(), jobs, namespace, root, busybox, userns)) {
            if (c.backup() != null) {
                // One PersistentVolumeClaim (the backup volume) mounted by the backup and the restore Jobs' pods.
                String claim = jobs.get(1).volumes().stream().filter(v -> v.kind() == Topology.VolumeSource.Kind.CLAIM)
                        .map(Topology.VolumeSource::name).findFirst().orElseThrow();
                String restoreClaim = jobs.get(2).volumes().stream().filter(v -> v.kind() == Topology.VolumeSource.Kind.CLAIM)
                        .map(Topology.VolumeSource::name).findFirst().orElseThrow();
                if (!claim.equals(restoreClaim)) {
                    throw new IOException("the restore Job mounts volume " + restoreClaim + ", the backup Job " + claim);
                }
                lab.shareClaim(lab.jobPods.get(1), lab.jobPods.get(2), claim);
            }
            new ClusterDrill(lab, c, upgradeTo, rendered, o, results, random, restoreBackoff).all();
        }
    }

    void log(String s) {
        if (o.log() != null) {
            o.log().accept(String.format(Locale.ROOT, "[drill %s] %s", c.name(), s));
        }
    }

    void all() throws InterruptedException {
        log("network namespaces and links of this run: " + lab.namePrefix() + "*");
        if (!scenario(Scenario.BOOTSTRAP, 1)) {
            log("the cluster was not created: no other scenario runs");
            return;
        }
        for (Scenario s : o.scenarios()) {
            if (s == Scenario.BOOTSTRAP || !s.cluster() || s == Scenario.UPGRADE && upgradeTo == null) {
                continue;
            }
            for (int round = 1; round <= o.rounds(); round++) {
                scenario(s, round);
            }
        }
    }

    /** One round; true when it passed. */
    boolean scenario(Scenario s, int round) throws InterruptedException {
        log("scenario " + s.id() + " round " + round);
        this.round = round;
        ClusterFault fault = ClusterFaults.of(s);
        writer = new ClusterWriter(lab, "drill:" + s.id() + ":" + round, appPassword, c.port());
        ClusterObserver observer = new ClusterObserver(lab, password, c.port());
        violations.clear();
        gap = null;
        List<String> note = new ArrayList<>();
        double target = fault.target(this);
        Double figure = null;
        boolean settled = false;
        long[] lost = {0, 0};
        Map<String, Integer> logOffsets = Timeline.offsets(lab);
        java.time.Instant faultWall = java.time.Instant.now();
        try {
            if (s != Scenario.BOOTSTRAP) {
                String why = awaitSettled(SETTLE_SECONDS);
                if (why != null) {
                    throw new IOException("cluster not settled before the scenario: " + why);
                }
            }
            writer.start();
            observer.start();
            if (s != Scenario.BOOTSTRAP) {
                Thread.sleep(1500);
            }
            faultWall = java.time.Instant.now();
            figure = fault.inject(this, System.nanoTime(), note);
            String why = awaitSettled(SETTLE_SECONDS);
            settled = why == null;
            if (!settled) {
                note.add("not settled afterwards: " + why);
            }
            Thread.sleep(1000);
            writer.stop();
            observer.stop();
            lost = writer.lost();
        } catch (IOException | RuntimeException e) {
            note.add("error: " + e.getMessage());
            writer.stop();
            observer.stop();
        }
        List<ClusterWriter.Ack> acks = writer.acks();
        long confirmed = acks.stream().filter(a -> a.confirmed).count();
        if (observer.moments() > 0) {
            note.add("a slot served by two masters: " + String.join(", ", observer.details()));
        }
        if (fault.everyKeyBack() && lost[1] > 0) {
            note.add(lost[1] + " acknowledged key(s) not back");
        }
        note.addAll(violations);
        boolean ok = figure != null && figure <= target && lost[0] == 0 && observer.moments() == 0 && settled && violations.isEmpty()
                     && (!fault.everyKeyBack() || lost[1] == 0);
        ScenarioResult r = new ScenarioResult(c.name(), s, round, figure, target, acks.size(), confirmed, lost[0], lost[1],
                observer.moments(), settled, ok, String.join("; ", note), gap, null);
        log(String.format(Locale.ROOT, "%s round %d: %s s (target %.0f s), acked %d, confirmed %d, lost confirmed %d, lost acked-only %d,"
                + " slots served twice %d, write errors %d, redirections %d: %s %s", s.id(), round, figure, target, acks.size(), confirmed,
                lost[0], lost[1], observer.moments(), writer.errors(), writer.redirects(), ok ? "PASS" : "FAIL", r.note()));
        if (!ok) {
            Timeline.tails(lab).forEach(this::log);
            log(Timeline.of(lab, TIMELINE, Timeline.title(o.profile(), r.deployment(), s, round), faultWall, logOffsets,
                    figure == null ? target + 30 : figure));
        }
        results.add(r);
        return ok;
    }

    /**
     * What a failed round's timeline shows: the cluster bus's failure detection, elections and failovers, manual
     * failovers, address changes and shutdowns, every line of the pod and Job scripts, the role changes and syncs.
     */
    static final java.util.regex.Pattern TIMELINE = java.util.regex.Pattern.compile(
            "[#*] (Cluster state changed|Marking node|FAIL message received|Clear FAIL state|Failover auth|Starting a failover election|"
            + "Start of election delayed|Failover election won|Currently unable to failover|configEpoch set|Manual failover|"
            + "Configuration change detected|Connection with master lost|Address updated for node|User requested shutdown)|"
            + Timeline.SCRIPTS_AND_REPLICATION);

    // ------------------------------------------------------------ observations

    static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    static boolean await(double seconds, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }

    ClusterNodes view(Lab.Pod p) {
        return ClusterNodes.of(p.ip, c.port(), password).orElse(null);
    }

    Map<String, String> info(Lab.Pod p, String... section) {
        Map<String, String> m = new TreeMap<>();
        if (Resp.once(p.ip, c.port(), password, 1000, section) instanceof String s) {
            for (String line : s.split("\r?\n")) {
                int i = line.indexOf(':');
                if (i > 0) {
                    m.put(line.substring(0, i), line.substring(i + 1).strip());
                }
            }
        }
        return m;
    }

    boolean stateOk(Lab.Pod p) {
        return "ok".equals(info(p, "CLUSTER", "INFO").get("cluster_state"));
    }

    boolean allOk() {
        return lab.redisPods.stream().allMatch(this::stateOk);
    }

    boolean linkedReplica(Lab.Pod p) {
        Map<String, String> i = info(p, "INFO", "replication");
        return "slave".equals(i.get("role")) && "up".equals(i.get("master_link_status"));
    }

    /** Null when the cluster is settled (see the class comment); otherwise why not. */
    String settledWhy() {
        Map<String, BitSet> masters = null;
        for (Lab.Pod p : lab.redisPods) {
            Map<String, String> i = info(p, "CLUSTER", "INFO");
            if (!"ok".equals(i.get("cluster_state")) || !"16384".equals(i.get("cluster_slots_ok"))) {
                return p.name + ": cluster_state:" + i.getOrDefault("cluster_state", "(no answer)") + " slots_ok "
                       + i.getOrDefault("cluster_slots_ok", "?");
            }
            if (!Integer.toString(c.total()).equals(i.get("cluster_known_nodes"))) {
                return p.name + " knows " + i.get("cluster_known_nodes") + " nodes, not " + c.total();
            }
            ClusterNodes v = view(p);
            if (v == null) {
                return p.name + ": no CLUSTER NODES";
            }
            for (ClusterNodes.Node n : v.nodes()) {
                if (n.unhealthy()) {
                    return p.name + " sees " + n.id() + " (" + n.host() + ") " + n.flags();
                }
            }
            Map<String, BitSet> mine = new TreeMap<>();
            for (ClusterNodes.Node m : v.shardMasters()) {
                mine.put(m.id(), m.slots());
                List<ClusterNodes.Node> replicas = v.replicasOf(m.id());
                if (replicas.size() != c.replicasPerShard()) {
                    return p.name + " sees " + replicas.size() + " replica(s) of " + m.host() + ", not " + c.replicasPerShard();
                }
                for (ClusterNodes.Node r : replicas) {
                    if (r.ip().equals(m.ip())) {
                        return p.name + " sees replica " + r.host() + " on its master's address " + r.ip();
                    }
                }
            }
            if (mine.size() != c.shards()) {
                return p.name + " sees " + mine.size() + " masters with slots, not " + c.shards();
            }
            if (masters == null) {
                masters = mine;
            } else if (!masters.equals(mine)) {
                return p.name + " disagrees with " + lab.redisPods.get(0).name + " on the masters and their slots";
            }
            ClusterNodes.Node me = v.myself().orElse(null);
            if (me != null && me.replica() && !linkedReplica(p)) {
                return p.name + ": replica link down";
            }
            if (me != null && !me.ip().equals(p.ip)) {
                return p.name + " announces " + me.ip() + ", its IP is " + p.ip;
            }
        }
        return null;
    }

    /** Waits until settled; null when it is, otherwise why not at the end. */
    String awaitSettled(double seconds) throws InterruptedException {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        String why = "not checked";
        while (System.nanoTime() < deadline) {
            why = settledWhy();
            if (why == null) {
                return null;
            }
            Thread.sleep(300);
        }
        return why;
    }

    /** A master chosen at random (seeded) among the pods that hold slots now. */
    Lab.Pod pickMaster() throws IOException {
        ClusterNodes v = view(lab.redisPods.get(0));
        if (v == null) {
            throw new IOException(lab.redisPods.get(0).name + " does not answer CLUSTER NODES");
        }
        List<Lab.Pod> masters = new ArrayList<>();
        for (ClusterNodes.Node m : v.shardMasters()) {
            lab.podOf(m.ip()).ifPresent(masters::add);
        }
        masters.sort(java.util.Comparator.comparing(p -> p.name));
        if (masters.isEmpty()) {
            throw new IOException("no master with slots");
        }
        return masters.get(random.nextInt(masters.size()));
    }

    /** The slots the pod serves, in its own view. */
    BitSet slotsOf(Lab.Pod p) throws IOException {
        ClusterNodes v = view(p);
        if (v == null || v.myself().isEmpty()) {
            throw new IOException(p.name + " does not answer CLUSTER NODES");
        }
        return v.myself().get().slots();
    }

    /** The time from t0 to the first write to SLOTS acknowledged by another pod than OLD_IP (null: none within bound). */
    Double awaitFailover(long t0, BitSet slots, String oldIp, double boundSeconds) throws InterruptedException {
        long deadline = t0 + (long) (boundSeconds * 1e9);
        while (System.nanoTime() < deadline) {
            ClusterWriter.Ack a = writer.firstAckAfter(t0, slots, oldIp);
            if (a != null) {
                return (a.nanos - t0) / 1e9;
            }
            Thread.sleep(20);
        }
        return null;
    }

    /** Every node's CLUSTER NODES without the ping and pong times, by pod: what a re-run of the creation Job must not change. */
    Map<String, List<String>> snapshot() {
        Map<String, List<String>> out = new TreeMap<>();
        for (Lab.Pod p : lab.redisPods) {
            ClusterNodes v = view(p);
            out.put(p.name, v == null ? List.of("(no answer)") : v.nodes().stream().map(ClusterNodes.Node::raw).sorted().toList());
        }
        return out;
    }

    interface PodAction {
        void run(Lab.Pod pod) throws IOException, InterruptedException;
    }

    /** Runs the action on every Redis pod at once (the StatefulSet's podManagementPolicy Parallel, a node failure). */
    void eachRedisPodAtOnce(String what, PodAction action) throws IOException, InterruptedException {
        List<Thread> threads = new ArrayList<>();
        List<String> errors = Collections.synchronizedList(new ArrayList<>());
        for (Lab.Pod p : lab.redisPods) {
            Thread t = new Thread(() -> {
                try {
                    action.run(p);
                } catch (IOException | InterruptedException e) {
                    errors.add(what + " of " + p.name + ": " + e.getMessage());
                }
            }, "drill-" + what + "-" + p.name);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join(200_000);
        }
        if (!errors.isEmpty()) {
            throw new IOException(String.join("; ", errors));
        }
    }

    /** Runs a Job's pod to its end; null when it succeeded, otherwise why not with what its runs logged (jobStory). */
    String job(Lab.Pod pod, int backoffLimit, List<String> note) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        int before = pod.logText(pod.template.containers().get(0).name()).length();
        List<Integer> runStarts = new ArrayList<>();
        Sh.Result r = lab.runJob(pod, backoffLimit, Duration.ofSeconds(600), runStarts);
        String all = pod.logText(pod.template.containers().get(0).name());
        String log = all.substring(before);
        if (r.code() != 0) {
            List<String> runs = new ArrayList<>();
            for (int i = 0; i < runStarts.size(); i++) {
                runs.add(all.substring(runStarts.get(i), i + 1 < runStarts.size() ? runStarts.get(i + 1) : all.length()));
            }
            return String.format(Locale.ROOT, "Job %s failed (exit %d after %s run(s), %.1f s) %s: %s", pod.template.statefulSet(), r.code(),
                    r.out(), seconds(t0), r.err(), jobStory(runs));
        }
        note.add(String.format(Locale.ROOT, "Job %s succeeded (%s run(s), %.1f s)", pod.template.statefulSet(), r.out(), seconds(t0)));
        lastJobLog = log;
        return null;
    }

    /** A Job script's line without its own time stamp and "script[pod]: " (the drill's time stamp stays). */
    static final java.util.regex.Pattern JOB_LINE_PREFIX = java.util.regex.Pattern.compile(
            "^(\\d{2}:\\d{2}:\\d{2}\\.\\d{3}) \\d{4}-\\d{2}-\\d{2}T[\\d:]+Z [a-z-]+\\[[^]]+\\]: ");

    /**
     * What a failed Job's runs (each run's log) did, first in a failure message (a CI log shows its first lines): the
     * first run whole (the run that made the changes; at most 40 lines: its first 30 and last 10), then the last run
     * whole when there were more (at most 20 lines: its last 20), and how each run between them ended, alike ends
     * counted once.
     */
    static String jobStory(List<String> runs) {
        List<List<String>> lines = runs.stream().map(r -> r.lines().filter(l -> !l.isBlank())
                .map(l -> JOB_LINE_PREFIX.matcher(l).replaceFirst("$1 "))
                .map(l -> l.length() > 240 ? l.substring(0, 240) + "..." : l).toList()).toList();
        List<String> ends = lines.stream().map(l -> l.isEmpty() ? "(nothing logged)" : l.get(l.size() - 1).replaceFirst("^[\\d:.]+ ", "")).toList();
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            if (i == 0 || i == runs.size() - 1) {
                int head = i == 0 ? 30 : 0;
                int tail = i == 0 ? 10 : 20;
                List<String> l = lines.get(i);
                parts.add("run " + (i + 1) + ": " + (l.size() <= head + tail ? String.join(" | ", l)
                        : (head > 0 ? String.join(" | ", l.subList(0, head)) + " | " : "") + "[" + (l.size() - head - tail) + " lines] | "
                          + String.join(" | ", l.subList(l.size() - tail, l.size()))));
            } else {
                int from = i;
                while (i + 1 < runs.size() - 1 && ends.get(i + 1).equals(ends.get(from))) {
                    i++;
                }
                parts.add((i > from ? "runs " + (from + 1) + "-" + (i + 1) + " each" : "run " + (from + 1)) + " ended: " + ends.get(from));
            }
        }
        return String.join("; ", parts);
    }

    /** The profile rendered as a user would with {@code --set 'deployments[N].cluster.shards=SHARDS'}: this deployment in it. */
    Topology.ClusterGroup renderedWithShards(int shards) {
        var source = rendered.source();
        int n = 0;
        while (!source.profile().deployments().get(n).name().equals(c.name())) {
            n++;
        }
        var text = dev.redisgen.profile.ProfileLoader.read(o.profile(), System.in).get(0);
        var loaded = dev.redisgen.profile.ProfileLoader.load(text,
                dev.redisgen.profile.Overrides.of(List.of(), List.of("deployments[" + n + "].cluster.shards=" + shards)));
        return Topology.of(Pipeline.render(loaded).objects()).clusters().stream().filter(g -> g.name().equals(c.name())).findFirst()
                .orElseThrow();
    }

    /**
     * Null when every master with slots holds its share within the creation Job's rebalance threshold
     * (CLUSTER_BALANCE_PERCENT of 16384 / shards, as redis-cli --cluster rebalance --cluster-threshold counts), in
     * the first pod's view; otherwise the shares.
     */
    String unbalanced() {
        ClusterNodes v = view(lab.redisPods.get(0));
        if (v == null) {
            return lab.redisPods.get(0).name + ": no CLUSTER NODES";
        }
        double percent = c.create().containers().get(0).literal("CLUSTER_BALANCE_PERCENT").map(Double::parseDouble).orElse(1.0);
        double share = 16384.0 / c.shards();
        List<String> shares = new ArrayList<>();
        boolean off = false;
        for (ClusterNodes.Node m : v.shardMasters()) {
            int n = m.slots().cardinality();
            shares.add(m.host() + " " + n);
            off |= Math.abs(n - share) > share * percent / 100 + 1;
        }
        return off || shares.size() != c.shards() ? "slots per master " + String.join(", ", shares) + ", wanted " + c.shards()
                + " masters within " + percent + " % of " + Math.round(share) : null;
    }

    /** The log of the last Job that succeeded (its last run). */
    String lastJobLog = "";

    static int intEnv(Topology.ContainerSpec c, String var, int fallback) {
        return c.literal(var).map(Integer::parseInt).orElse(fallback);
    }
}
