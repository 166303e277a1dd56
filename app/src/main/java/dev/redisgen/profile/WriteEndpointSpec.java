package dev.redisgen.profile;

@Doc("For clients that are not Sentinel-aware: an HAProxy Deployment that forwards only to the pod that reports role:master and that a Sentinel majority names master.")
public record WriteEndpointSpec(
        @Default("true") @Doc("Render the proxy and the write/read-only Services (sentinel topology).") boolean enabled,
        @Default("haproxy:2.8-alpine") @Doc("HAProxy image.") String image,
        @Default("2") @Doc("Proxy replicas.") int replicas) {
}
