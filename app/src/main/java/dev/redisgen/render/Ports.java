package dev.redisgen.render;

/** Port names (at most 15 characters, IANA_SVC_NAME) shared by containers, Services and probes. */
final class Ports {
    static final String REDIS = "redis";
    /** The plain-text port kept beside TLS (tls.plainPort). */
    static final String REDIS_PLAIN = "redis-plain";
    static final String SENTINEL = "sentinel";
    static final String BUS = "cluster-bus";
    static final String METRICS = "metrics";
    static final String SENTINEL_METRICS = "sentinel-metric";
    static final String WRITE = "write";
    static final String READ = "read";
    /** The proxy's plain-text binds beside TLS (tls.plainPort). */
    static final String WRITE_PLAIN = "write-plain";
    static final String READ_PLAIN = "read-plain";

    private Ports() {
    }
}
