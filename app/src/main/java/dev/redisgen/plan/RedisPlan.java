package dev.redisgen.plan;

import dev.redisgen.profile.AclUsersSpec;
import dev.redisgen.profile.AuthSpec;
import dev.redisgen.profile.BackupSpec;
import dev.redisgen.profile.CertManagerSpec;
import dev.redisgen.profile.Client;
import dev.redisgen.profile.ExporterSpec;
import dev.redisgen.profile.MonitoringSpec;
import dev.redisgen.profile.NetworkPolicySpec;
import dev.redisgen.profile.PersistenceSpec;
import dev.redisgen.profile.PlacementSpec;
import dev.redisgen.profile.ProbesSpec;
import dev.redisgen.profile.Purpose;
import dev.redisgen.profile.SecuritySpec;
import dev.redisgen.profile.ServiceType;
import dev.redisgen.profile.TlsClientAuth;
import dev.redisgen.profile.Toleration;
import dev.redisgen.profile.Topology;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * All decisions for one Redis deployment.
 *
 * @param pointer       JSON pointer of the deployment in the profile, for diagnostics
 * @param redisReplicas Redis pods (for cluster: shards × (1 + replicasPerShard))
 * @param sentinel      null unless topology is SENTINEL
 * @param cluster       null unless topology is CLUSTER
 * @param persistence   null: no persistence, data in an emptyDir
 * @param exporter      null: no exporter sidecars
 * @param auth          null: no AUTH
 * @param tls           null: plain text
 * @param networkPolicy null: none rendered
 * @param backup        null: no backup CronJobs
 * @param proxy         null: no write-endpoint proxy
 * @param clusterDomain the cluster's DNS domain, the last part of every pod and Service name
 * @param podOptions    what every pod of the deployment gets: extra metadata, node placement, pull secrets
 * @param serviceOptions type, labels and annotations of the Services
 */
