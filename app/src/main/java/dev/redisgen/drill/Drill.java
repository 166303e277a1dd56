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
 * measures failover time, lost writes and split brain. The shape: {@link Lab} (namespaces, pods, DNS, lifecycle) is shared;
 * {@link SentinelDrill} with {@link SentinelFaults}, and {@link ClusterDrill} with {@link ClusterFaults}, hold what is
 * specific to each topology (bootstrap, settle conditions, targets), one small class per fault; this class picks the
 * deployments of the profile and runs each.
 */
public final class Drill {
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
                    new SentinelDrill(lab, o, results, notes, o.profile().contains("jewelry-shop"), new java.util.Random(seed + g.name().hashCode()), to)
                            .all();
                }
                if (Boolean.getBoolean("redisgen.drill.keep")) {
                    notes.add(g.name() + ": pod directories and logs kept in " + root + " (-Dredisgen.drill.keep=true)");
                }
            } catch (IOException | RuntimeException e) {
                results.add(new ScenarioResult(g.name(), Scenario.BOOTSTRAP, 0, null, SentinelDrill.BOOTSTRAP_TARGET_SECONDS, 0, 0, 0, 0, 0,
                        false, false, "drill aborted: " + e.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                results.add(new ScenarioResult(g.name(), Scenario.BOOTSTRAP, 0, null, SentinelDrill.BOOTSTRAP_TARGET_SECONDS, 0, 0, 0, 0, 0,
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

    /** Pod names sorted by their ordinal (redis-3 before redis-10). */
    static List<String> byOrdinal(java.util.Collection<String> pods) {
        return pods.stream().sorted(java.util.Comparator.comparing((String p) -> p.substring(0, p.lastIndexOf('-') + 1))
                .thenComparingInt(p -> Integer.parseInt(p.substring(p.lastIndexOf('-') + 1)))).toList();
    }
}
