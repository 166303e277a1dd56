package dev.redisgen.profile;

@Doc("Redis Cluster: 16384 hash slots over the masters, each with replicas.")
public record ClusterSpec(
        @Default("3") @Doc("Masters (shards); at least 3.") int shards,
        @Default("1") @Doc("Replicas per master.") int replicasPerShard,
        @Default("15000") @Doc("`cluster-node-timeout` in milliseconds.") int nodeTimeoutMilliseconds,
        @Default("true") @Doc("Render one Service per pod (stable per-node address, as seed 003 does).") boolean perPodServices) {
}
