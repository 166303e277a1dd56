package dev.redisgen.plan;

/**
 * Every Kubernetes name of one deployment, decided in one place (the spotahome names.go habit).
 * Service names may be overridden by the profile; everything else derives from {@code base}.
 */
public record Names(
        String base,
        String statefulSet,
        String headless,
        String write,
        String readOnly,
        String sentinel,
        String sentinelStatefulSet,
        String sentinelHeadless,
        String metrics,
        String config,
        String scripts,
        String proxy,
        String proxyConfig,
        String clusterCreateJob,
        String backupClaim,
        String dataClaim,
        String dashboard) {

    /** Hex digits of the spec hash redisgen appends to every Job's name (`redis-cluster-create-0123456789`). */
    public static final int JOB_HASH_LENGTH = 10;

    public String podName(int ordinal) {
        return statefulSet + "-" + ordinal;
    }

    public String sentinelPodName(int ordinal) {
        return sentinelStatefulSet + "-" + ordinal;
    }

    /** The NetworkPolicy of one part of the deployment: {@code deny-all}, or a component (redis, sentinel, proxy, a Job's). */
    public String networkPolicy(String part) {
        return base + "-" + part;
    }

    public String backupCronJob(String schedule) {
        return base + "-backup-" + schedule;
    }

    /** The stable DNS name of a pod behind its headless Service, in the profile's cluster domain. */
    public static String fqdn(String pod, String headlessService, String namespace, String clusterDomain) {
        return pod + "." + headlessService + "." + namespace + ".svc." + clusterDomain;
    }
}
