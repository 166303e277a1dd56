package dev.redisgen.profile;

@Doc("redis.conf settings.")
public record RedisSpec(
        @Doc("`maxmemory`; must leave headroom under the memory limit (fork, buffers). Absent: 75% of the limit.") RedisBytes maxmemory,
        @Doc("`maxmemory-policy`. Default: `allkeys-lru` for a cache, `noeviction` for a broker or store.") EvictionPolicy maxmemoryPolicy,
        @Default("1") @Doc("`io-threads`.") int ioThreads,
        @Default("false") @Doc("`lazyfree-lazy-eviction`.") boolean lazyfreeLazyEviction,
        @Default("10000") @Doc("`maxclients`.") int maxclients,
        @Default("10000") @Doc("`slowlog-log-slower-than` in microseconds.") int slowlogMicros,
        @Default("300") @Doc("`tcp-keepalive` in seconds.") int tcpKeepalive) {
}
