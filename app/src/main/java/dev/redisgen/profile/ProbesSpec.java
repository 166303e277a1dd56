package dev.redisgen.profile;

@Doc("Probe timings (seed 000 §9). Liveness is a TCP check; readiness runs `readiness.sh`: PING answers, and a replica is linked to its master (not connecting, not in a full sync).")
public record ProbesSpec(
        @Default("{initialDelaySeconds: 30, periodSeconds: 10}") @Doc("Liveness probe.") Probe liveness,
        @Default("{initialDelaySeconds: 10, periodSeconds: 5}") @Doc("Readiness probe.") Probe readiness) {

    @Doc("One probe's timings.")
    public record Probe(
            @Default("10") @Doc("Seconds before the first probe.") int initialDelaySeconds,
            @Default("10") @Doc("Seconds between probes.") int periodSeconds,
            @Default("5") @Doc("Seconds before a probe times out.") int timeoutSeconds,
            @Default("3") @Doc("Failures in a row that count as failed.") int failureThreshold) {
    }
}
