package dev.redisgen.drill;

import dev.redisgen.pipeline.Pipeline;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * {@code redisgen drill}: runs the rendered topology on this machine with real redis-server and
 * redis-sentinel, executing the exact bytes of the rendered configs and scripts, injects faults and
 * measures failover time, lost writes and split brain (see {@link Lab} for the isolation).
 */
public final class Drill {
    /** A cluster that bootstraps slower than this misses the bootstrap target. */
    static final double BOOTSTRAP_TARGET_SECONDS = 60;
    /** The whole-cluster reboot must take writes again within this. */
    static final double REBOOT_TARGET_SECONDS = 60;
    /** The seed's failover bound for jewelry-shop (seed 000). */
    static final double JEWELRY_SHOP_SEED_SECONDS = 30;
    static final double SETTLE_SECONDS = 90;

    private Drill() {
    }

    /** What this machine lacks to run the drill; empty when it can. */
    public static List<String> missingRequirements() {
        List<String> missing = new ArrayList<>();
        for (String bin : List.of("redis-server", "redis-sentinel", "redis-cli", "ip", "unshare", "nsenter", "chroot",
                "sha1sum", "timeout", "getent")) {
            if (!onPath(bin)) {
                missing.add(bin + " (apt-get install redis-server redis-sentinel redis-tools iproute2 util-linux coreutils)");
            }
        }
        if (Userns.euid() != 0) {
            String why = onPath("unshare") ? Userns.unavailable() : null;
            if (why != null) {
                missing.add(why);
            }
        } else if (onPath("unshare") && Sh.run(Duration.ofSeconds(10), "unshare", "--pid", "--mount", "--uts", "--net", "--fork",
                "true").code() != 0) {
            missing.add("namespaces: unshare --pid --mount --uts --net failed (kernel or container forbids them)");
        }
        return missing;
    }

