package dev.redisgen.plan;

import dev.redisgen.profile.ContainerResources;
import dev.redisgen.profile.DeploymentSpec;
import dev.redisgen.profile.BackupSpec;
import dev.redisgen.profile.EvictionPolicy;
import dev.redisgen.profile.ImagePullPolicy;
import dev.redisgen.profile.NetworkPolicySpec;
import dev.redisgen.profile.PersistenceSpec;
import dev.redisgen.profile.VolumeSpec;
import dev.redisgen.profile.Profile;
import dev.redisgen.profile.Purpose;
import dev.redisgen.profile.Resources;
import dev.redisgen.profile.SentinelPlacement;
import dev.redisgen.profile.SentinelSpec;
import dev.redisgen.profile.ServicesSpec;
import dev.redisgen.profile.Topology;
import dev.redisgen.profile.AddressMode;
import dev.redisgen.profile.ClusterSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a profile into a {@link Plan}. Pure: no I/O, no refusals. Inconsistent input (a quorum above the
 * Sentinel count, an evicting broker) is planned as written; the lint rules refuse it with the reason,
 * so every problem is reported at once rather than the first one the planner trips on.
 */
public final class Planner {
    /**
     * min-replicas-max-lag for a Sentinel deployment: an isolated master must refuse writes before the
     * Sentinels can promote another pod, or both take writes (split brain, found by the drill's partition
     * scenario with the former fixed 10 s against a 5 s down-after). A master drops a replica from its
     * good count up to lag + 2 s after the last ACK (1 s ACK period, 1 s cron); the Sentinels promote no
     * earlier than down-after: lag = down-after - 3 s, at least 1 s.
     */
    public static int minReplicasMaxLagSeconds(int downAfterMilliseconds) {
        return Math.max(1, downAfterMilliseconds / 1000 - 3);
    }

    public static final int REDIS_PORT = 6379;
    public static final int SENTINEL_PORT = 26379;
    public static final int CLUSTER_BUS_PORT = 16379;
    public static final int PROXY_READ_PORT = 6380;
    /** The proxy's plain-text binds kept beside TLS (tls.plainPort): read-write, read-only. The Services map plainPort to them. */
    public static final int PROXY_PLAIN_WRITE_PORT = 6381;
    public static final int PROXY_PLAIN_READ_PORT = 6382;

    private Planner() {
    }

    public static Plan plan(Profile profile) {
        var ns = profile.namespace();
        var namespace = new Plan.NamespacePlan(ns.name(), ns.create(), ns.podSecurity(), ns.labels(), ns.limitRange(), ns.resourceQuota());
        List<RedisPlan> deployments = new ArrayList<>();
        for (int i = 0; i < profile.deployments().size(); i++) {
            DeploymentSpec d = withStorageClass(profile.deployments().get(i), profile.storageClass());
            deployments.add(deployment(d, "/deployments/" + i, profile.clusterDomain(), ns.name()));
        }
        return new Plan(profile.name(), profile.clusterDomain(), namespace, deployments);
    }

    /**
     * The profile's {@code storageClass} on every volume that names none itself, so the renderers see one
     * class per claim and never decide it.
     */
    static DeploymentSpec withStorageClass(DeploymentSpec d, String storageClass) {
        if (storageClass == null) {
            return d;
        }
        PersistenceSpec p = d.persistence();
        if (p != null && p.storageClass() == null) {
            p = new PersistenceSpec(p.rdb(), p.aof(), p.size(), storageClass);
        }
        SentinelSpec s = d.sentinel();
        if (s != null && s.storage().storageClass() == null) {
            s = new SentinelSpec(s.placement(), s.masterName(), s.quorum(), s.replicas(), s.downAfterMilliseconds(),
                    s.failoverTimeoutMilliseconds(), s.parallelSyncs(), s.address(), s.monitor(), withClass(s.storage(), storageClass));
        }
        BackupSpec b = d.backup();
        if (b != null && b.storage().storageClass() == null) {
            b = new BackupSpec(b.schedules(), withClass(b.storage(), storageClass));
        }
        return new DeploymentSpec(d.name(), d.topology(), d.purpose(), d.image(), d.imagePullPolicy(), d.imagePullSecrets(), d.replicas(),
                s, d.cluster(), d.redis(), p, d.resources(), d.probes(), d.placement(), d.exporter(), d.monitoring(), d.auth(),
                d.tls(), d.security(), d.podLabels(), d.podAnnotations(), d.networkPolicy(), d.disruptionBudget(), b, d.writeEndpoint(),
                d.services(), d.clients(), d.acknowledge());
    }

