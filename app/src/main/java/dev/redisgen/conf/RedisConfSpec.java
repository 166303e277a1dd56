package dev.redisgen.conf;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What goes into a rendered redis.conf. Decided by the plan; rendered by {@link RedisConf}.
 *
 * @param port                        Redis port (6379)
 * @param savePoints                  RDB save points, each "seconds changes" (e.g. "900 1"); empty = no RDB snapshots
 * @param appendfsync                 AOF fsync policy (always | everysec | no); null = appendonly no
 * @param maxmemory                   maxmemory as Redis reads it ("256mb", "6gb"); null = no limit line
 * @param maxmemoryPolicy             maxmemory-policy as Redis names it ("noeviction", "allkeys-lru", ...)
 * @param ioThreads                   io-threads (1 = off); above 1 also enables io-threads-do-reads
 * @param lazyfreeLazyEviction        lazyfree-lazy-eviction
 * @param maxclients                  maxclients
 * @param slowlogLogSlowerThanMicros  slowlog-log-slower-than, in microseconds
 * @param tcpKeepaliveSeconds         tcp-keepalive, in seconds
 * @param replication                 master/replica settings (Sentinel topologies); null for a lone instance
 * @param cluster                     Redis Cluster settings; null when not in cluster mode
 * @param tlsAuthClients              tls-auth-clients (optional | yes) with TLS on {@code port}; null = plain text
 * @param plainPort                   with TLS: the plain-text port kept open beside it ({@code port}); 0 = {@code port 0}
 */
public record RedisConfSpec(
        int port,
        List<String> savePoints,
        String appendfsync,
        String maxmemory,
        String maxmemoryPolicy,
        int ioThreads,
        boolean lazyfreeLazyEviction,
        int maxclients,
        long slowlogLogSlowerThanMicros,
        int tcpKeepaliveSeconds,
        Replication replication,
        Cluster cluster,
        String tlsAuthClients,
        int plainPort) {

    /** Without a kept plain-text port. */
    public RedisConfSpec(int port, List<String> savePoints, String appendfsync, String maxmemory, String maxmemoryPolicy, int ioThreads,
                         boolean lazyfreeLazyEviction, int maxclients, long slowlogLogSlowerThanMicros, int tcpKeepaliveSeconds,
                         Replication replication, Cluster cluster, String tlsAuthClients) {
        this(port, savePoints, appendfsync, maxmemory, maxmemoryPolicy, ioThreads, lazyfreeLazyEviction, maxclients, slowlogLogSlowerThanMicros,
                tcpKeepaliveSeconds, replication, cluster, tlsAuthClients, 0);
    }

    private static final Pattern SAVE_POINT = Pattern.compile("[1-9][0-9]* [1-9][0-9]*");
    private static final Pattern MEMORY = Pattern.compile("[1-9][0-9]*(b|k|kb|m|mb|g|gb)?");
    private static final Set<String> FSYNC = Set.of("always", "everysec", "no");
    private static final Set<String> POLICIES = Set.of("noeviction", "allkeys-lru", "allkeys-lfu",
            "allkeys-random", "volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl");

    /**
     * Replica settings of a master/replica (Sentinel) deployment.
     *
     * @param minReplicasToWrite       min-replicas-to-write: a master refuses writes unless this many
     *                                 replicas are connected with a lag of at most minReplicasMaxLagSeconds;
     *                                 0 = off. With 3 pods, 1 bounds what an isolated old master accepts
     *                                 (split-brain mitigation) at the price of refusing writes with no replica.
     * @param minReplicasMaxLagSeconds min-replicas-max-lag, in seconds
     */
    public record Replication(int minReplicasToWrite, int minReplicasMaxLagSeconds) {
        public Replication {
            require(minReplicasToWrite >= 0, "minReplicasToWrite must be >= 0");
            require(minReplicasMaxLagSeconds > 0, "minReplicasMaxLagSeconds must be > 0");
        }
    }

    /**
     * Redis Cluster settings.
     *
     * @param nodeTimeoutMillis   cluster-node-timeout
     * @param requireFullCoverage cluster-require-full-coverage
     */
    public record Cluster(int nodeTimeoutMillis, boolean requireFullCoverage) {
        public Cluster {
            require(nodeTimeoutMillis > 0, "nodeTimeoutMillis must be > 0");
        }
    }

    public RedisConfSpec {
        require(port > 0 && port < 65536, "port out of range: " + port);
        savePoints = List.copyOf(Objects.requireNonNull(savePoints, "savePoints"));
        for (String point : savePoints) {
            require(SAVE_POINT.matcher(point).matches(), "save point must be \"seconds changes\": " + point);
        }
        require(appendfsync == null || FSYNC.contains(appendfsync), "appendfsync must be always|everysec|no: " + appendfsync);
        require(maxmemory == null || MEMORY.matcher(maxmemory.toLowerCase(Locale.ROOT)).matches(),
                "maxmemory must look like 256mb: " + maxmemory);
        Objects.requireNonNull(maxmemoryPolicy, "maxmemoryPolicy");
        require(POLICIES.contains(maxmemoryPolicy), "unknown maxmemory-policy: " + maxmemoryPolicy);
        require(ioThreads >= 1 && ioThreads <= 128, "ioThreads must be 1..128: " + ioThreads);
        require(maxclients >= 1, "maxclients must be >= 1");
        require(slowlogLogSlowerThanMicros >= -1, "slowlogLogSlowerThanMicros must be >= -1");
        require(tcpKeepaliveSeconds >= 0, "tcpKeepaliveSeconds must be >= 0");
        require(tlsAuthClients == null || TLS_AUTH_CLIENTS.contains(tlsAuthClients), "tls-auth-clients must be optional|yes: " + tlsAuthClients);
        require(plainPort == 0 || tlsAuthClients != null && plainPort > 0 && plainPort < 65536 && plainPort != port,
                "plainPort must be a port other than the TLS port, and only with TLS: " + plainPort);
    }

    /** tls-auth-clients values redisgen renders (Redis also takes {@code no}: certificates of clients ignored). */
    static final Set<String> TLS_AUTH_CLIENTS = Set.of("optional", "yes");

    public boolean tls() {
        return tlsAuthClients != null;
    }

    public boolean appendonly() {
        return appendfsync != null;
    }

    static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
