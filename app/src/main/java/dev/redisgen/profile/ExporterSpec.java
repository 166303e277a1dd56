package dev.redisgen.profile;

@Doc("oliver006/redis_exporter sidecars for Redis and for Sentinel.")
public record ExporterSpec(
        @Default("oliver006/redis_exporter:v1.55.0-alpine") @Doc("Exporter image (serves both Redis and Sentinel; seed 001 §3).") String image,
        @Default("9121") @Doc("Metrics port of the Redis exporter.") int port,
        @Default("9355") @Doc("Metrics port of the Sentinel exporter.") int sentinelPort) {
}