    private static VolumeSpec withClass(VolumeSpec v, String storageClass) {
        return v.storageClass() == null ? new VolumeSpec(v.size(), storageClass) : v;
    }

    static RedisPlan deployment(DeploymentSpec d, String pointer, String clusterDomain, String namespace) {
        Names names = names(d);
        RedisPlan.SentinelPlan sentinel = d.topology() == Topology.SENTINEL ? sentinel(d) : null;
        RedisPlan.ClusterPlan cluster = d.topology() == Topology.CLUSTER ? cluster(d.cluster()) : null;
        int replicas = switch (d.topology()) {
            case SENTINEL -> d.replicas() == null ? 3 : d.replicas();
            case CLUSTER -> cluster.shards() * (1 + cluster.replicasPerShard());
            case STANDALONE -> d.replicas() == null ? 1 : d.replicas();
        };
        if (sentinel != null && !sentinel.separate()) {
            sentinel = new RedisPlan.SentinelPlan(false, sentinel.masterName(), quorumOr(d.sentinel(), replicas), replicas,
                    sentinel.downAfterMilliseconds(), sentinel.failoverTimeoutMilliseconds(), sentinel.parallelSyncs(),
                    sentinel.hostnames(), sentinel.storage());
        }
        RedisPlan.ProxyPlan proxy = d.topology() == Topology.SENTINEL && d.writeEndpoint().enabled()
                ? new RedisPlan.ProxyPlan(d.writeEndpoint().image(), d.writeEndpoint().replicas())
                : null;
        RedisPlan.RedisSettings settings = settings(d, replicas);
        RedisPlan.Disruption disruption = disruption(d, replicas);
        List<PodPlan> pods = pods(d, pointer, names, replicas, sentinel, proxy);
        var placement = d.placement();
        var podOptions = new RedisPlan.PodOptions(d.podLabels(), d.podAnnotations(), placement.nodeSelector(), placement.tolerations(),
                placement.priorityClassName(), d.imagePullSecrets());
        var serviceOptions = new RedisPlan.ServiceOptions(d.services().type(), d.services().annotations(), d.services().labels());
        return new RedisPlan(d.name(), pointer, d.topology(), d.purpose(), d.image(), names, replicas, sentinel, cluster, settings,
                d.persistence(), d.probes(), d.placement(), d.exporter(), d.monitoring(), d.auth(), tls(d), d.security(),
                networkPolicy(d.networkPolicy(), namespace), disruption, d.backup(), proxy, d.clients(), pods, clusterDomain, podOptions,
                serviceOptions);
    }

    /** TLS with its defaults decided (the Secret `<name>-tls`), or null for plain text. */
    static RedisPlan.TlsPlan tls(DeploymentSpec d) {
        var t = d.tls();
        if (t == null) {
            return null;
        }
        return new RedisPlan.TlsPlan(t.secretName() == null ? d.name() + "-tls" : t.secretName(), t.authClients(), t.certManager(),
                t.plainPort() == null ? 0 : t.plainPort());
    }

    /**
     * The NetworkPolicy settings with their defaults decided: null when switched off; clients from the deployment's own
     * namespace when the profile names none (a policy that admits no client at all would make Redis unusable).
     */
    static NetworkPolicySpec networkPolicy(NetworkPolicySpec np, String namespace) {
        if (!np.enabled()) {
            return null;
        }
        if (np.allowNamespaces().isEmpty() && np.allowPods().isEmpty()) {
            return new NetworkPolicySpec(true, List.of(namespace), List.of(), np.metricsNamespaces(), np.allowCidrs());
        }
        return np;
    }

