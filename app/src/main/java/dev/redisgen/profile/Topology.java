package dev.redisgen.profile;

@Doc("How the Redis pods fail over.")
public enum Topology {
    /** Master and replicas; Redis Sentinel elects a new master on failure. */
    SENTINEL,
    /** Redis Cluster: sharded, fails over by itself through its cluster bus. */
    CLUSTER,
    /** One Redis, no failover (a cache that may be lost). */
    STANDALONE
}