    static boolean onPath(String name) {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/bin:/bin").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return true;
            }
        }
        return false;
    }

    static String which(String name) {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/bin:/bin").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return Path.of(dir, name).toString();
            }
        }
        return null;
    }

    public static DrillReport run(DrillOptions o) {
        String shell = o.busybox() ? "busybox sh" : "system sh (" + shellName() + ")";
        List<String> missing = missingRequirements();
        String busybox = null;
        if (o.busybox()) {
            busybox = which("busybox");
            if (busybox == null) {
                missing.add("busybox (apt-get install busybox)");
            }
        }
        if (!missing.isEmpty()) {
            return new DrillReport(o.profile(), shell, List.of(), List.of(), List.of(), String.join("; ", missing));
        }
        if (Userns.euid() != 0 && !Userns.inside()) {
            return Userns.run(o, shell);
        }
        Pipeline.Result rendered = Pipeline.render(o.profile());
        Topology topology = Topology.of(rendered.objects());
        if (topology.groups().stream().anyMatch(g -> g.proxy() != null) && !onPath("haproxy")) {
            return new DrillReport(o.profile(), shell, List.of(), List.of(), List.of(),
                    "haproxy (apt-get install haproxy): the profile's write endpoint is an HAProxy the drill runs");
        }
        Topology next = o.upgradeTo() == null ? null : Topology.of(Pipeline.render(o.upgradeTo()).objects());
        if (next != null) {
            String why = Upgrade.unsupported(topology, next);
            if (why != null) {
                return new DrillReport(o.profile(), shell, List.of(), List.of(), List.of(), "--upgrade-to " + o.upgradeTo() + ": " + why);
            }
        }
        List<ScenarioResult> results = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        long seed = o.seed() != null ? o.seed() : new java.security.SecureRandom().nextLong() & 0xFFFF_FFFFL;
        notes.add("seed " + seed + ": --seed " + seed + " repeats this run's timing choices (freeze lengths, when a replica"
                  + " restarts during a failover)");
        notes.add("Secrets: every secretKeyRef gets a generated 24-character letters-and-digits password"
                  + " (a password with a space is proven by TlsLiveTest, whose HAProxy checks log in with one); the exporter"
                  + " containers are not run by the drill, the HAProxy ones are (the host's haproxy binary)");
        notes.add("network cut: blackhole routes in the pod's namespace to every other pod; the drill itself stays"
                  + " reachable from the cut pod, like a client on the old master's side of the partition");
        if (Userns.inside()) {
            Topology.PodTemplate redis = topology.groups().isEmpty() ? null : topology.groups().get(0).redis();
            notes.add("unprivileged: the drill ran in a user namespace of its own in which uid " + System.getenv(Userns.MARKER)
                      + " is root; only that uid is mapped, so the pods ran as it"
                      + (redis == null ? "" : ", not as runAsUser " + redis.uid() + " / runAsGroup " + redis.gid()
                                              + " of the pod spec (run as root to drill those too)"));
        }
        if (topology.groups().isEmpty() && topology.clusters().isEmpty()) {
            notes.add("no Sentinel deployment or Redis Cluster in this profile: nothing to drill");
        }
        for (Topology.Group g : topology.groups()) {
            Path root = null;
            try {
                root = o.workDir() != null ? Files.createDirectories(o.workDir().resolve(g.name()))
                        : Files.createTempDirectory("redisgen-drill-");
                try (Lab lab = new Lab(g, topology.namespace(), root, busybox, Userns.inside())) {
                    Topology.Group to = next == null ? null
                            : next.groups().stream().filter(n -> n.name().equals(g.name())).findFirst().orElseThrow();
                    new Run(lab, o, results, notes, o.profile().contains("jewelry-shop"), new java.util.Random(seed + g.name().hashCode()), to)
                            .all();
                }
                if (Boolean.getBoolean("redisgen.drill.keep")) {
                    notes.add(g.name() + ": pod directories and logs kept in " + root + " (-Dredisgen.drill.keep=true)");
                }
            } catch (IOException | RuntimeException e) {
                results.add(new ScenarioResult(g.name(), Scenario.BOOTSTRAP, 0, null, BOOTSTRAP_TARGET_SECONDS, 0, 0, 0, 0, 0,
                        false, false, "drill aborted: " + e.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                results.add(new ScenarioResult(g.name(), Scenario.BOOTSTRAP, 0, null, BOOTSTRAP_TARGET_SECONDS, 0, 0, 0, 0, 0,
                        false, false, "interrupted"));
            }
        }
        for (Topology.ClusterGroup c : topology.clusters()) {
            Topology.ClusterGroup to = next == null ? null
                    : next.clusters().stream().filter(n -> n.name().equals(c.name())).findFirst().orElseThrow();
            clusterRun(c, to, rendered, topology.namespace(), o, busybox, seed, results, notes);
        }
        return new DrillReport(o.profile(), shell, results, topology.notCovered(), notes, null);
    }

    /** The drill of one Redis Cluster deployment (see ClusterDrill); an abort is a failed bootstrap. */
    private static void clusterRun(Topology.ClusterGroup c, Topology.ClusterGroup upgradeTo, Pipeline.Result rendered, String namespace, DrillOptions o, String busybox,
                                   long seed, List<ScenarioResult> results, List<String> notes) {
        notes.add(c.name() + ": Redis Cluster, " + c.shards() + " shards x " + c.replicasPerShard() + " replica(s), cluster-node-timeout "
                  + c.nodeTimeoutMillis() + " ms; the figure of each scenario: bootstrap = start to a settled cluster (creation Job"
                  + " included; re-run must change nothing), master-kill and partition = fault to the first write to the master's slots"
                  + " acknowledged by another node, master-prestop = longest time without an acknowledged write to its slots, reboot ="
                  + " restart to cluster_state:ok on every node, volume-wipe = recreation to a linked replica in a settled cluster,"
                  + " backup-restore = backup + fresh cluster + restore, upgrade = longest time without an acknowledged write to one"
                  + " shard's slots while every pod rolls, scale = out by one shard and back in (gap: the longest time without an"
                  + " acknowledged write to any starting master's slots); 2xmst = moments when a slot was served by two masters");
        Path root = null;
        try {
            root = o.workDir() != null ? Files.createDirectories(o.workDir().resolve(c.name())) : Files.createTempDirectory("redisgen-drill-");
            ClusterDrill.run(c, upgradeTo, rendered, namespace, root, o, busybox, Userns.inside(), new java.util.Random(seed + c.name().hashCode()), results);
            if (Boolean.getBoolean("redisgen.drill.keep")) {
                notes.add(c.name() + ": pod directories and logs kept in " + root + " (-Dredisgen.drill.keep=true)");
            }
        } catch (IOException | RuntimeException e) {
            results.add(new ScenarioResult(c.name(), Scenario.BOOTSTRAP, 0, null, ClusterDrill.CREATION_TARGET_SECONDS, 0, 0, 0, 0, 0,
                    false, false, "drill aborted: " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            results.add(new ScenarioResult(c.name(), Scenario.BOOTSTRAP, 0, null, ClusterDrill.CREATION_TARGET_SECONDS, 0, 0, 0, 0, 0,
                    false, false, "interrupted"));
        }
    }

    private static String shellName() {
        try {
            return Path.of("/bin/sh").toRealPath().getFileName().toString();
        } catch (IOException e) {
            return "sh";
        }
    }

    /** Manual runs: {@code java -cp redisgen.jar dev.redisgen.drill.Drill PROFILE [SCENARIO,...] [ROUNDS] [busybox]}. */
    public static void main(String[] args) throws IOException {
        if (args.length >= 6 && args[0].equals("--inner")) {
            // The drill inside its own user namespace (see Userns): the report goes to a file for the outer one.
            DrillOptions o = new DrillOptions(args[2], java.util.Arrays.stream(args[3].split(",")).map(Scenario::parse).toList(),
                    Integer.parseInt(args[4]), args[5].equals("busybox"), args.length > 6 && !args[6].isEmpty() ? Path.of(args[6]) : null,
                    System.err::println, args.length > 7 && !args[7].isEmpty() ? Long.valueOf(args[7]) : null,
                    args.length > 8 && !args[8].isEmpty() ? args[8] : null);
            Files.writeString(Path.of(args[1]), run(o).toJson(), java.nio.charset.StandardCharsets.UTF_8);
            return;
        }
        DrillOptions o = DrillOptions.of(args.length > 0 ? args[0] : "jewelry-shop").withLog(System.err::println);
        if (args.length > 1 && !args[1].equals("all")) {
            o = o.withScenarios(java.util.Arrays.stream(args[1].split(",")).map(Scenario::parse).toList());
        }
        if (args.length > 2) {
            o = o.withRounds(Integer.parseInt(args[2]));
        }
        if (args.length > 3) {
            o = o.withBusybox(args[3].equals("busybox"));
        }
        DrillReport r = run(o);
        System.out.print(r.table());
        if (Boolean.getBoolean("redisgen.drill.json")) {
            System.out.print(r.toJson());
        }
    }

    /** One Sentinel deployment's run: boot, then the scenarios. */
    private static final class Run {
        final Lab lab;
        final DrillOptions o;
        final List<ScenarioResult> results;
        final List<String> notes;
        final Topology.Group g;
        /** The scripts' login (observers, checks); the writers log in as the application (appPassword). */
        final Resp.Login redisPassword;
        final Resp.Login appPassword;
        final Resp.Login sentinelPassword;
        final double failoverTarget;
        /** Every random timing choice of this run (seeded: DrillOptions.seed). */
        final java.util.Random random;
        boolean booted;
        /** The group scenario upgrade rolls to (null: none), and the one it rolled from. */
        final Topology.Group upgradeTo;
        final Topology.Group upgradeFrom;

        Run(Lab lab, DrillOptions o, List<ScenarioResult> results, List<String> notes, boolean jewelryShop, java.util.Random random,
            Topology.Group upgradeTo) {
            this.lab = lab;
            this.upgradeTo = upgradeTo;
            this.upgradeFrom = lab.group;
            this.random = random;
            this.o = o;
            this.results = results;
            this.notes = notes;
            this.g = lab.group;
            this.redisPassword = lab.adminLogin(g.redis(), "redis-start.sh");
            this.appPassword = lab.appLogin(g.redis(), "redis-start.sh");
            this.sentinelPassword = Resp.Login.of(lab.password(g.sentinels(), "sentinel-start.sh", "SENTINEL_PASSWORD"));
            // An upgrade that changes down-after is measured against the longer of the two.
            double t = Math.max(g.downAfterMillis(), upgradeTo == null ? 0 : upgradeTo.downAfterMillis()) / 1000.0 + 3;
            this.failoverTarget = jewelryShop ? Math.min(t, JEWELRY_SHOP_SEED_SECONDS) : t;
        }

        void log(String s) {
            if (o.log() != null) {
                o.log().accept(String.format(Locale.ROOT, "[drill %s] %s", g.name(), s));
            }
        }

        void all() throws IOException, InterruptedException {
            // Names what this run creates on the machine, so that a leftover (or a test) can tell it from another drill's.
            log("network namespaces and links of this run: " + lab.namePrefix() + "*");
            // Bootstrap always runs first: every other scenario starts from a settled cluster.
            scenario(Scenario.BOOTSTRAP, 1);
            for (Scenario s : o.scenarios()) {
                if (s == Scenario.BOOTSTRAP || !s.sentinel()) {
                    continue;
                }
                for (int round = 1; round <= o.rounds(); round++) {
                    scenario(s, round);
                }
            }
        }

        void scenario(Scenario s, int round) throws InterruptedException {
            log("scenario " + s.id() + " round " + round);
            Writer writer = new Writer(lab, "drill:" + s.id() + ":" + round, appPassword, sentinelPassword);
            Observer observer = new Observer(lab, redisPassword);
            Writer proxyWriter = lab.proxyPods.isEmpty() ? null
                    : Writer.viaProxy(lab, "drill-proxy:" + s.id() + ":" + round, appPassword, lab.proxyPods.get(0), g.proxyPort());
            Writer pinned = Writer.pinned(lab, "drill-pinned:" + s.id() + ":" + round, appPassword, sentinelPassword);
            long[] proxyLost = {0, 0};
            long[] pinnedLost = {0, 0};
            long t0 = System.nanoTime();
            long tEnd = t0;
            current = writer;
            List<String> note = new ArrayList<>();
            Double failover = null;
            double target = switch (s) {
                case BOOTSTRAP -> BOOTSTRAP_TARGET_SECONDS;
                case REBOOT -> REBOOT_TARGET_SECONDS;
                default -> failoverTarget;
            };
            boolean settled = false;
            long[] lost = {0, 0};
            try {
                Lab.Pod master = null;
                if (s != Scenario.BOOTSTRAP) {
                    master = settle(SETTLE_SECONDS);
                    if (master == null) {
                        throw new IOException("cluster not settled before the scenario: " + state());
                    }
                }
                writer.start();
                observer.start();
                pinned.start();
                if (proxyWriter != null) {
                    proxyWriter.start();
                }
                if (s != Scenario.BOOTSTRAP) {
                    Thread.sleep(1500);
                }
                t0 = System.nanoTime();
                failover = switch (s) {
                    case BOOTSTRAP -> bootstrap(t0);
                    case MASTER_KILL, REJOIN -> masterKill(master, t0, s == Scenario.REJOIN, note);
                    case MASTER_PRESTOP -> prestop(master, t0);
                    case SENTINEL_KILL -> sentinelKill(master, t0, note);
                    case REBOOT -> reboot(t0);
                    case PARTITION -> partition(master, t0, note);
                    case ROLLING_UPDATE -> rollingUpdate(t0, note);
                    case CONTAINER_RESTART, OOM_KILL -> containerRestart(master, t0, s == Scenario.OOM_KILL, note);
                    case FREEZE, POD_FREEZE -> freeze(master, t0, s == Scenario.POD_FREEZE, note);
                    case REPLICA_RESTART -> replicaRestart(master, t0, note);
                    case DEAD_MASTER_DNS -> deadMasterDns(master, t0, note);
                    case SPLIT_VOTE -> splitVote(master, t0, note);
                    case UPGRADE -> upgrade(t0, round % 2 == 1 ? upgradeTo : upgradeFrom, note);
                    case VOLUME_WIPE, BACKUP_RESTORE, SCALE -> throw new IllegalStateException(s.id() + " is a Redis Cluster scenario");
                };
                Lab.Pod end = settle(SETTLE_SECONDS);
                settled = end != null;
                if (!settled) {
                    note.add("not settled afterwards: " + state());
                }
                Thread.sleep(1000);
                tEnd = System.nanoTime();
                writer.stop();
                observer.stop();
                pinned.stop();
                if (proxyWriter != null) {
                    proxyWriter.stop();
                }
                String finalMaster = end != null ? end.ip : Writer.discover(lab, sentinelPassword);
                if (finalMaster != null) {
                    lost = writer.lost(finalMaster);
                    pinnedLost = pinned.lost(finalMaster);
                    if (proxyWriter != null) {
                        proxyLost = proxyWriter.lost(finalMaster);
                    }
                } else {
                    note.add("no master to read back from");
                }
            } catch (IOException | RuntimeException e) {
                note.add("error: " + e.getMessage());
                writer.stop();
                observer.stop();
                pinned.stop();
                if (proxyWriter != null) {
                    proxyWriter.stop();
                }
            }
            List<Writer.Ack> acks = writer.acks();
            long confirmed = acks.stream().filter(a -> a.confirmed).count();
            if (observer.moments() > 0) {
                note.add("two masters accepted writes: " + String.join(", ", observer.details()));
            }
            ScenarioResult.Client proxy = proxyWriter == null ? null : client(proxyWriter, proxyLost, t0, tEnd);
            if (proxy != null && proxy.longestGapSeconds() == null) {
                note.add("no write went through the proxy after the fault");
            }
            ScenarioResult.Client pinnedResult = client(pinned, pinnedLost, t0, tEnd);
            Double gap = s == Scenario.BOOTSTRAP || tEnd <= t0 ? null : writer.longestGapSeconds(t0, tEnd);
            if (gap != null && failover != null && gap > target) {
                note.add(String.format(Locale.ROOT, "writes stopped for %.2f s at some point after the fault", gap));
            }
            boolean ok = failover != null && failover <= target && (gap == null || gap <= target) && lost[0] == 0
                         && observer.moments() == 0 && settled
                         && (proxy == null || proxy.longestGapSeconds() != null && proxy.lostConfirmed() == 0)
                         && pinnedResult.lostConfirmed() == 0;
            ScenarioResult r = new ScenarioResult(g.name(), s, round, failover, target, acks.size(), confirmed, lost[0], lost[1],
                    observer.moments(), settled, ok, String.join("; ", note), gap, proxy, pinnedResult);
            log(String.format(Locale.ROOT, "%s round %d: failover %s s, longest gap %s s, acked %d, confirmed %d, lost confirmed %d,"
                    + " lost acked-only %d, double masters %d%s %s %s", s.id(), round, failover, gap, acks.size(), confirmed, lost[0], lost[1],
                    observer.moments(), proxy == null ? "" : String.format(Locale.ROOT, "; via proxy: longest gap %s s, acked %d,"
                            + " lost confirmed %d, lost acked-only %d, READONLY %d", proxy.longestGapSeconds(), proxy.writesAcknowledged(),
                            proxy.lostConfirmed(), proxy.lostAcknowledgedOnly(), proxy.readonlyErrors())
                    + String.format(Locale.ROOT, "; pinned: acked %d, lost confirmed %d, lost acked-only %d",
                            pinnedResult.writesAcknowledged(), pinnedResult.lostConfirmed(), pinnedResult.lostAcknowledgedOnly()),
                    ok ? "PASS" : "FAIL", r.note()));
            if (!ok && !settled) {
                logTails();
            }
            results.add(r);
        }

        static ScenarioResult.Client client(Writer w, long[] lost, long t0, long tEnd) {
            boolean through = w.firstAckAfter(t0, null) != null && tEnd > t0;
            return new ScenarioResult.Client(through ? w.longestGapSeconds(t0, tEnd) : null, w.acks().size(), lost[0], lost[1],
                    w.readonlyErrors());
        }

        void logTails() {
            for (Lab.Pod p : lab.pods) {
                for (var c : p.template.containers()) {
                    String t = p.logText(c.name());
                    log("---- " + p.name + "/" + c.name() + " (last lines)\n"
                        + t.lines().skip(Math.max(0, t.lines().count() - 25)).reduce("", (a, b) -> a + b + "\n"));
                }
            }
        }

        // ------------------------------------------------------------ scenarios

        Double bootstrap(long t0) throws IOException, InterruptedException {
            List<Thread> starts = new ArrayList<>();
            List<String> errors = new ArrayList<>();
            for (Lab.Pod p : lab.pods) {
                Thread t = new Thread(() -> {
                    try {
                        lab.startPod(p, false);
                    } catch (IOException | InterruptedException e) {
                        synchronized (errors) {
                            errors.add(e.getMessage());
                        }
                    }
                });
                t.start();
                starts.add(t);
            }
            for (Thread t : starts) {
                t.join(200_000);
            }
            if (!errors.isEmpty()) {
                throw new IOException(String.join("; ", errors));
            }
            Lab.Pod m = settle(BOOTSTRAP_TARGET_SECONDS + 30);
            booted = m != null;
            return m == null ? null : seconds(t0);
        }

        Double masterKill(Lab.Pod master, long t0, boolean rejoin, List<String> note) throws IOException, InterruptedException {
            lab.killPod(master);
            Double f = awaitFailover(t0, master);
            // The StatefulSet controller recreates the pod: same name and claim, fresh emptyDirs.
            Thread.sleep(1000);
            lab.startPod(master, true);
            if (rejoin) {
                long r0 = System.nanoTime();
                boolean ok = await(30, () -> linkedReplica(master));
                note.add(ok ? String.format(Locale.ROOT, "old master rejoined as a replica in %.1f s", seconds(r0))
                        : "old master did not rejoin as a replica within 30 s");
                if (!ok) {
                    return null;
                }
            }
            return f;
        }

        /** A runid no Sentinel has: the candidate split-vote makes the live Sentinels vote for. */
        static final String ABSENT_CANDIDATE = "0000000000000000000000000000000000000000";

        /**
         * master-kill, and at once every Sentinel still alive votes for a candidate that does not exist, in the next epoch
         * (SENTINEL IS-MASTER-DOWN-BY-ADDR is the vote request): each then starts no failover of its own for
         * 2 x failover-timeout, as after a split vote or a vote for a leader that died mid-election (issue 7).
         */
        Double splitVote(Lab.Pod master, long t0, List<String> note) throws IOException, InterruptedException {
            lab.killPod(master);
            int voted = 0;
            for (Lab.Pod s : lab.sentinelPods) {
                if (s == master) {
                    continue;
                }
                if (voteForAbsentCandidate(s, master)) {
                    voted++;
                }
            }
            note.add(voted + " of " + (lab.sentinelPods.size() - (g.colocated() ? 1 : 0)) + " live Sentinels voted for a candidate that does not exist");
            Double f = awaitFailover(t0, master);
            Thread.sleep(1000);
            lab.startPod(master, true);
            return f;
        }

        /** Sentinel S votes for ABSENT_CANDIDATE about MASTER: in the lowest epoch above its own vote that it accepts. */
        boolean voteForAbsentCandidate(Lab.Pod s, Lab.Pod master) {
            long epoch = 0;
            // The master as this Sentinel names it (a pod name with announce-hostnames), as the vote request must.
            String host = master.ip;
            String port = Integer.toString(g.redisPort());
            if (Resp.once(s.ip, g.sentinelPort(), sentinelPassword, 500, "SENTINEL", "master", g.masterName()) instanceof List<?> l) {
                Map<String, String> f = Resp.fields(l);
                epoch = Long.parseLong(f.getOrDefault("config-epoch", "0"));
                host = f.getOrDefault("ip", host);
                port = f.getOrDefault("port", port);
            }
            // A Sentinel votes when the request's epoch is not below its current epoch, which it does not show: each
            // refusal answers its last vote's epoch, and the next try goes above it.
            for (int tries = 0; tries < 20; tries++) {
                epoch++;
                Object r = Resp.once(s.ip, g.sentinelPort(), sentinelPassword, 500, "SENTINEL", "is-master-down-by-addr", host, port,
                        Long.toString(epoch), ABSENT_CANDIDATE);
                if (!(r instanceof List<?> reply) || reply.size() != 3) {
                    return false;
                }
                if (ABSENT_CANDIDATE.equals(String.valueOf(reply.get(1)))) {
                    return true;
                }
                epoch = Math.max(epoch, Long.parseLong(String.valueOf(reply.get(2))));
            }
            return false;
        }

        Double prestop(Lab.Pod master, long t0) throws IOException, InterruptedException {
            Thread stop = new Thread(() -> {
                try {
                    lab.stopPod(master);
                } catch (IOException | InterruptedException e) {
                    log("stop failed: " + e.getMessage());
                }
            });
            stop.start();
            Double f = awaitFailover(t0, master);
            stop.join(TimeUnit.SECONDS.toMillis(master.template.terminationGraceSeconds() + 30L));
            lab.startPod(master, true);
            return f;
        }

        Double sentinelKill(Lab.Pod master, long t0, List<String> note) throws IOException, InterruptedException {
            Topology.ContainerSpec redis = g.redis().container("redis-start.sh").orElseThrow();
            Topology.ContainerSpec sentinel = g.sentinels().container("sentinel-start.sh").orElseThrow();
            Map<String, Integer> offsets = sentinelLogOffsets();
            lab.killContainer(master, redis.name());
            // Wait for the leader to announce itself, then kill another Sentinel: the failover must
            // complete with the remaining majority.
            SentinelEvent elected = awaitSentinelEvent(offsets, "+elected-leader");
            Lab.Pod leader = elected == null ? null : elected.pod();
            Lab.Pod victim = null;
            for (Lab.Pod p : lab.sentinelPods) {
                if (p != leader && (victim == null || p == master)) {
                    victim = p;
                }
            }
            lab.killContainer(victim, sentinel.name());
            note.add("killed Sentinel " + victim.name + (leader == null ? " (no leader seen in time)" : " while " + leader.name + " led the failover"));
            Double f = awaitFailover(t0, master);
            // The kubelet restarts both containers in place (emptyDirs kept, no init container).
            lab.startContainer(victim, sentinel);
            lab.startContainer(master, redis);
            return f;
        }

        /** A line a Sentinel logged, and the pod of that Sentinel. */
        record SentinelEvent(Lab.Pod pod, String line) {
        }

        /** How far each Sentinel's log has come: events after these offsets are new. */
        Map<String, Integer> sentinelLogOffsets() {
            String sentinel = g.sentinels().container("sentinel-start.sh").orElseThrow().name();
            Map<String, Integer> offsets = new java.util.TreeMap<>();
            for (Lab.Pod p : lab.sentinelPods) {
                offsets.put(p.name, p.logText(sentinel).length());
            }
            return offsets;
        }

        /** Waits (up to down-after + 4 s) for the first Sentinel to log the event after the offsets; null when none did. */
        SentinelEvent awaitSentinelEvent(Map<String, Integer> offsets, String event) throws InterruptedException {
            String sentinel = g.sentinels().container("sentinel-start.sh").orElseThrow().name();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(g.downAfterMillis() + 4000L);
            while (System.nanoTime() < deadline) {
                for (Lab.Pod p : lab.sentinelPods) {
                    String log = p.logText(sentinel);
                    int from = offsets.getOrDefault(p.name, 0);
                    int at = log.length() > from ? log.indexOf(event, from) : -1;
                    if (at >= 0) {
                        int end = log.indexOf('\n', at);
                        return new SentinelEvent(p, log.substring(at, end < 0 ? log.length() : end));
                    }
                }
                Thread.sleep(20);
            }
            return null;
        }

        /**
         * The kubelet restarts a crashed container in place: same pod, IP and volumes (emptyDirs included), no init
         * container, within a second or so, long before down-after, so the Sentinels still name this pod master when
         * it starts again. oom: the kernel's OOM killer picks the container's largest process (redis-server); its
         * death ends the container as PID 1's death does (and memory.oom.group kills the rest).
         */
        Double containerRestart(Lab.Pod master, long t0, boolean oom, List<String> note) throws IOException, InterruptedException {
            Topology.ContainerSpec redis = g.redis().container("redis-start.sh").orElseThrow();
            if (oom) {
                long pid = lab.largestProcess(master, redis.name())
                        .orElseThrow(() -> new IOException("no process in " + master.name + "/" + redis.name()));
                Lab.signal("KILL", List.of(pid));
            }
            lab.killContainer(master, redis.name());
            long fault = System.nanoTime();
            long delay = 300 + random.nextInt(1200);
            Thread.sleep(delay);
            lab.startContainer(master, redis);
            note.add(String.format(Locale.ROOT, "%s/%s %s and restarted in place after %.1f s", master.name, redis.name(),
                    oom ? "OOM-killed (its largest process)" : "SIGKILLed", delay / 1000.0));
            return awaitFailover(fault, null);
        }

        /**
         * SIGSTOP, then SIGCONT after 0.5-3 x down-after: redis-server alone (a stall of the process: a stuck disk, a
         * long fork) or every process of the pod (a paused VM or node; the pod's Sentinel stops too). Shorter than
         * down-after, the old master must simply go on; longer, a replica is promoted meanwhile and the old master
         * must not take a write that is then lost, however long its clients wait for an answer.
         */
        Double freeze(Lab.Pod master, long t0, boolean wholePod, List<String> note) throws IOException, InterruptedException {
            Topology.ContainerSpec redis = g.redis().container("redis-start.sh").orElseThrow();
            double factor = 0.5 + random.nextDouble() * 2.5;
            long millis = (long) (g.downAfterMillis() * factor);
            List<Long> frozen;
            if (wholePod) {
                frozen = lab.freeze(master, null);
            } else {
                frozen = lab.processes(master, redis.name()).subList(0, 1);
                Lab.signal("STOP", frozen);
            }
            long fault = System.nanoTime();
            Thread.sleep(millis);
            Lab.signal("CONT", frozen);
            note.add(String.format(Locale.ROOT, "%s of %s frozen for %.1f s (%.2f x down-after)", wholePod ? "every process"
                    : "redis-server", master.name, millis / 1000.0, factor));
            return awaitFailover(fault, null);
        }

        /**
         * The master pod is killed, and while the Sentinels fail over (when the leader selects or has promoted a replica,
         * chosen at random) another replica pod is recreated with a new IP: the leader's reconfiguration may go to its
         * old address. Co-located, a pod hosting the leader only has its redis container restarted (killing the leader
         * is scenario 4's business).
         */
        Double replicaRestart(Lab.Pod master, long t0, List<String> note) throws IOException, InterruptedException {
            Map<String, Integer> offsets = sentinelLogOffsets();
            lab.killPod(master);
            String event = random.nextBoolean() ? "+selected-slave" : "+promoted-slave";
            SentinelEvent e = awaitSentinelEvent(offsets, event);
            List<Lab.Pod> candidates = new ArrayList<>();
            for (Lab.Pod p : lab.redisPods) {
                if (p != master && (e == null || !e.line().contains(p.fqdn()) && !e.line().contains(" " + p.ip + " "))) {
                    candidates.add(p);
                }
            }
            if (e == null || candidates.isEmpty()) {
                // The failover itself is late (a split vote, say): measured as it is, nobody restarted.
                note.add(e == null ? "no Sentinel logged " + event + " within down-after + 4 s"
                        : "no replica besides the one promoted: " + e.line());
                Double f = awaitFailover(t0, master);
                lab.startPod(master, true);
                return f;
            }
            Lab.Pod victim = candidates.get(random.nextInt(candidates.size()));
            if (g.colocated() && victim == e.pod()) {
                Topology.ContainerSpec redis = g.redis().container("redis-start.sh").orElseThrow();
                lab.killContainer(victim, redis.name());
                lab.startContainer(victim, redis);
                note.add("at " + event + " restarted " + victim.name + "/" + redis.name() + " in place (its pod hosts the leader)");
            } else {
                lab.killPod(victim);
                lab.startPod(victim, true);
                note.add("at " + event + " recreated " + victim.name + " with a new IP");
            }
            Double f = awaitFailover(t0, master);
            Thread.sleep(1000);
            lab.startPod(master, true);
            return f;
        }

        /**
         * The master pod is gone for good (its node died: no DNS record ever again) and, before the failover, another pod
         * restarts: co-located a replica pod (its Sentinel restarts with it), separate a Sentinel pod. Its Sentinel must
         * start at once, monitoring a name that does not resolve, and vote: without it there is no majority. The dead pod
         * is recreated once the failover is measured, so the round can settle.
         */
        Double deadMasterDns(Lab.Pod master, long t0, List<String> note) throws IOException, InterruptedException {
            lab.killPod(master);
            List<Lab.Pod> candidates = new ArrayList<>(g.colocated() ? lab.redisPods : lab.sentinelPods);
            candidates.remove(master);
            Lab.Pod victim = candidates.get(random.nextInt(candidates.size()));
            lab.killPod(victim);
            long delay = 300 + random.nextInt(1200);
            Thread.sleep(delay);
            lab.startPod(victim, true);
            note.add(String.format(Locale.ROOT, "%s recreated %.1f s after the master pod died for good", victim.name, delay / 1000.0));
            Double f = awaitFailover(t0, master);
            lab.startPod(master, true);
            return f;
        }

        /**
         * Every pod restarted at once, as Kubernetes restarts them (all pods deleted together, a rolling node
         * reboot done at once): graceful termination in parallel (preStop, SIGTERM, on which Redis saves),
         * then every pod started again at once (podManagementPolicy Parallel). A crash of every process is
         * scenario 2's SIGKILL applied to all; for an RDB-only profile it loses what the last save missed.
         */
        Double reboot(long t0) throws IOException, InterruptedException {
            eachPodAtOnce("graceful stop", lab::stopPod);
            // Measured from the moment every pod is gone: writes acknowledged before the last stop do not count.
            t0 = System.nanoTime();
            Thread.sleep(1000);
            eachPodAtOnce("restart", p -> lab.startPod(p, true));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos((long) REBOOT_TARGET_SECONDS + 30);
            while (System.nanoTime() < deadline) {
                Writer.Ack a = writerAckAfter(t0, null);
                if (a != null) {
                    return (a.nanos - t0) / 1e9;
                }
                Thread.sleep(50);
            }
            return null;
        }

        /**
         * kubectl rollout restart: each StatefulSet replaces its pods one at a time from the highest
         * ordinal down, the next only once the new pod is ready (the rendered readiness: Redis answers
         * and is not in a full sync; Sentinel answers). Every pod comes back with a new IP, so Sentinels
         * must follow the names, not the addresses they resolved before. Returns the longest time in which
         * no write was acknowledged (the master's own hand-over starts when its preStop does, and writes
         * keep flowing while it waits for fresh Sentinel views: the gap is what clients see).
         */
        Double rollingUpdate(long t0, List<String> note) throws IOException, InterruptedException {
            List<Lab.Pod> order = new ArrayList<>(lab.redisPods);
            java.util.Collections.reverse(order);
            if (!g.colocated()) {
                List<Lab.Pod> sentinels = new ArrayList<>(lab.sentinelPods);
                java.util.Collections.reverse(sentinels);
                order.addAll(sentinels);
            }
            Double[] handOver = {null};
            for (Lab.Pod p : order) {
                String failure = replace(p, p.template, handOver);
                if (failure != null) {
                    note.add(failure);
                    return null;
                }
            }
            double gap = current.longestGapSeconds(t0, System.nanoTime());
            note.add(String.format(Locale.ROOT, "%d pods replaced in %.1f s; the master handed over %s after its deletion;"
                    + " failover = the longest time without an acknowledged write", order.size(), seconds(t0),
                    handOver[0] == null ? "never" : String.format(Locale.ROOT, "%.2f s", handOver[0])));
            return handOver[0] == null ? null : gap;
        }

        /**
         * One pod replaced as its controller replaces it, running TEMPLATE: the master through its preStop
         * hand-over (the seconds it took go to handOver[0]), any other pod stopped and recreated; then the
         * new pod must be ready within 120 s. Returns why not, or null.
         */
        String replace(Lab.Pod p, Topology.PodTemplate template, Double[] handOver) throws IOException, InterruptedException {
            boolean master = lab.redisPods.contains(p) && "master".equals(info(p).get("role"));
            p.template = template;
            if (master) {
                handOver[0] = prestop(p, System.nanoTime());
            } else {
                lab.stopPod(p);
                lab.startPod(p, true);
            }
            return await(120, () -> lab.ready(p)) ? null : p.name + " not ready within 120 s of its recreation: " + state();
        }

        /**
         * kubectl apply of another profile's output: the ConfigMaps change in every pod at once, then each
         * StatefulSet's controller (podManagementPolicy Parallel, RollingUpdate) scales and rolls its pods: new ordinals
         * are created at once, removed ones deleted at once (gracefully: a master among them hands over in its preStop),
         * and the pods kept are replaced from the highest ordinal down, each once every pod above it (new ones included)
         * is Ready; the StatefulSets (and the proxy Deployment, one pod at a time) at the same time, as their controllers
         * do. Then every Redis and Sentinel must run the settings TO renders and the Sentinels count the pods that exist
         * (Upgrade.mismatches). Returns the longest time without an acknowledged write (null on a mismatch).
         */
        Double upgrade(long t0, Topology.Group to, List<String> note) throws IOException, InterruptedException {
            for (Lab.Pod p : lab.pods) {
                lab.updateConfigMaps(p, Upgrade.templateOf(lab, p, to));
            }
            List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            Double[] handOver = {null};
            List<String> added = java.util.Collections.synchronizedList(new ArrayList<>());
            List<String> removed = java.util.Collections.synchronizedList(new ArrayList<>());
            List<String> replaced = java.util.Collections.synchronizedList(new ArrayList<>());
            List<Thread> controllers = new ArrayList<>();
            controllers.add(controller(lab.redisPods, to.redis(), failures, handOver, added, removed, replaced));
            if (!g.colocated()) {
                controllers.add(controller(lab.sentinelPods, to.sentinels(), failures, handOver, added, removed, replaced));
            }
            if (!lab.proxyPods.isEmpty()) {
                List<Lab.Pod> roll = reversed(lab.proxyPods);
                controllers.add(thread("drill-rollout-" + roll.get(0).template.statefulSet(), failures, () -> {
                    for (Lab.Pod p : roll) {
                        String failure = replace(p, to.proxy(), handOver);
                        if (failure != null) {
                            failures.add(failure);
                            return;
                        }
                        replaced.add(p.name);
                    }
                }));
            }
            for (Thread t : controllers) {
                t.join(TimeUnit.MINUTES.toMillis(10));
            }
            if (!failures.isEmpty()) {
                note.addAll(failures);
                return null;
            }
            double gap = current.longestGapSeconds(t0, System.nanoTime());
            note.add(String.format(Locale.ROOT, "rolled to %s in %.1f s: %s added, %s removed, %d pods replaced (%s), %d StatefulSet(s)%s"
                    + " at the same time; the master handed over %s after its deletion; failover = the longest time without an"
                    + " acknowledged write", to == upgradeTo ? "--upgrade-to" : "the first profile", seconds(t0),
                    // Pods created (deleted) at once finish in any order: named by ordinal, so the note reads the same every run.
                    added.isEmpty() ? "none" : String.join(" ", byOrdinal(added)), removed.isEmpty() ? "none" : String.join(" ", byOrdinal(removed)),
                    replaced.size(), String.join(" ", replaced), g.colocated() ? 1 : 2, lab.proxyPods.isEmpty() ? "" : " and the proxy Deployment",
                    handOver[0] == null ? "never" : String.format(Locale.ROOT, "%.2f s", handOver[0])));
            long s0 = System.nanoTime();
            if (settle(SETTLE_SECONDS) == null) {
                note.add("not settled after the roll: " + state());
                return null;
            }
            // The Sentinels learn a new replica from the master's INFO (every 10 s) and forget a gone one only as the
            // scripts make them: the settings, and the counts, must come right within a bound.
            List<String> off = Upgrade.mismatches(lab, to, redisPassword, sentinelPassword);
            long bound = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!off.isEmpty() && System.nanoTime() < bound) {
                Thread.sleep(500);
                off = Upgrade.mismatches(lab, to, redisPassword, sentinelPassword);
            }
            if (!off.isEmpty()) {
                note.add("running settings differ from the rendered ones: " + String.join("; ", off));
                return null;
            }
            note.add(String.format(Locale.ROOT, "running settings equal the rendered ones (Redis CONFIG GET, SENTINEL MASTER, the"
                    + " Sentinels counting %d replicas and %d other Sentinels) %.1f s after the roll", lab.redisPods.size() - 1,
                    lab.sentinelPods.size() - 1, seconds(s0)));
            return gap;
        }

        /**
         * One StatefulSet's controller applying TO to PODS (lab.redisPods, or lab.sentinelPods of separate Sentinels):
         * scale and roll at once (see upgrade).
         */
        Thread controller(List<Lab.Pod> pods, Topology.PodTemplate to, List<String> failures, Double[] handOver, List<String> added,
                          List<String> removed, List<String> replaced) throws IOException {
            List<Lab.Pod> before = new ArrayList<>(pods);
            before.sort(java.util.Comparator.comparingInt(p -> p.ordinal));
            List<Lab.Pod> condemned = before.stream().filter(p -> p.ordinal >= to.replicas()).toList();
            List<Lab.Pod> kept = before.stream().filter(p -> p.ordinal < to.replicas()).toList();
            List<Lab.Pod> created = new ArrayList<>();
            for (int ordinal = before.size(); ordinal < to.replicas(); ordinal++) {
                created.add(lab.addPod(to, ordinal, pods));
            }
            List<Thread> parts = new ArrayList<>();
            for (Lab.Pod p : condemned) {
                parts.add(thread("drill-delete-" + p.name, failures, () -> {
                    // Graceful deletion: the preStop hands a master over first.
                    lab.stopPod(p);
                    lab.removePod(p);
                    removed.add(p.name);
                }));
            }
            for (Lab.Pod p : created) {
                parts.add(thread("drill-create-" + p.name, failures, () -> {
                    lab.startPod(p, false);
                    added.add(p.name);
                }));
            }
            List<Lab.Pod> roll = new ArrayList<>(kept);
            roll.addAll(created);
            java.util.Collections.reverse(roll);
            return thread("drill-rollout-" + to.statefulSet(), failures, () -> {
                for (Lab.Pod p : roll) {
                    if (created.contains(p)) {
                        // At the update revision already: the roll waits for it to be Ready.
                        if (!await(120, () -> lab.ready(p))) {
                            failures.add(p.name + " (new) not ready within 120 s: " + state());
                            return;
                        }
                        continue;
                    }
                    String failure = replace(p, to, handOver);
                    if (failure != null) {
                        failures.add(failure);
                        return;
                    }
                    replaced.add(p.name);
                }
                for (Thread t : parts) {
                    t.join(TimeUnit.MINUTES.toMillis(5));
                }
            });
        }

        interface Step {
            void run() throws IOException, InterruptedException;
        }

        static Thread thread(String name, List<String> failures, Step step) {
            Thread t = new Thread(() -> {
                try {
                    step.run();
                } catch (IOException | RuntimeException e) {
                    failures.add(name + ": " + e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failures.add(name + ": interrupted");
                }
            }, name);
            t.start();
            return t;
        }

        static List<Lab.Pod> reversed(List<Lab.Pod> pods) {
            List<Lab.Pod> r = new ArrayList<>(pods);
            java.util.Collections.reverse(r);
            return r;
        }

        interface PodAction {
            void run(Lab.Pod pod) throws IOException, InterruptedException;
        }

        /** Runs the action on every pod in parallel, like the controllers acting on all pods at once. */
        void eachPodAtOnce(String what, PodAction action) throws InterruptedException {
            List<Thread> threads = new ArrayList<>();
            for (Lab.Pod p : lab.pods) {
                Thread t = new Thread(() -> {
                    try {
                        action.run(p);
                    } catch (IOException | InterruptedException e) {
                        log(what + " of " + p.name + " failed: " + e.getMessage());
                    }
                });
                t.start();
                threads.add(t);
            }
            for (Thread t : threads) {
                t.join(200_000);
            }
        }

        Double partition(Lab.Pod master, long t0, List<String> note) throws IOException, InterruptedException {
            lab.cut(master, true);
            Double f = awaitFailover(t0, master);
            // Hold the partition a while past the failover: an old master that still takes writes
            // (min-replicas-max-lag) shows as a second master meanwhile.
            Thread.sleep(6_000);
            lab.cut(master, false);
            long h0 = System.nanoTime();
            boolean ok = await(60, () -> linkedReplica(master));
            note.add(ok ? String.format(Locale.ROOT, "old master rejoined as a replica %.1f s after the heal", seconds(h0))
                    : "old master did not rejoin as a replica within 60 s of the heal");
            return ok ? f : null;
        }

        // ------------------------------------------------------------ observations

        Writer current;

        Writer.Ack writerAckAfter(long t0, String notIp) {
            return current == null ? null : current.firstAckAfter(t0, notIp);
        }

        /** The time from t0 to the first write a master other than old acknowledged (old null: any master). */
        Double awaitFailover(long t0, Lab.Pod old) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos((long) (failoverTarget * 1000) + 30_000);
            while (System.nanoTime() < deadline) {
                Writer.Ack a = writerAckAfter(t0, old == null ? null : old.ip);
                if (a != null) {
                    return (a.nanos - t0) / 1e9;
                }
                Thread.sleep(20);
            }
            return null;
        }

        static double seconds(long t0) {
            return (System.nanoTime() - t0) / 1e9;
        }

        static boolean await(int seconds, BooleanSupplier c) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < deadline) {
                if (c.getAsBoolean()) {
                    return true;
                }
                Thread.sleep(200);
            }
            return false;
        }

        Map<String, String> info(Lab.Pod p) {
            Object r = Resp.once(p.ip, g.redisPort(), redisPassword, 500, "INFO", "replication");
            Map<String, String> m = new java.util.TreeMap<>();
            if (r instanceof String s) {
                for (String line : s.split("\r?\n")) {
                    int i = line.indexOf(':');
                    if (i > 0) {
                        m.put(line.substring(0, i), line.substring(i + 1).strip());
                    }
                }
            }
            return m;
        }

        boolean linkedReplica(Lab.Pod p) {
            Map<String, String> i = info(p);
            return "slave".equals(i.get("role")) && "up".equals(i.get("master_link_status"));
        }

        /**
         * Settled: exactly one Redis pod is master, every other one replicates it with the link up,
         * and every Sentinel is out of TILT, names it, sees the other Sentinels and the replicas, as replicas.
         */
        Lab.Pod settledMaster() {
            Lab.Pod master = null;
            for (Lab.Pod p : lab.redisPods) {
                if ("master".equals(info(p).get("role"))) {
                    if (master != null) {
                        return null;
                    }
                    master = p;
                }
            }
            if (master == null) {
                return null;
            }
            for (Lab.Pod p : lab.redisPods) {
                if (p != master) {
                    Map<String, String> i = info(p);
                    if (!"slave".equals(i.get("role")) || !"up".equals(i.get("master_link_status"))
                        || !master.ip.equals(lab.ipOf(i.getOrDefault("master_host", "")))) {
                        return null;
                    }
                }
            }
            for (Lab.Pod s : lab.sentinelPods) {
                // ...and is out of TILT: a Sentinel whose timer stalled for over 2 s (its pod was frozen) acts on
                // nothing and refuses its vote for 30 s; the next fault would find no majority (found by the drill:
                // pod-freeze, then replica-restart, a failover after 18 s).
                if (!(Resp.once(s.ip, g.sentinelPort(), sentinelPassword, 500, "INFO", "sentinel") instanceof String info)
                    || !info.contains("sentinel_tilt:0")) {
                    return null;
                }
                Object r = Resp.once(s.ip, g.sentinelPort(), sentinelPassword, 500, "SENTINEL", "master", g.masterName());
                if (!(r instanceof List<?> l)) {
                    return null;
                }
                Map<String, String> f = Resp.fields(l);
                if (!master.ip.equals(lab.ipOf(f.getOrDefault("ip", ""))) || !"master".equals(f.get("flags"))
                    || !Integer.toString(lab.sentinelPods.size() - 1).equals(f.get("num-other-sentinels"))) {
                    return null;
                }
                // Every Sentinel knows every replica (it learns them from the master's INFO every 10 s):
                // a leader that does not know one never reconfigures it, and the new master waits
                // failover-timeout for it (min-replicas-to-write).
                Object rs = Resp.once(s.ip, g.sentinelPort(), sentinelPassword, 500, "SENTINEL", "replicas", g.masterName());
                if (!(rs instanceof List<?> replicas)) {
                    return null;
                }
                java.util.Set<String> known = new java.util.TreeSet<>();
                for (Object o : replicas) {
                    if (o instanceof List<?> kv) {
                        Map<String, String> rf = Resp.fields(kv);
                        // ...and has polled it since its last role change: a Sentinel whose last look at a
                        // replica saw a master (it was one a moment ago) turns it back into a replica the
                        // moment it is promoted again (+convert-to-slave). Steady state means fresh views.
                        if ("slave".equals(rf.get("flags")) && "slave".equals(rf.get("role-reported"))) {
                            known.add(lab.ipOf(rf.getOrDefault("ip", "")));
                        }
                    }
                }
                for (Lab.Pod p : lab.redisPods) {
                    if (p != master && !known.contains(p.ip)) {
                        return null;
                    }
                }
                // ...and reaches every other Sentinel (not one held at an address its pod no longer has).
                if (!(Resp.once(s.ip, g.sentinelPort(), sentinelPassword, 500, "SENTINEL", "sentinels", g.masterName())
                        instanceof List<?> others) || others.size() != lab.sentinelPods.size() - 1) {
                    return null;
                }
                for (Object o : others) {
                    if (!(o instanceof List<?> kv) || !Resp.fields(kv).getOrDefault("flags", "").equals("sentinel")) {
                        return null;
                    }
                }
            }
            return master;
        }

        Lab.Pod settle(double seconds) throws InterruptedException {
            long deadline = System.nanoTime() + (long) (seconds * 1e9);
            while (System.nanoTime() < deadline) {
                Lab.Pod m = settledMaster();
                if (m != null) {
                    return m;
                }
                Thread.sleep(200);
            }
            return null;
        }

        String state() {
            StringBuilder b = new StringBuilder();
            for (Lab.Pod p : lab.redisPods) {
                Map<String, String> i = info(p);
                b.append(p.name).append('=').append(i.getOrDefault("role", "down"));
                if (i.containsKey("master_host")) {
                    b.append("(").append(i.get("master_host")).append(' ').append(i.get("master_link_status")).append(')');
                }
                b.append(' ');
            }
            for (Lab.Pod s : lab.sentinelPods) {
                Object r = Resp.once(s.ip, g.sentinelPort(), sentinelPassword, 500, "SENTINEL", "get-master-addr-by-name", g.masterName());
                b.append("sentinel@").append(s.name).append('=').append(r instanceof List<?> l && !l.isEmpty() ? l.get(0) : "?").append(' ');
            }
            return b.toString().strip();
        }
    }

    /** Pod names sorted by their ordinal (redis-3 before redis-10). */
    static List<String> byOrdinal(java.util.Collection<String> pods) {
        return pods.stream().sorted(java.util.Comparator.comparing((String p) -> p.substring(0, p.lastIndexOf('-') + 1))
                .thenComparingInt(p -> Integer.parseInt(p.substring(p.lastIndexOf('-') + 1)))).toList();
    }
}
