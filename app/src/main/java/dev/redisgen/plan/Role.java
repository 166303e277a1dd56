package dev.redisgen.plan;

/** What a container does; decides its resources entry in the profile and its labels. */
public enum Role {
    REDIS("redis"),
    SENTINEL("sentinel"),
    EXPORTER("exporter"),
    SENTINEL_EXPORTER("sentinelExporter"),
    INIT("init"),
    PROXY("proxy"),
    JOB("job");

    private final String resourcesKey;

    Role(String resourcesKey) {
        this.resourcesKey = resourcesKey;
    }

    /** The key under {@code resources:} in the profile. */
    public String resourcesKey() {
        return resourcesKey;
    }
}