    static Names names(DeploymentSpec d) {
        String base = d.name();
        ServicesSpec s = d.services();
        return new Names(
                base,
                base,
                or(s.headless(), base + "-headless"),
                or(s.write(), base),
                or(s.readOnly(), base + "-replicas"),
                or(s.sentinel(), base + "-sentinel"),
                base + "-sentinel",
                base + "-sentinel-headless",
                base + "-metrics",
                base + "-config",
                base + "-scripts",
                base + "-proxy",
                base + "-proxy-config",
                base + "-create",
                base + "-backup",
                base + "-data",
                base + "-dashboard");
    }

    private static RedisPlan.SentinelPlan sentinel(DeploymentSpec d) {
        SentinelSpec s = d.sentinel() != null ? d.sentinel()
                : new SentinelSpec(SentinelPlacement.CO_LOCATED, "mymaster", null, null, 5000, 30000, 1, AddressMode.HOSTNAME, null,
                        new dev.redisgen.profile.VolumeSpec(dev.redisgen.profile.Memory.parse("1Gi"), null));
        boolean separate = s.placement() == SentinelPlacement.SEPARATE;
        int sentinels = separate ? (s.replicas() == null ? 3 : s.replicas()) : -1;
        return new RedisPlan.SentinelPlan(separate, s.masterName(), separate ? quorumOr(s, sentinels) : -1, sentinels,
                s.downAfterMilliseconds(), s.failoverTimeoutMilliseconds(), s.parallelSyncs(), s.address() == AddressMode.HOSTNAME,
                s.storage());
    }

    /** The profile's quorum, or a majority of the Sentinels (the smallest quorum that cannot split). */
    private static int quorumOr(SentinelSpec s, int sentinels) {
        return s != null && s.quorum() != null ? s.quorum() : sentinels / 2 + 1;
    }

    private static RedisPlan.ClusterPlan cluster(ClusterSpec c) {
        ClusterSpec spec = c != null ? c : new ClusterSpec(3, 1, 15000, true);
        return new RedisPlan.ClusterPlan(spec.shards(), spec.replicasPerShard(), spec.nodeTimeoutMilliseconds(), spec.perPodServices());
    }

    static RedisPlan.RedisSettings settings(DeploymentSpec d, int replicas) {
        var r = d.redis();
        long limit = d.resources().redis().limits().memory() == null ? 0 : d.resources().redis().limits().memory().bytes();
        String maxmemory;
        long maxmemoryBytes;
        if (r.maxmemory() != null) {
            maxmemory = r.maxmemory().text();
            maxmemoryBytes = r.maxmemory().bytes();
        } else {
            // Three quarters of the limit, in whole megabytes: the rest is fork copy-on-write during
            // RDB/AOF rewrites, client and replication buffers, and allocator fragmentation.
            long mb = limit * 3 / 4 / (1024 * 1024);
            maxmemory = mb + "mb";
            maxmemoryBytes = mb * 1024 * 1024;
        }
        EvictionPolicy policy = r.maxmemoryPolicy() != null ? r.maxmemoryPolicy()
                : d.purpose() == Purpose.CACHE ? EvictionPolicy.ALLKEYS_LRU : EvictionPolicy.NOEVICTION;
        // A master cut off from every replica stops accepting writes after min-replicas-max-lag, before the
        // others can promote a replica (Sentinel: down-after; Cluster: cluster-node-timeout), which bounds what
        // an isolated old master can acknowledge and later lose (split brain). A Redis Cluster master in a
        // minority partition turns cluster_state:fail only once it flags the other masters failing, about
        // node-timeout after the cut: the moment the majority promotes its replica (redisgen drill, partition).
        // cluster-heal.sh lifts the fence on a master none of whose replicas can take over (all failing).
        int minReplicas = d.topology() == Topology.SENTINEL && replicas > 1
                || d.topology() == Topology.CLUSTER && (d.cluster() == null || d.cluster().replicasPerShard() > 0) ? 1 : 0;
        return new RedisPlan.RedisSettings(maxmemory, maxmemoryBytes, policy.redisName(), r.ioThreads(), r.lazyfreeLazyEviction(),
                r.maxclients(), r.slowlogMicros(), r.tcpKeepalive(), minReplicas);
    }

