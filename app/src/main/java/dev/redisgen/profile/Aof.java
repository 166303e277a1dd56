package dev.redisgen.profile;

@Doc("Append-only file fsync policy, or off.")
public enum Aof {
    OFF,
    EVERYSEC,
    ALWAYS,
    NO
}
