package dev.redisgen.profile;

import java.util.Locale;

@Doc("Redis maxmemory-policy.")
public enum EvictionPolicy {
    NOEVICTION,
    ALLKEYS_LRU,
    ALLKEYS_LFU,
    ALLKEYS_RANDOM,
    VOLATILE_LRU,
    VOLATILE_LFU,
    VOLATILE_RANDOM,
    VOLATILE_TTL;

    /** The name redis.conf uses, e.g. {@code allkeys-lru}. */
    public String redisName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public boolean evicts() {
        return this != NOEVICTION;
    }
}
