package dev.redisgen.drill;

import dev.redisgen.drill.Topology.ContainerSpec;
import dev.redisgen.drill.Topology.Group;
import dev.redisgen.drill.Topology.Mount;
import dev.redisgen.drill.Topology.PodTemplate;
import dev.redisgen.drill.Topology.VolumeSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The pods of one Sentinel deployment on this machine, isolated the way Kubernetes isolates them:
 * one network namespace per pod (veth into a bridge that lives in a dedicated "cluster" namespace,
 * addresses from a private /24 that exists only there and on one host-side veth the drill talks
 * through), one PID + mount + UTS namespace per container (launcher.sh: read-only root, the pod's
 * volumes at the mount paths of the pod spec, its own /etc/hosts and hostname, its uid/gid), and
 * kubelet-like lifecycle: init container first, preStop then SIGTERM then SIGKILL after the grace
 * period, pod recreation with the claim kept and the emptyDirs wiped.
 */
final class Lab implements AutoCloseable {
    static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALNUM = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    /** One pod of a StatefulSet: its address, namespace, directories and running containers. */
    final class Pod {
        /** What the pod runs: its StatefulSet's template when it was (re)created (scenario upgrade swaps it). */
        volatile PodTemplate template;
        final int ordinal;
        final String name;
        /** The pod's IP: a recreated pod gets a new one, as in Kubernetes; its DNS name stays. */
        volatile String ip;
        final String netns;
        final Path dir;
        final Map<String, Running> running = new ConcurrentHashMap<>();
        /** The pod's place in this lab: its network namespace, veth and first address are numbered after it. */
        final int index;
        volatile boolean published;
        volatile boolean cut;
        final java.util.Set<String> blackholes = ConcurrentHashMap.newKeySet();

        Pod(PodTemplate template, int ordinal, int index) {
            this.template = template;
            this.ordinal = ordinal;
            this.name = template.podName(ordinal);
            this.index = index;
            this.ip = subnet + (10 + index);
            this.netns = namePrefix() + "-" + index;
            this.dir = root.resolve("pods").resolve(name);
        }

        /** The pod's DNS name: its headless-Service name, or just its hostname for a Deployment's pod. */
        String fqdn() {
            if (template.serviceName() == null) {
                return name;
            }
            return name + "." + template.serviceName() + "." + namespace + ".svc." + template.clusterDomain();
        }

        Path volume(String volume) {
            return dir.resolve("volumes").resolve(volume);
        }

        Path log(String container) {
            return dir.resolve("logs").resolve(container + ".log");
        }

