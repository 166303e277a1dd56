package dev.redisgen.profile;

@Doc("Where the Sentinels run.")
public enum SentinelPlacement {
    /** A sentinel container in every Redis pod. */
    CO_LOCATED,
    /** A StatefulSet of its own. */
    SEPARATE
}
