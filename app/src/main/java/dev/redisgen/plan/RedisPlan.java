package dev.redisgen.plan;

import dev.redisgen.profile.AuthSpec;
import dev.redisgen.profile.BackupSpec;
import dev.redisgen.profile.Client;
import dev.redisgen.profile.ExporterSpec;
import dev.redisgen.profile.MonitoringSpec;
import dev.redisgen.profile.NetworkPolicySpec;
import dev.redisgen.profile.PersistenceSpec;
import dev.redisgen.profile.PlacementSpec;
import dev.redisgen.profile.ProbesSpec;
import dev.redisgen.profile.Purpose;
import dev.redisgen.profile.SecuritySpec;
import dev.redisgen.profile.Topology;
import java.util.List;

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
 * @param networkPolicy null: none rendered
 * @param backup        null: no backup CronJobs
 * @param proxy         null: no write-endpoint proxy
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
        SecuritySpec security,
        NetworkPolicySpec networkPolicy,
        Disruption disruption,
        BackupSpec backup,
        ProxyPlan proxy,
        List<Client> clients,
        List<PodPlan> pods) {

    public RedisPlan {
        clients = List.copyOf(clients);
        pods = List.copyOf(pods);
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
}
