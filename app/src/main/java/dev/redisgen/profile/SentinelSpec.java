package dev.redisgen.profile;

@Doc("Redis Sentinel: quorum-based failover of one master.")
public record SentinelSpec(
        @Default("co-located") @Doc("`co-located` (a sentinel container in each Redis pod) or `separate` (own StatefulSet).") SentinelPlacement placement,
        @Default("mymaster") @Doc("The master name clients ask Sentinel for.") String masterName,
        @Doc("Sentinels that must agree the master is down; must be > sentinels/2 and ≤ sentinels. Default: majority.") Integer quorum,
        @Doc("Number of Sentinels for `separate` placement (default 3); co-located Sentinels equal the Redis pods.") Integer replicas,
        @Default("5000") @Doc("`down-after-milliseconds`: silence before a Sentinel thinks the master is down.") int downAfterMilliseconds,
        @Default("30000") @Doc("`failover-timeout` in milliseconds.") int failoverTimeoutMilliseconds,
        @Default("1") @Doc("`parallel-syncs`: replicas resyncing with a new master at once.") int parallelSyncs,
        @Default("hostname") @Doc("`hostname`: monitor the pod's stable DNS name (resolve/announce-hostnames); `ip`: resolve at start (without the write endpoint, which knows the master by the name the Sentinels answer).") AddressMode address,
        @Doc("What Sentinel monitors, if not pod 0's stable name. Only a pod address is accepted (never a Service).") String monitor,
        @Default("{size: 1Gi}") @Doc("PVC for a separate Sentinel's kept sentinel.conf (co-located Sentinels keep it on the Redis volume or an own PVC).") VolumeSpec storage) {
}