    /**
     * Default PDB: Sentinel keeps a majority of pods (quorum), Cluster keeps every shard one copy
     * (at most replicasPerShard pods down), standalone allows the single pod to go (a drain must pass).
     */
    static RedisPlan.Disruption disruption(DeploymentSpec d, int replicas) {
        if (d.disruptionBudget().minAvailable() != null) {
            return new RedisPlan.Disruption(d.disruptionBudget().minAvailable(), null);
        }
        return switch (d.topology()) {
            case SENTINEL -> new RedisPlan.Disruption(null, Math.max(1, (replicas - 1) / 2));
            case CLUSTER -> new RedisPlan.Disruption(null, 1);
            case STANDALONE -> new RedisPlan.Disruption(null, 1);
        };
    }

    private static List<PodPlan> pods(DeploymentSpec d, String pointer, Names names, int replicas,
                                      RedisPlan.SentinelPlan sentinel, RedisPlan.ProxyPlan proxy) {
        ContainerResources r = d.resources();
        String res = pointer + "/resources/";
        ImagePullPolicy pull = d.imagePullPolicy();
        String exporterImage = d.exporter() == null ? null : d.exporter().image();
        List<PodPlan> pods = new ArrayList<>();

        // A standalone Deployment pod has no stable name to wait for and no kept state to prepare.
        List<ContainerPlan> init = d.topology() == Topology.STANDALONE ? List.of()
                : List.of(c("init", Role.INIT, d.image(), r.init(), res, pull));
        List<ContainerPlan> redisPod = new ArrayList<>();
        redisPod.add(c("redis", Role.REDIS, d.image(), r.redis(), res, pull));
        if (sentinel != null && !sentinel.separate()) {
            redisPod.add(c("sentinel", Role.SENTINEL, d.image(), r.sentinel(), res, pull));
        }
        if (exporterImage != null) {
            redisPod.add(c("redis-exporter", Role.EXPORTER, exporterImage, r.exporter(), res, pull));
            if (sentinel != null && !sentinel.separate()) {
                redisPod.add(c("sentinel-exporter", Role.SENTINEL_EXPORTER, exporterImage, r.sentinelExporter(), res, pull));
            }
        }
        String redisKind = d.topology() == Topology.STANDALONE ? "Deployment" : "StatefulSet";
        // A standalone Deployment uses Recreate (one PVC-less pod), so no surge pod.
        pods.add(new PodPlan(redisKind, names.statefulSet(), replicas, init, redisPod));

        if (sentinel != null && sentinel.separate()) {
            List<ContainerPlan> s = new ArrayList<>();
            s.add(c("sentinel", Role.SENTINEL, d.image(), r.sentinel(), res, pull));
            if (exporterImage != null) {
                s.add(c("sentinel-exporter", Role.SENTINEL_EXPORTER, exporterImage, r.sentinelExporter(), res, pull));
            }
            pods.add(new PodPlan("StatefulSet", names.sentinelStatefulSet(), sentinel.sentinels(),
                    List.of(c("init", Role.INIT, d.image(), r.init(), res, pull)), s));
        }
        if (proxy != null) {
            // maxSurge 1 during a rollout: one extra proxy pod must fit the quota too.
            pods.add(new PodPlan("Deployment", names.proxy(), proxy.replicas() + 1, List.of(),
                    List.of(c("haproxy", Role.PROXY, proxy.image(), r.proxy(), res, pull))));
        }
        if (d.topology() == Topology.CLUSTER) {
            pods.add(new PodPlan("Job", names.clusterCreateJob(), 1, List.of(),
                    List.of(c("create-cluster", Role.JOB, d.image(), r.job(), res, pull))));
        }
        if (d.backup() != null) {
            // Schedules can fire together (02:00 is both hourly and daily): count every CronJob's pod.
            for (var s : d.backup().schedules()) {
                pods.add(new PodPlan("CronJob", names.backupCronJob(s.name()), 1, List.of(),
                        List.of(c("backup", Role.JOB, d.image(), r.job(), res, pull))));
            }
        }
        return pods;
    }

    /** A container; without a profile policy, its image's Kubernetes default (IfNotPresent for a pinned tag). */
    private static ContainerPlan c(String name, Role role, String image, Resources resources, String resourcesPrefix, ImagePullPolicy pull) {
        return new ContainerPlan(name, role, image, resources, resourcesPrefix + role.resourcesKey(),
                pull != null ? pull : ImagePullPolicy.kubernetesDefault(image));
    }

    private static String or(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
