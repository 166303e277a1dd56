package dev.redisgen.conf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisgen.drill.MiniResp;
import dev.redisgen.pipeline.Pipeline;
import dev.redisgen.profile.Overrides;
import dev.redisgen.profile.ProfileLoader;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Redis Cluster pods on loopback for the live tests: the analytics-cluster profile rendered through the pipeline
 * (node timeout shortened, shape overridable), its exact redis.conf and the literal env of its StatefulSet's redis
 * container, the scripts as the ConfigMap carries them, and the CONTRACT.md overrides: pod names (`<prefix>-N`)
 * resolved through HOSTS_FILE, which a test edits to move a pod to a new IP or let its name appear late.
 * Addresses 127.0.8.x are used by no other test class.
 */
final class ClusterLab implements AutoCloseable {
    static final String PASSWORD = ScriptsLiveTest.PASSWORD;

    final Path root;
    final Path scripts;
    final Path hosts;
    final int port;
    int shards;
    final int replicasPerShard;
    final String prefix;
    final List<String> sets;
    String redisConf;
    Map<String, String> podEnv;
    final Map<Integer, String> ips = new TreeMap<>();
    final Map<Integer, Proc.Background> nodes = new TreeMap<>();
    final Map<String, String> extraEnv = new HashMap<>();
    /** Keys a test wrote before it changed the lab's shape (key to value), to check they are all still there. */
    Map<String, String> keysBefore = Map.of();

    /** The profile of the lab's shape now (reshape changes it). */
    dev.redisgen.profile.LoadedProfile profile;
    /** With a profile that speaks TLS: the test's TLS Secret folder (tls.crt, tls.key, ca.crt); null: plain text. */
    Path tls;

    ClusterLab(Path root, String prefix, int shards, int replicasPerShard, int port) {
        this(root, prefix, shards, replicasPerShard, port, List.of());
    }