        String logText(String container) {
            try {
                return Files.readString(log(container), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }

        boolean isRunning(String container) {
            Running r = running.get(container);
            return r != null && r.process.isAlive();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** A running container: the unshare process and, inside it, PID 1 of the container. */
    record Running(ContainerSpec spec, Process process, long pid1) {
    }

    final String runId;
    final Path root;
    final String namespace;
    final Group group;
    /** Copy-on-write: a scale adds and removes pods while the writer and the observer go through them. */
    final List<Pod> redisPods = new java.util.concurrent.CopyOnWriteArrayList<>();
    final List<Pod> sentinelPods = new java.util.concurrent.CopyOnWriteArrayList<>();
    final List<Pod> pods = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The HAProxy pods in front of the deployment (empty when the profile has none). */
    final List<Pod> proxyPods = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The pods of a Redis Cluster's Jobs (creation, backup, restore), one per Job template; empty for Sentinel. */
    final List<Pod> jobPods = new java.util.concurrent.CopyOnWriteArrayList<>();
    private Dns dns;
    final Map<String, String> secrets = new LinkedHashMap<>();
    private final String busybox;
    private final String subnet;
    private final String hostVeth;
    private final String clusterNs;
    private final Path launcher;
    private final List<String> netnsCreated = new ArrayList<>();
    private boolean hostVethCreated;
    private final Thread shutdownHook;
    /** The host number of the last address given to a recreated pod (first pods: .10 upwards; recreated: .100-.250). */
    private int nextHost = 99;
    /** The index the next pod gets (see Pod.index); never reused, so a pod added later gets a fresh namespace and address. */
    private int nextIndex;
    /** In a user namespace that maps one uid (see Userns): the pods run as its root, the only uid there is. */
    private final boolean userns;
    /**
     * The TLS Secret every pod mounts when the profile speaks TLS: a throw-away CA made in this lab's directory and one
     * certificate for every pod (tls.crt, tls.key, ca.crt); null without TLS.
     */
    private final Path tls;

    Lab(Group group, String namespace, Path root, String busybox, boolean userns) throws IOException {
        this(group, group.redis(), List.of(), namespace, root, busybox, userns);
    }

    /**
     * The pods of one Redis Cluster deployment: its StatefulSet's pods, and one pod for each Job template
     * (creation, backup, restore), none started ({@link #runJob} runs a Job's pod).
     */
    Lab(PodTemplate redis, List<PodTemplate> jobs, String namespace, Path root, String busybox, boolean userns) throws IOException {
        this(null, redis, jobs, namespace, root, busybox, userns);
    }

    private Lab(Group group, PodTemplate redis, List<PodTemplate> jobs, String namespace, Path root, String busybox, boolean userns)
            throws IOException {
        this.group = group;
        this.userns = userns;
        this.namespace = namespace;
        this.root = root;
        this.busybox = busybox;
        this.runId = String.format(Locale.ROOT, "%04x", RANDOM.nextInt(0x10000));
        this.subnet = freeSubnet();
        this.hostVeth = namePrefix() + "h";
        this.clusterNs = namePrefix() + "-c";
        this.shutdownHook = new Thread(this::cleanup, "drill-cleanup-" + runId);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        Files.createDirectories(root);
        launcher = root.resolve("launcher.sh");
        try (InputStream in = Lab.class.getResourceAsStream("/redisgen/drill/launcher.sh")) {
            Files.write(launcher, in.readAllBytes());
        }
        for (int i = 0; i < redis.replicas(); i++) {
            Pod p = new Pod(redis, i, nextIndex++);
            redisPods.add(p);
            pods.add(p);
        }
        if (group == null) {
            for (PodTemplate j : jobs) {
                Pod p = new Pod(j, 0, nextIndex++);
                jobPods.add(p);
                pods.add(p);
            }
        } else if (group.colocated()) {
            sentinelPods.addAll(redisPods);
        } else {
            for (int i = 0; i < group.sentinels().replicas(); i++) {
                Pod p = new Pod(group.sentinels(), i, nextIndex++);
                sentinelPods.add(p);
                pods.add(p);
            }
        }
        if (group != null && group.proxy() != null) {
            for (int i = 0; i < group.proxy().replicas(); i++) {
                Pod p = new Pod(group.proxy(), i, nextIndex++);
                proxyPods.add(p);
                pods.add(p);
            }
        }
        // Like the cluster DNS: the glibc of the Redis pods reads /etc/hosts first; HAProxy's runtime
        // resolvers ask the nameserver, which answers from the same records.
        Files.writeString(root.resolve("resolv.conf"), "# the drill's cluster DNS: the headless names of the pods that exist now\n"
                                                       + "nameserver " + subnet + "1\n");
        setUpNetwork();
        dns = new Dns(subnet + "1", this::resolve);
        tls = pods.stream().anyMatch(p -> p.template.volumes().stream().anyMatch(v -> v.kind() == VolumeSource.Kind.SECRET))
                ? issueCertificates() : null;
        for (Pod p : pods) {
            materialize(p);
        }
    }

    /**
     * A throw-away CA in ROOT/tls-ca and one certificate (server and client) that names every pod and localhost; the drill's
     * own clients trust the CA for this lab's subnet (Resp). Redis, Sentinel, redis-cli and HAProxy verify the chain, not the
     * name; the certificate names the pods all the same, as a cert-manager one would.
     */
    private Path issueCertificates() throws IOException {
        ThrowawayCa ca = ThrowawayCa.create(root.resolve("tls-ca"));
        List<String> names = new ArrayList<>();
        for (Pod p : pods) {
            names.add(p.fqdn());
            names.add(p.name);
        }
        names.add("localhost");
        Path dir = ca.issue(root.resolve("tls"), names, List.of("127.0.0.1"));
        Resp.tls(subnet, ca.socketFactory());
        return dir;
    }

    /** The prefix of every network namespace and link this lab creates ("rgd" and its run id). */
    String namePrefix() {
        return "rgd" + runId;
    }

    // ------------------------------------------------------------------ network

    /** A 10.213.N.0/24 that no route of this machine covers, so the drill never shadows a real network. */
    private static String freeSubnet() throws IOException {
        String routes = Sh.run(Duration.ofSeconds(10), "ip", "-4", "route", "show", "table", "all").out()
                        + Sh.run(Duration.ofSeconds(10), "ip", "-4", "addr").out();
        for (int attempt = 0; attempt < 200; attempt++) {
            int n = 1 + RANDOM.nextInt(250);
            String candidate = "10.213." + n + ".";
            if (!covered(routes, 10L << 24 | 213L << 16 | (long) n << 8)) {
                return candidate;
            }
        }
        throw new IOException("no free 10.213.N.0/24 for the drill's pods");
    }

    private static boolean covered(String routes, long net) {
        for (String word : routes.split("\\s+")) {
            if (!word.matches("\\d+\\.\\d+\\.\\d+\\.\\d+(/\\d+)?")) {
                continue;
            }
            String[] parts = word.split("/");
            int len = parts.length > 1 ? Integer.parseInt(parts[1]) : 32;
            if (len == 0) {
                continue;
            }
            long addr = 0;
            for (String o : parts[0].split("\\.")) {
                addr = addr << 8 | Integer.parseInt(o);
            }
            int common = Math.min(len, 24);
            long mask = (0xFFFFFFFFL << (32 - common)) & 0xFFFFFFFFL;
            if ((addr & mask) == (net & mask)) {
                return true;
            }
        }
        return false;
    }

    private void setUpNetwork() throws IOException {
        ip("netns", "add", clusterNs);
        netnsCreated.add(clusterNs);
        ip("-n", clusterNs, "link", "set", "lo", "up");
        ip("-n", clusterNs, "link", "add", "br0", "type", "bridge");
        ip("-n", clusterNs, "link", "set", "br0", "up");
        // The drill's own door into the pod network: one veth, the /24 only, nothing forwarded.
        ip("link", "add", hostVeth, "type", "veth", "peer", "name", "host", "netns", clusterNs);
        hostVethCreated = true;
        ip("-n", clusterNs, "link", "set", "host", "master", "br0", "up");
        ip("addr", "add", subnet + "1/24", "dev", hostVeth);
        ip("link", "set", hostVeth, "up");
        for (Pod p : pods) {
            plug(p);
        }
    }

    /** The pod's network namespace, with a veth into the bridge and its address. */
    private void plug(Pod p) throws IOException {
        ip("netns", "add", p.netns);
        netnsCreated.add(p.netns);
        ip("-n", p.netns, "link", "set", "lo", "up");
        ip("-n", clusterNs, "link", "add", "p" + p.index, "type", "veth", "peer", "name", "eth0", "netns", p.netns);
        ip("-n", clusterNs, "link", "set", "p" + p.index, "master", "br0", "up");
        ip("-n", p.netns, "addr", "add", p.ip + "/24", "dev", "eth0");
        ip("-n", p.netns, "link", "set", "eth0", "up");
    }

    /**
     * A pod that did not exist when the lab started (a StatefulSet's replicas grew; a new Job's pod), added to ROLE
     * (redisPods, sentinelPods or jobPods; a co-located Sentinel deployment's Redis pod to sentinelPods too) and to pods,
     * not started: a network namespace and address of its own, its ConfigMaps from
     * TEMPLATE, its emptyDirs empty; its claims are those of an earlier pod of the same name, if there was one (a
     * StatefulSet keeps a scaled-in pod's PersistentVolumeClaim, whenScaled: Retain).
     */
    synchronized Pod addPod(PodTemplate template, int ordinal, List<Pod> role) throws IOException {
        Pod p = new Pod(template, ordinal, nextIndex++);
        if (10 + p.index >= 100) {
            p.ip = freeAddress(); // past .99 (many rounds of scale): from the recreated pods' range
        }
        plug(p);
        materialize(p);
        wipeEmptyDirs(p);
        role.add(p);
        if (group != null && group.colocated() && role == redisPods) {
            sentinelPods.add(p);
        }
        pods.add(p);
        publishHosts();
        return p;
    }

    /**
     * A pod deleted for good (the StatefulSet scaled in; a Job pruned), after it stopped: out of every list and every
     * hosts file, its network namespace gone; its directory (claims, logs) stays, as the PersistentVolumeClaim does.
     */
    synchronized void removePod(Pod p) throws IOException {
        if (!p.running.isEmpty()) {
            throw new IllegalStateException(p.name + " is still running");
        }
        redisPods.remove(p);
        sentinelPods.remove(p);
        jobPods.remove(p);
        pods.remove(p);
        publishHosts();
        ip("netns", "del", p.netns);
        netnsCreated.remove(p.netns);
    }

    private static void ip(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add("ip");
        cmd.addAll(List.of(args));
        Sh.Result r = Sh.run(Duration.ofSeconds(15), cmd.toArray(String[]::new));
        if (r.code() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + r.err().strip());
        }
    }

    /**
     * Network partition of one pod: blackhole routes to every other pod, so it can neither reach nor
     * answer them; the drill's host side stays reachable, playing a client on the old master's side.
     */
    void cut(Pod pod, boolean cut) throws IOException {
        if (cut) {
            for (Pod other : pods) {
                if (other != pod) {
                    ip("-n", pod.netns, "route", "add", "blackhole", other.ip + "/32");
                    pod.blackholes.add(other.ip);
                }
            }
        } else {
            for (String address : List.copyOf(pod.blackholes)) {
                ip("-n", pod.netns, "route", "del", "blackhole", address + "/32");
                pod.blackholes.remove(address);
            }
        }
        pod.cut = cut;
    }

    /**
     * A recreated pod's new IP (Kubernetes gives a new pod a new address; only its DNS name is stable):
     * the next host number not used by any pod and not used recently, so a stale address that a Sentinel
     * or replica still holds reaches nobody.
     */
    private synchronized void newAddress(Pod p) throws IOException {
        String next = freeAddress();
        ip("-n", p.netns, "addr", "flush", "dev", "eth0");
        ip("-n", p.netns, "addr", "add", next + "/24", "dev", "eth0");
        p.ip = next;
    }

    /** The next host number of .100-.250 that no pod uses and none used recently. */
    private synchronized String freeAddress() {
        java.util.Set<String> taken = new java.util.HashSet<>();
        for (Pod o : pods) {
            taken.add(o.ip);
        }
        String next;
        do {
            nextHost = nextHost >= 250 ? 100 : nextHost + 1;
            next = subnet + nextHost;
        } while (taken.contains(next));
        return next;
    }

    // ------------------------------------------------------------------ names

    String ipOf(String host) {
        for (Pod p : pods) {
            if (host.equals(p.fqdn()) || host.equals(p.ip) || host.equals(p.name)) {
                return p.ip;
            }
        }
        return host;
    }

    /** The cluster DNS's answer: the address of a pod that exists now, by its DNS name (null: NXDOMAIN). */
    private String resolve(String name) {
        for (Pod p : pods) {
            if (p.published && name.equals(p.fqdn())) {
                return p.ip;
            }
        }
        return null;
    }

    Optional<Pod> podOf(String host) {
        String ip = ipOf(host);
        return redisPods.stream().filter(p -> p.ip.equals(ip)).findFirst();
    }

    /**
     * Every pod's /etc/hosts: the kubelet's own line (the pod's FQDN always resolves inside it) and
     * the headless Services' records of the pods that exist now, rewritten in place (same inode, so
     * the bind mounts see it) whenever a pod appears or goes away.
     */
    synchronized void publishHosts() throws IOException {
        for (Pod p : pods) {
            StringBuilder b = new StringBuilder("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n");
            b.append(p.ip).append('\t').append(p.fqdn()).append('\t').append(p.name).append('\n');
            for (Pod o : pods) {
                if (o != p && o.published) {
                    b.append(o.ip).append('\t').append(o.fqdn()).append('\n');
                }
            }
            Path hosts = p.dir.resolve("hosts");
            Files.writeString(hosts, b.toString(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        }
    }

    // ------------------------------------------------------------------ volumes and env

    private void materialize(Pod p) throws IOException {
        Files.createDirectories(p.dir.resolve("logs"));
        for (VolumeSource v : p.template.volumes()) {
            Path d = p.volume(v.name());
            Files.createDirectories(d);
            if (v.kind() == VolumeSource.Kind.CONFIG_MAP) {
                for (Map.Entry<String, String> f : v.files().entrySet()) {
                    Path file = d.resolve(f.getKey());
                    Files.writeString(file, f.getValue(), StandardCharsets.UTF_8);
                    Sh.run(Duration.ofSeconds(5), "chmod", Integer.toOctalString(v.mode()), file.toString());
                }
            } else if (v.kind() == VolumeSource.Kind.SECRET && tls != null) {
                for (String f : List.of("tls.crt", "tls.key", "ca.crt")) {
                    Path file = d.resolve(f);
                    Files.copy(tls.resolve(f), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    Sh.run(Duration.ofSeconds(5), "chmod", Integer.toOctalString(v.mode()), file.toString());
                }
            }
            chown(p, d);
        }
        Files.writeString(p.dir.resolve("hosts"), "");
    }

    /**
     * kubectl apply of a changed ConfigMap: the kubelet swaps the files of every pod that mounts it, running
     * or not, each file at once (a symlink swap in Kubernetes; a rename here). Scripts read them when they
     * next start; the pod's template changes only when the pod is recreated.
     */
    void updateConfigMaps(Pod p, PodTemplate next) throws IOException {
        for (VolumeSource v : next.volumes()) {
            if (v.kind() != VolumeSource.Kind.CONFIG_MAP) {
                continue;
            }
            Path d = Files.createDirectories(p.volume(v.name()));
            for (Map.Entry<String, String> f : v.files().entrySet()) {
                Path tmp = d.resolve("." + f.getKey() + ".new");
                Files.writeString(tmp, f.getValue(), StandardCharsets.UTF_8);
                Sh.run(Duration.ofSeconds(5), "chmod", Integer.toOctalString(v.mode()), tmp.toString());
                Files.move(tmp, d.resolve(f.getKey()), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            chown(p, d);
        }
    }

    private void chown(Pod pod, Path d) throws IOException {
        Sh.run(Duration.ofSeconds(10), "chown", "-R", p(uid(pod.template)) + ":" + p(gid(pod.template)), d.toString());
    }

    /** The uid a container of this template runs as (the pod spec's, or 0 in a one-uid user namespace). */
    private long uid(PodTemplate t) {
        return userns ? 0 : t.uid();
    }

    private long gid(PodTemplate t) {
        return userns ? 0 : t.gid();
    }

    private static String p(long v) {
        return Long.toString(v);
    }

    /** The emptyDirs of a pod that is recreated start empty. */
    private void wipeEmptyDirs(Pod p) throws IOException {
        for (VolumeSource v : p.template.volumes()) {
            if (v.kind() == VolumeSource.Kind.EMPTY_DIR) {
                Path d = p.volume(v.name());
                deleteTree(d);
                Files.createDirectories(d);
                chown(p, d);
            }
        }
    }

    /** A generated password per Secret key: random letters and digits (see DrillReport notes). */
    String secret(String name, String key) {
        return secrets.computeIfAbsent(name + "/" + key, k -> {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < 24; i++) {
                b.append(ALNUM.charAt(RANDOM.nextInt(ALNUM.length())));
            }
            return b.toString();
        });
    }

    /** The env the container would get: literals, the downward API for this pod, Secrets. */
    Map<String, String> env(Pod p, ContainerSpec c) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", busybox == null ? PATH : "/.drill-bin:" + PATH);
        env.put("HOSTNAME", p.name);
        for (EnvVar e : c.env()) {
            if (e.getValue() != null) {
                env.put(e.getName(), e.getValue());
            } else if (e.getValueFrom() != null && e.getValueFrom().getFieldRef() != null) {
                String field = e.getValueFrom().getFieldRef().getFieldPath();
                switch (field) {
                    case "metadata.name" -> env.put(e.getName(), p.name);
                    case "metadata.namespace" -> env.put(e.getName(), namespace);
                    case "status.podIP" -> env.put(e.getName(), p.ip);
                    default -> throw new IllegalStateException("fieldRef " + field + " is not supported by the drill");
                }
            } else if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
                var ref = e.getValueFrom().getSecretKeyRef();
                if (!Boolean.TRUE.equals(ref.getOptional())) {
                    env.put(e.getName(), secret(ref.getName(), ref.getKey()));
                }
            } else if (e.getValueFrom() != null) {
                throw new IllegalStateException("env " + e.getName() + ": only literal, fieldRef and secretKeyRef are supported");
            }
        }
        return env;
    }

    /**
     * How the pod scripts of the container running SCRIPT log in to Redis (REDIS_USER, REDIS_PASSWORD; with ACL users
     * {@code admin}); null without a password.
     */
    Resp.Login adminLogin(PodTemplate t, String script) {
        String pw = password(t, script, "REDIS_PASSWORD");
        return pw == null ? null : new Resp.Login(t.container(script).flatMap(c -> c.literal("REDIS_USER")).orElse(null), pw);
    }

    /**
     * How a client application logs in: with ACL users, as the application user (its name from the rendered users.acl, the
     * line whose password is ACL_APP_PASSWORD); else as the scripts do, with the one password.
     */
    Resp.Login appLogin(PodTemplate t, String script) {
        String pw = password(t, script, "ACL_APP_PASSWORD");
        if (pw == null) {
            return adminLogin(t, script);
        }
        String user = t.volumes().stream().filter(v -> v.files() != null && v.files().containsKey("users.acl"))
                .flatMap(v -> v.files().get("users.acl").lines()).filter(l -> l.startsWith("user ") && l.contains("#${ACL_APP_PASSWORD}"))
                .map(l -> l.split(" ")[1]).findFirst().orElseThrow(() -> new IllegalStateException("users.acl names no application user"));
        return new Resp.Login(user, pw);
    }

    /** The password of env var VAR of the given container, as the pods get it (null when unset). */
    String password(PodTemplate t, String script, String var) {
        return t.container(script).map(c -> env(redisOrSentinelPod(t), c).get(var)).orElse(null);
    }

    private Pod redisOrSentinelPod(PodTemplate t) {
        return group == null || t == group.redis() ? redisPods.get(0) : sentinelPods.get(0);
    }

    // ------------------------------------------------------------------ lifecycle

    private List<String> launch(Pod p, ContainerSpec c) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", p.netns,
                "unshare", "--pid", "--mount", "--uts", "--fork", "--kill-child",
                "sh", launcher.toString(), p.dir.resolve("root-" + c.name()).toString(),
                p(uid(p.template)), p(gid(p.template)), p.name, p.dir.resolve("hosts").toString(),
                root.resolve("resolv.conf").toString(), busybox == null ? "-" : busybox));
        for (Mount m : c.mounts()) {
            cmd.add(p.volume(m.volume()) + "|" + m.path() + "|" + (m.readOnly() ? "ro" : "rw"));
        }
        cmd.add("--");
        cmd.addAll(c.command());
        return cmd;
    }

    private ProcessBuilder builder(List<String> cmd, Map<String, String> env, Path log) {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        return pb;
    }

    /**
     * The container's output into its log, each line prefixed with the time it arrived (like
     * {@code kubectl logs --timestamps}), so that the logs of different pods can be read side by side.
     */
    private static void timestamped(Process proc, Path log, String name) {
        Thread t = new Thread(() -> {
            java.time.format.DateTimeFormatter f = java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT)
                    .withZone(java.time.ZoneOffset.UTC);
            try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8));
                 var out = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                for (String line; (line = in.readLine()) != null; ) {
                    out.write(f.format(java.time.Instant.now()) + " " + line + "\n");
                    out.flush();
                }
            } catch (IOException e) {
                // the container is gone; its log ends here
            }
        }, "drill-log-" + name);
        t.setDaemon(true);
        t.start();
    }

    /** Creates the pod: publishes its name, runs the init containers (each must exit 0), starts the containers. */
    void startPod(Pod p, boolean recreate) throws IOException, InterruptedException {
        startPod(p, recreate, true);
    }

    /**
     * Creates the pod; with publish false its name stays out of the other pods' hosts files (and the DNS) until
     * {@link #publish}: a headless record that appears late, as after a full restart.
     */
    void startPod(Pod p, boolean recreate, boolean publish) throws IOException, InterruptedException {
        if (recreate) {
            newAddress(p);
            wipeEmptyDirs(p);
        }
        p.published = publish;
        publishHosts();
        for (ContainerSpec init : p.template.init()) {
            Process proc = builder(launch(p, init), env(p, init), p.log(init.name())).start();
            if (!proc.waitFor(150, TimeUnit.SECONDS)) {
                proc.destroyForcibly();
                throw new IOException(p.name + ": init container " + init.name() + " did not finish in 150 s");
            }
            if (proc.exitValue() != 0) {
                throw new IOException(p.name + ": init container " + init.name() + " exited " + proc.exitValue()
                                      + ":\n" + p.logText(init.name()));
            }
        }
        for (ContainerSpec c : p.template.containers()) {
            startContainer(p, c);
        }
    }

    void startContainer(Pod p, ContainerSpec c) throws IOException, InterruptedException {
        ProcessBuilder pb = builder(launch(p, c), env(p, c), p.log(c.name()));
        pb.redirectOutput(ProcessBuilder.Redirect.PIPE);
        Process proc = pb.start();
        timestamped(proc, p.log(c.name()), p.name + "-" + c.name());
        long pid1 = -1;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (pid1 < 0 && System.nanoTime() < deadline && proc.isAlive()) {
            pid1 = proc.toHandle().children().mapToLong(ProcessHandle::pid).findFirst().orElse(-1);
            if (pid1 < 0) {
                Thread.sleep(10);
            }
        }
        if (pid1 < 0) {
            proc.destroyForcibly();
            throw new IOException(p.name + "/" + c.name() + " did not start:\n" + p.logText(c.name()));
        }
        p.running.put(c.name(), new Running(c, proc, pid1));
    }

    /** The pod's DNS record appears: its name resolves in every pod from now on. */
    void publish(Pod p) throws IOException {
        p.published = true;
        publishHosts();
    }

    /**
     * Runs a Job's pod to its end like the Job controller with restartPolicy OnFailure: a fresh pod (new IP, empty
     * emptyDirs) whose container is restarted in place after a failure, at most backoffLimit times, all within
     * timeout. Returns the exit code of the last run (-1: timed out) and, as out, how many runs it took; RUN_STARTS
     * gets the length of the first container's log at each run's start (where each run's lines begin).
     */
    Sh.Result runJob(Pod p, int backoffLimit, Duration timeout, List<Integer> runStarts) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        newAddress(p);
        wipeEmptyDirs(p);
        publishHosts();
        int runs = 0;
        int code = -1;
        while (runs <= backoffLimit && System.nanoTime() < deadline) {
            runs++;
            runStarts.add(p.logText(p.template.containers().get(0).name()).length());
            for (ContainerSpec c : p.template.containers()) {
                startContainer(p, c);
                Running r = p.running.get(c.name());
                if (!r.process().waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    killContainer(p, c.name());
                    return new Sh.Result(-1, Integer.toString(runs), "timed out after " + timeout.toSeconds() + " s");
                }
                p.running.remove(c.name());
                code = r.process().exitValue();
            }
            if (code == 0) {
                break;
            }
        }
        return new Sh.Result(code, Integer.toString(runs), "");
    }

    /** A lost PersistentVolumeClaim: the pod's claims come back empty (call while the pod is not running). */
    void wipeClaims(Pod p) throws IOException {
        for (VolumeSource v : p.template.volumes()) {
            if (v.kind() == VolumeSource.Kind.CLAIM) {
                Path d = p.volume(v.name());
                deleteTree(d);
                Files.createDirectories(d);
                chown(p, d);
            }
        }
    }

    /** Pod TO mounts the claim VOLUME of pod FROM (one PersistentVolumeClaim that two Jobs' pods mount). */
    void shareClaim(Pod from, Pod to, String volume) throws IOException {
        Path d = to.volume(volume);
        deleteTree(d);
        Files.createSymbolicLink(d, from.volume(volume));
    }

    /** kill -9 of one container: its PID 1 dies, and with it every process of the container. */
    void killContainer(Pod p, String container) throws InterruptedException {
        Running r = p.running.remove(container);
        if (r == null) {
            return;
        }
        ProcessHandle.of(r.pid1).ifPresent(ProcessHandle::destroyForcibly);
        r.process.destroyForcibly();
        r.process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Every process of one container of the pod (null: of every container), PID 1 first, as host PIDs. */
    List<Long> processes(Pod p, String container) {
        List<Long> out = new ArrayList<>();
        for (Running r : List.copyOf(p.running.values())) {
            if (container == null || r.spec().name().equals(container)) {
                ProcessHandle.of(r.pid1()).ifPresent(h -> {
                    out.add(h.pid());
                    h.descendants().forEach(d -> out.add(d.pid()));
                });
            }
        }
        return out;
    }

    /** kill -SIGNAL of the given processes (STOP and CONT freeze and resume them, as a cgroup freezer or a paused VM does). */
    static void signal(String signal, List<Long> pids) throws IOException {
        if (pids.isEmpty()) {
            return;
        }
        List<String> cmd = new ArrayList<>(List.of("kill", "-" + signal));
        pids.forEach(pid -> cmd.add(Long.toString(pid)));
        Sh.Result r = Sh.run(Duration.ofSeconds(10), cmd.toArray(String[]::new));
        if (r.code() != 0 && !r.err().contains("No such process")) {
            throw new IOException(String.join(" ", cmd) + " failed: " + r.err().strip());
        }
    }

    /**
     * Freezes every process of one container (null: of the whole pod) and returns them; processes forked in
     * the meantime are caught by a second pass, as the cgroup freezer would catch them.
     */
    List<Long> freeze(Pod p, String container) throws IOException {
        List<Long> frozen = new ArrayList<>(processes(p, container));
        signal("STOP", frozen);
        for (long pid : processes(p, container)) {
            if (!frozen.contains(pid)) {
                frozen.add(pid);
                signal("STOP", List.of(pid));
            }
        }
        return frozen;
    }

    /** The process of the container with the largest resident set: the one the kernel's OOM killer picks. */
    Optional<Long> largestProcess(Pod p, String container) {
        long best = -1;
        long bestRss = -1;
        for (long pid : processes(p, container)) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                    if (line.startsWith("VmRSS:")) {
                        long rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
                        if (rss > bestRss) {
                            bestRss = rss;
                            best = pid;
                        }
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // the process is gone
            }
        }
        return best < 0 ? Optional.empty() : Optional.of(best);
    }

    /** Ready as the kubelet sees it: every container running and its rendered readiness probe passing. */
    boolean ready(Pod p) {
        for (var c : p.template.containers()) {
            Running r = p.running.get(c.name());
            if (r == null || !r.process().isAlive()) {
                return false;
            }
            try {
                if (!c.readiness().isEmpty() && exec(p, r, c.readiness(), Duration.ofSeconds(5)).code() != 0) {
                    return false;
                }
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** kill -9 of the whole pod (every container); its DNS records go away until it is recreated. */
    void killPod(Pod p) throws IOException, InterruptedException {
        for (String c : List.copyOf(p.running.keySet())) {
            killContainer(p, c);
        }
        p.published = false;
        publishHosts();
    }

    /**
     * Graceful deletion like the kubelet, every container in parallel: its preStop hook (bounded by
     * the grace period), then SIGTERM, then SIGKILL when the grace period is over.
     */
    void stopPod(Pod p) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(p.template.terminationGraceSeconds());
        List<Thread> threads = new ArrayList<>();
        for (Running r : List.copyOf(p.running.values())) {
            Thread t = new Thread(() -> {
                try {
                    if (!r.spec().preStop().isEmpty()) {
                        exec(p, r, r.spec().preStop(), Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
                    }
                    ProcessHandle.of(r.pid1()).ifPresent(ProcessHandle::destroy);
                    long left = Math.max(0, deadline - System.nanoTime());
                    if (!r.process().waitFor(left, TimeUnit.NANOSECONDS)) {
                        ProcessHandle.of(r.pid1()).ifPresent(ProcessHandle::destroyForcibly);
                        r.process().destroyForcibly();
                        r.process().waitFor(10, TimeUnit.SECONDS);
                    }
                } catch (IOException | InterruptedException e) {
                    r.process().destroyForcibly();
                }
            }, "drill-stop-" + p.name + "-" + r.spec().name());
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(p.template.terminationGraceSeconds() + 20L));
        }
        p.running.clear();
        p.published = false;
        publishHosts();
    }

    /** kubectl exec: a command inside a running container (its namespaces, root, uid and env). */
    Sh.Result exec(Pod p, Running r, List<String> command, Duration timeout) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("nsenter", "-t", p(r.pid1()), "-m", "-u", "-n", "-p", "-r", "-w"));
        if (!userns) {
            // setgroups is denied in a one-uid user namespace; there the exec runs as its root, like the container
            cmd.addAll(List.of("-S", p(p.template.uid()), "-G", p(p.template.gid())));
        }
        cmd.add("--");
        cmd.addAll(command);
        Path log = p.log(r.spec().name() + "-exec");
        Process proc = builder(cmd, env(p, r.spec()), log).start();
        if (!proc.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            proc.destroyForcibly();
            proc.waitFor(5, TimeUnit.SECONDS);
            return new Sh.Result(-1, "", "timed out");
        }
        return new Sh.Result(proc.exitValue(), "", "");
    }

    // ------------------------------------------------------------------ cleanup

    @Override
    public void close() {
        cleanup();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException ignored) {
            // already shutting down: the hook runs cleanup again, which is harmless
        }
    }

    private synchronized void cleanup() {
        Resp.tls(subnet, null);
        if (dns != null) {
            dns.close();
        }
        for (Pod p : pods) {
            for (Running r : List.copyOf(p.running.values())) {
                ProcessHandle.of(r.pid1()).ifPresent(ProcessHandle::destroyForcibly);
                r.process().destroyForcibly();
            }
        }
        for (Pod p : pods) {
            for (Running r : List.copyOf(p.running.values())) {
                try {
                    r.process().waitFor(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            p.running.clear();
        }
        if (hostVethCreated) {
            Sh.run(Duration.ofSeconds(10), "ip", "link", "del", hostVeth);
            hostVethCreated = false;
        }
        for (String ns : List.copyOf(netnsCreated)) {
            Sh.run(Duration.ofSeconds(10), "ip", "netns", "del", ns);
            netnsCreated.remove(ns);
        }
        if (!Boolean.getBoolean("redisgen.drill.keep")) {
            try {
                deleteTree(root);
            } catch (IOException ignored) {
                // best effort: a temp dir left behind is reported by nobody, but harms nothing
            }
        }
    }

    static void deleteTree(Path d) throws IOException {
        if (!Files.exists(d)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(d)) {
            for (Path f : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
