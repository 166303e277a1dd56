package dev.redisgen.profile;

@Doc("How Sentinel names the Redis pods.")
public enum AddressMode {
    /** Stable headless DNS names, with resolve-hostnames and announce-hostnames. */
    HOSTNAME,
    /** Pod IPs resolved at start (for clients that cannot resolve the names). */
    IP
}