    /** SETS: more `--set` overrides (a bigger shape needs a bigger ResourceQuota). */
    ClusterLab(Path root, String prefix, int shards, int replicasPerShard, int port, List<String> sets) {
        this.root = root;
        this.prefix = prefix;
        this.shards = shards;
        this.replicasPerShard = replicasPerShard;
        this.port = port;
        this.scripts = ScriptFiles.materialize(root.resolve("scripts"));
        this.hosts = root.resolve("hosts");
        this.sets = List.copyOf(sets);
        try {
            Files.writeString(hosts, "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        reshape(shards);
    }

    /**
     * Renders analytics-cluster with SHARDS shards (the shape of a scale out or in): the redis.conf and env of the
     * pods started and the Jobs run from now on; running pods keep theirs.
     */
    dev.redisgen.profile.LoadedProfile reshape(int newShards) {
        try {
            String text = Files.readString(Path.of("profiles/analytics-cluster.yaml"));
            List<String> all = new ArrayList<>(List.of(
                    "deployments[0].cluster.nodeTimeoutMilliseconds=2000",
                    "deployments[0].cluster.shards=" + newShards,
                    "deployments[0].cluster.replicasPerShard=" + replicasPerShard));
            all.addAll(sets);
            var loaded = ProfileLoader.parse("analytics-cluster.yaml", text, Overrides.of(List.of(), all));
            var result = Pipeline.render(loaded);
            String conf = null;
            Map<String, String> env = new LinkedHashMap<>();
            for (HasMetadata o : result.objects()) {
                if (o instanceof ConfigMap cm && cm.getMetadata().getName().equals("redis-cluster-config")) {
                    conf = cm.getData().get("redis.conf");
                }
                if (o instanceof StatefulSet s) {
                    for (EnvVar e : s.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
                        if (e.getValue() != null) {
                            env.put(e.getName(), e.getValue());
                        }
                    }
                }
            }
            assertThat(conf).contains("cluster-enabled yes", "appendonly yes", "cluster-node-timeout "
                    + (sets.stream().anyMatch(x -> x.contains("nodeTimeoutMilliseconds")) ? "" : "2000"));
            assertThat(env).containsEntry("SHARDS", Integer.toString(newShards)).containsEntry("REPLICAS_PER_SHARD", Integer.toString(replicasPerShard));
            this.shards = newShards;
            this.redisConf = conf;
            this.podEnv = env;
            this.profile = loaded;
            return loaded;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A port free on loopback whose cluster bus port (+10000) is free too. */
    static int freeClusterPort() {
        for (int i = 0; i < 50; i++) {
            int p = Proc.freePort();
            if (p + 10000 > 65535) {
                continue;
            }
            try (ServerSocket s = new ServerSocket(p + 10000, 1, InetAddress.getByName("127.0.0.1"))) {
                return p;
            } catch (IOException e) {
                // taken: try another
            }
        }
        throw new IllegalStateException("no free port pair");
    }

    int total() {
        return shards * (1 + replicasPerShard);
    }

    String name(int ordinal) {
        return prefix + "-" + ordinal;
    }

    /** The pod's env: the rendered StatefulSet's literal values, the downward API's, and the test overrides. */
    Map<String, String> env(int ordinal) {
        Map<String, String> env = new HashMap<>(podEnv);
        Path dir = root.resolve("pod-" + ordinal);
        env.put("SCRIPTS_DIR", scripts.toString());
        env.put("DATA_DIR", dir.resolve("data").toString());
        env.put("CONFIG_DIR", dir.resolve("config").toString());
        env.put("RUN_DIR", dir.resolve("run").toString());
        env.put("TMPDIR", root.toString());
        env.put("POD_NAME", "redis-cluster-" + ordinal);
        env.put("POD_NAMESPACE", "redis-system");
        if (ips.containsKey(ordinal)) {
            env.put("POD_IP", ips.get(ordinal));
            env.put("LOCAL_REDIS_HOST", ips.get(ordinal));
        }
        env.put("REDIS_PORT", Integer.toString(port));
        env.put("REDIS_PASSWORD", PASSWORD);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < total(); i++) {
            names.add(name(i));
        }
        env.put("POD_ADDRESSES", String.join(" ", names));
        env.put("HOSTS_FILE", hosts.toString());
        env.put("REDIS_CLI_TIMEOUT", "2");
        env.put("DNS_WAIT_SECONDS", "30");
        env.put("CLUSTER_WAIT_SECONDS", "60");
        env.put("CLUSTER_HEAL_INTERVAL_SECONDS", "1");
        env.put("CLUSTER_HEAL_GRACE_SECONDS", "3");
        env.putAll(extraEnv);
        return env;
    }

    /** Env of a Job pod (creation, backup, restore): no pod address of its own. */
    Map<String, String> jobEnv() {
        Map<String, String> env = env(0);
        env.put("POD_NAME", "job");
        env.remove("POD_IP");
        env.remove("LOCAL_REDIS_HOST");
        return env;
    }

    /** The literal env of the Job `redisgen drain` renders for this profile (its shape now: reshape first). */
    Map<String, String> drainJobEnv() {
        return literalEnv(Pipeline.drain(profile, null).get(0), "cluster-create.sh");
    }

    /** The literal env of the restore Job `redisgen restore --backup FROM` renders for this profile. */
    Map<String, String> restoreJobEnv(String from) {
        return literalEnv(Pipeline.restore(profile, null, from, false).get(0), "cluster-restore.sh");
    }

    /** The env values written in JOB's container (not those from Secrets or fields), which runs SCRIPT. */
    private static Map<String, String> literalEnv(HasMetadata job, String script) {
        var c = ((io.fabric8.kubernetes.api.model.batch.v1.Job) job).getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getCommand()).containsExactly("sh", "/scripts/" + script);
        Map<String, String> env = new HashMap<>();
        for (EnvVar e : c.getEnv()) {
            if (e.getValue() != null) {
                env.put(e.getName(), e.getValue());
            }
        }
        return env;
    }

    /** Publishes (or moves) the name of pod ORDINAL at IP in the hosts file. */
    void publish(int ordinal, String ip) {
        ips.put(ordinal, ip);
        writeHosts();
    }

    /** Removes the name of pod ORDINAL from the hosts file (it does not resolve until published again). */
    void unpublish(int ordinal) {
        ips.remove(ordinal);
        writeHosts();
    }

    private void writeHosts() {
        StringBuilder b = new StringBuilder();
        ips.forEach((o, ip) -> b.append(ip).append(' ').append(name(o)).append('\n'));
        try {
            Path tmp = hosts.resolveSibling("hosts.tmp");
            Files.writeString(tmp, b.toString());
            Files.move(tmp, hosts, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts pod ORDINAL with cluster-start.sh at IP (its kept /data, if any, is reused). */
    void start(int ordinal, String ip, boolean publishName) {
        // A running pod is stopped first, as the kubelet stops a container before it starts it again: the new
        // server must not race the old one for the address.
        stop(ordinal);
        Path dir = root.resolve("pod-" + ordinal);
        try {
            Files.createDirectories(dir.resolve("data"));
            Files.createDirectories(dir.resolve("config"));
            Files.writeString(dir.resolve("config/redis.conf"), redisConf
                    .replace("\nport 6379\n", "\nport " + port + "\n")
                    .replace("\nbind * -::*\n", "\nbind " + ip + "\n")
                    .replace("\ndir /data\n", "\ndir " + dir.resolve("data") + "\n")
                    .replace("\ntls-port 6379\n", "\ntls-port " + port + "\n")
                    .replace(" /tls/", " " + (tls == null ? "/tls" : tls.toString()) + "/"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (publishName) {
            publish(ordinal, ip);
        }
        Map<String, String> env = env(ordinal);
        env.put("POD_IP", ip);
        env.put("LOCAL_REDIS_HOST", ip);
        nodes.put(ordinal, new Proc.Background(List.of("sh", scripts.resolve("cluster-start.sh").toString()), env,
                dir.resolve("log-" + System.nanoTime())));
    }

    void startAll(String ipPrefix, int firstHost) {
        for (int i = 0; i < total(); i++) {
            start(i, ipPrefix + (firstHost + i), true);
        }
        for (int i = 0; i < total(); i++) {
            int o = i;
            assertThat(Proc.await(Duration.ofSeconds(20), () -> "PONG".equals(cli(o, "PING")))).as("pod %d answers; log:\n%s", o, log(o)).isTrue();
        }
    }

    /** Stops pod ORDINAL's container (SIGTERM to the server and the healer), its volume kept. */
    void stop(int ordinal) {
        Proc.Background b = nodes.remove(ordinal);
        if (b != null) {
            b.close();
        }
    }

    /** SIGKILLs the servers of the given pods at once (a node or zone failure). */
    void crash(int... ordinals) {
        List<Proc.Background> gone = new ArrayList<>();
        for (int o : ordinals) {
            Proc.Background b = nodes.remove(o);
            if (b != null) {
                b.process.destroyForcibly();
                gone.add(b);
            }
        }
        gone.forEach(Proc.Background::close);
    }

    /** Deletes pod ORDINAL's volume (a lost PVC, or no persistence). */
    void wipe(int ordinal) {
        Path data = root.resolve("pod-" + ordinal + "/data");
        try (var files = Files.walk(data)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                if (!p.equals(data)) {
                    Files.delete(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String log(int ordinal) {
        Proc.Background b = nodes.get(ordinal);
        StringBuilder all = new StringBuilder();
        try (var files = Files.list(root.resolve("pod-" + ordinal))) {
            for (Path p : files.filter(f -> f.getFileName().toString().startsWith("log-")).sorted().toList()) {
                all.append(Files.readString(p));
            }
        } catch (IOException e) {
            return b == null ? "" : b.logText();
        }
        return all.toString();
    }

    String logs() {
        StringBuilder b = new StringBuilder();
        // Every pod of the shape, and any other still running (those a scale-in removes).
        java.util.SortedSet<Integer> pods = new java.util.TreeSet<>(nodes.keySet());
        for (int i = 0; i < total(); i++) {
            pods.add(i);
        }
        for (int i : pods) {
            String l = log(i);
            b.append("---- pod ").append(i).append('\n').append(l.lines().filter(x -> x.contains("cluster-") || x.contains(" # "))
                    .reduce("", (x, y) -> x + y + "\n"));
        }
        return b.toString();
    }

    /** Speak TLS with the certificates in DIR (the pods get TLS_DIR, the test's redis-cli the same options). */
    void tls(Path dir) {
        tls = dir;
        extraEnv.put("TLS_DIR", dir.toString());
    }

    /** redis-cli against pod ORDINAL at its current IP (over TLS when {@link #tls} is set). */
    String cli(int ordinal, String... args) {
        String ip = ips.get(ordinal);
        if (ip == null) {
            return "";
        }
        if (tls == null) {
            return Proc.cli(ip, port, PASSWORD, args);
        }
        List<String> all = new ArrayList<>(List.of("--tls", "--cacert", tls.resolve("ca.crt").toString(), "--cert",
                tls.resolve("tls.crt").toString(), "--key", tls.resolve("tls.key").toString()));
        all.addAll(List.of(args));
        return Proc.cli(ip, port, PASSWORD, all.toArray(String[]::new));
    }

    Map<String, String> info(int ordinal, String... section) {
        List<String> args = new ArrayList<>(List.of(section));
        Map<String, String> fields = new HashMap<>();
        for (String line : cli(ordinal, args.toArray(String[]::new)).lines().toList()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                fields.put(line.substring(0, colon), line.substring(colon + 1).strip());
            }
        }
        return fields;
    }

    boolean stateOk(int ordinal) {
        Map<String, String> i = info(ordinal, "CLUSTER", "INFO");
        return "ok".equals(i.get("cluster_state")) && "16384".equals(i.get("cluster_slots_ok"));
    }

    boolean allOk() {
        for (int i = 0; i < total(); i++) {
            if (!stateOk(i)) {
                return false;
            }
        }
        return true;
    }

    /** CLUSTER NODES of pod ORDINAL, one row per node: id, ip, port, hostname, flags, master, link, slots. */
    List<Node> nodes(int ordinal) {
        List<Node> out = new ArrayList<>();
        for (String line : cli(ordinal, "CLUSTER", "NODES").lines().toList()) {
            String[] f = line.strip().split(" ");
            if (f.length < 8) {
                continue;
            }
            String addr = f[1];
            String host = addr.contains(",") ? addr.substring(addr.indexOf(',') + 1) : "";
            String ipPort = addr.substring(0, addr.indexOf('@'));
            String ip = ipPort.substring(0, ipPort.lastIndexOf(':'));
            List<String> slots = new ArrayList<>();
            for (int i = 8; i < f.length; i++) {
                slots.add(f[i]);
            }
            out.add(new Node(f[0], ip, host, f[2], f[3], f[7], String.join(",", slots)));
        }
        return out;
    }

    record Node(String id, String ip, String host, String flags, String master, String link, String slots) {
        boolean isMaster() {
            return flags.contains("master");
        }

        boolean failing() {
            return flags.contains("fail") || flags.contains("noaddr");
        }

        int slotCount() {
            int n = 0;
            for (String r : slots.split(",")) {
                if (r.isEmpty() || r.startsWith("[")) {
                    continue;
                }
                String[] ab = r.split("-");
                n += ab.length == 1 ? 1 : Integer.parseInt(ab[1]) - Integer.parseInt(ab[0]) + 1;
            }
            return n;
        }
    }

    /**
     * The shape every formed cluster must have, from pod ORDINAL's view: every pod known and healthy, SHARDS masters
     * holding all 16384 slots, each with REPLICAS_PER_SHARD replicas on other addresses; returns the master id of
     * each slot range start.
     */
    Map<String, Node> assertFormed(int ordinal) {
        List<Node> view = nodes(ordinal);
        assertThat(view.stream().filter(n -> !n.failing()).count()).as("healthy nodes in %s", view).isEqualTo(total());
        List<Node> masters = view.stream().filter(n -> n.isMaster() && n.slotCount() > 0).toList();
        assertThat(masters).hasSize(shards);
        assertThat(masters.stream().mapToInt(Node::slotCount).sum()).isEqualTo(16384);
        Map<String, Node> byId = new HashMap<>();
        view.forEach(n -> byId.put(n.id(), n));
        for (Node m : masters) {
            List<Node> replicas = view.stream().filter(n -> n.master().equals(m.id())).toList();
            assertThat(replicas).as("replicas of %s", m).hasSize(replicasPerShard);
            for (Node r : replicas) {
                assertThat(r.ip()).as("a replica never on its master's address").isNotEqualTo(m.ip());
                assertThat(r.failing()).isFalse();
            }
        }
        return byId;
    }

    /** Runs a script as a Job or probe would: sh (dash) or busybox sh. */
    Proc.Result run(String shell, String script, Map<String, String> env, Duration timeout) {
        List<String> cmd = shell.equals("busybox")
                ? List.of(Binaries.require("busybox").toString(), "sh", scripts.resolve(script).toString())
                : List.of("sh", scripts.resolve(script).toString());
        return Proc.run(cmd, env, timeout);
    }

    /** Writes COUNT keys PREFIX0..N (value = key) to the masters that own their slots; returns them. */
    Map<String, String> write(String prefix, int count, String... ttlEvery) {
        Map<String, String> written = new LinkedHashMap<>();
        Map<String, MiniResp> conns = new HashMap<>();
        try {
            List<Node> view = nodes(ips.keySet().iterator().next());
            for (int i = 0; i < count; i++) {
                String k = prefix + i;
                int slot = MiniResp.slot(k);
                Node owner = view.stream().filter(n -> n.isMaster() && !n.failing() && owns(n, slot)).findFirst().orElseThrow();
                MiniResp c = conns.computeIfAbsent(owner.ip(), ip -> new MiniResp(ip, port, PASSWORD));
                Object r = ttlEvery.length > 0 && i % 10 == 0 ? c.call("SET", k, "v-" + k, "EX", "3600") : c.call("SET", k, "v-" + k);
                assertThat(r).as("SET %s on %s", k, owner).isEqualTo("OK");
                written.put(k, "v-" + k);
            }
        } finally {
            conns.values().forEach(MiniResp::close);
        }
        return written;
    }

    /** The IP of the master that owns KEY's slot now. */
    String onOwnerIp(String key) {
        int slot = MiniResp.slot(key);
        return nodes(ips.keySet().iterator().next()).stream().filter(n -> n.isMaster() && !n.failing() && owns(n, slot))
                .findFirst().orElseThrow().ip();
    }

    /** A command to the master that owns KEY's slot now. */
    Object onOwner(String key, String... command) {
        int slot = MiniResp.slot(key);
        Node owner = nodes(ips.keySet().iterator().next()).stream().filter(n -> n.isMaster() && !n.failing() && owns(n, slot))
                .findFirst().orElseThrow();
        try (MiniResp c = new MiniResp(owner.ip(), port, PASSWORD)) {
            return c.call(command);
        }
    }

    static boolean owns(Node n, int slot) {
        for (String r : n.slots().split(",")) {
            if (r.isEmpty() || r.startsWith("[")) {
                continue;
            }
            String[] ab = r.split("-");
            int lo = Integer.parseInt(ab[0]);
            int hi = ab.length == 1 ? lo : Integer.parseInt(ab[1]);
            if (lo <= slot && slot <= hi) {
                return true;
            }
        }
        return false;
    }

    /** Every key/value of WANT, read from the master that owns it now; the missing or wrong ones. */
    List<String> missing(Map<String, String> want) {
        List<String> missing = new ArrayList<>();
        Map<String, MiniResp> conns = new HashMap<>();
        try {
            List<Node> view = nodes(ips.keySet().iterator().next());
            for (var e : want.entrySet()) {
                int slot = MiniResp.slot(e.getKey());
                Node owner = view.stream().filter(n -> n.isMaster() && !n.failing() && owns(n, slot)).findFirst().orElse(null);
                if (owner == null) {
                    missing.add(e.getKey() + " (no master)");
                    continue;
                }
                MiniResp c = conns.computeIfAbsent(owner.ip(), ip -> new MiniResp(ip, port, PASSWORD));
                if (!e.getValue().equals(c.call("GET", e.getKey()))) {
                    missing.add(e.getKey());
                }
            }
        } finally {
            conns.values().forEach(MiniResp::close);
        }
        return missing;
    }

    @Override
    public void close() {
        nodes.values().forEach(Proc.Background::close);
        nodes.clear();
    }
}