public record RedisPlan(
        String name,
        String pointer,
        Topology topology,
        Purpose purpose,
        String image,
        Names names,
        int redisReplicas,
        SentinelPlan sentinel,
        ClusterPlan cluster,
        RedisSettings redis,
        PersistenceSpec persistence,
        ProbesSpec probes,
        PlacementSpec placement,
        ExporterSpec exporter,
        MonitoringSpec monitoring,
        AuthSpec auth,
        TlsPlan tls,
        SecuritySpec security,
        NetworkPolicySpec networkPolicy,
        Disruption disruption,
        BackupSpec backup,
        ProxyPlan proxy,
        List<Client> clients,
        List<PodPlan> pods,
        String clusterDomain,
        PodOptions podOptions,
        ServiceOptions serviceOptions) {

    public RedisPlan {
        clients = List.copyOf(clients);
        pods = List.copyOf(pods);
    }

    /** The ACL users, or null: no auth, or one password on the default user. */
    public AclUsersSpec aclUsers() {
        return auth == null ? null : auth.users();
    }

    /**
     * The names of the Services the deployment renders, in the renderer's order. The resource-quota-services rule
     * counts these before anything is rendered, and the renderer checks that it renders exactly these.
     */
    public List<String> serviceNames() {
        List<String> out = new ArrayList<>();
        if (!isStandalone()) {
            out.add(names.headless());
        }
        if (sentinel != null && sentinel.separate()) {
            out.add(names.sentinelHeadless());
        }
        if (sentinel != null) {
            out.add(names.sentinel());
        }
        out.addAll(clientServiceNames());
        if (isCluster() && cluster.perPodServices()) {
            for (int i = 0; i < redisReplicas; i++) {
                out.add(names.podName(i));
            }
        }
        if (exporter != null) {
            out.add(names.metrics());
        }
        return List.copyOf(out);
    }

    /**
     * The Services plain clients connect to, which {@code services.type} exposes: the proxy's write and read-only
     * Services of a Sentinel deployment, the client Service of a cluster or standalone one.
     */
    public List<String> clientServiceNames() {
        if (proxy != null) {
            return List.of(names.write(), names.readOnly());
        }
        return isCluster() || isStandalone() ? List.of(names.write()) : List.of();
    }

    /**
     * What every pod template of the deployment gets (Redis, Sentinel, proxy, Jobs, CronJobs).
     *
     * @param priorityClassName null: the cluster's default priority
     */
    public record PodOptions(Map<String, String> labels, Map<String, String> annotations, Map<String, String> nodeSelector,
                             List<Toleration> tolerations, String priorityClassName, List<String> imagePullSecrets) {
        public PodOptions {
            labels = sorted(labels);
            annotations = sorted(annotations);
            nodeSelector = sorted(nodeSelector);
            tolerations = List.copyOf(tolerations);
            imagePullSecrets = List.copyOf(imagePullSecrets);
        }
    }

    /** Sorted and immutable: labels and annotations are emitted in key order on every run (habit 4). */
    private static Map<String, String> sorted(Map<String, String> map) {
        return Collections.unmodifiableMap(new TreeMap<>(map));
    }

    /** Type and annotations of the client Services; labels of every Service. */
    public record ServiceOptions(ServiceType type, Map<String, String> annotations, Map<String, String> labels) {
        public ServiceOptions {
            annotations = sorted(annotations);
            labels = sorted(labels);
        }
    }

    public boolean isSentinel() {
        return topology == Topology.SENTINEL;
    }

    public boolean isCluster() {
        return topology == Topology.CLUSTER;
    }

    public boolean isStandalone() {
        return topology == Topology.STANDALONE;
    }

    public boolean coLocatedSentinel() {
        return sentinel != null && !sentinel.separate();
    }

    public PodPlan pod(String workloadName) {
        return pods.stream().filter(p -> p.name().equals(workloadName)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no pod plan " + workloadName));
    }

    /** Sentinel settings. {@code sentinels} is the number of Sentinel processes. */
    public record SentinelPlan(boolean separate, String masterName, int quorum, int sentinels, int downAfterMilliseconds,
                               int failoverTimeoutMilliseconds, int parallelSyncs, boolean hostnames,
                               dev.redisgen.profile.VolumeSpec storage) {
    }

    public record ClusterPlan(int shards, int replicasPerShard, int nodeTimeoutMilliseconds, boolean perPodServices) {
    }

    /** redis.conf values after defaults: maxmemory from the limit, policy from the purpose. */
    public record RedisSettings(String maxmemory, long maxmemoryBytes, String maxmemoryPolicy, int ioThreads,
                                boolean lazyfreeLazyEviction, int maxclients, int slowlogMicros, int tcpKeepalive,
                                int minReplicasToWrite) {
    }

    /** PodDisruptionBudget: exactly one of the two is set. */
    public record Disruption(Integer minAvailable, Integer maxUnavailable) {
    }

    public record ProxyPlan(String image, int replicas) {
    }

    /**
     * TLS on every connection.
     *
     * @param secretName  the Secret with tls.crt, tls.key and ca.crt
     * @param authClients tls-auth-clients
     * @param certManager null: the Secret exists; else the Certificate to render
     * @param plainPort   the plain-text port Redis keeps open beside TLS on 6379; 0: none ({@code port 0})
     */
    public record TlsPlan(String secretName, TlsClientAuth authClients, CertManagerSpec certManager, int plainPort) {
        public boolean keepsPlainText() {
            return plainPort != 0;
        }
    }

    /**
     * Every DNS name clients and peers reach this deployment's pods by, for the certificate: the Services in short and
     * full form, the wildcard per-pod names behind each headless Service, and localhost (the exporter and the probes).
     */
    public List<String> tlsDnsNames(String namespace) {
        List<String> out = new ArrayList<>();
        for (String service : serviceNames()) {
            if (exporter != null && service.equals(names.metrics())) {
                continue; // the exporters' HTTP, not Redis
            }
            out.add(service);
            out.add(service + "." + namespace + ".svc");
            out.add(service + "." + namespace + ".svc." + clusterDomain);
        }
        List<String> headless = new ArrayList<>();
        if (!isStandalone()) {
            headless.add(names.headless());
        }
        if (sentinel != null && sentinel.separate()) {
            headless.add(names.sentinelHeadless());
        }
        for (String h : headless) {
            out.add("*." + h + "." + namespace + ".svc");
            out.add("*." + h + "." + namespace + ".svc." + clusterDomain);
        }
        out.add("localhost");
        return List.copyOf(out);
    }
}
