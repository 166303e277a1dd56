package dev.redisgen.profile;

@Doc("PodDisruptionBudget for the Redis pods. Default: keep a Sentinel quorum / one copy of every slot, never block a drain entirely.")
public record DisruptionSpec(
        @Doc("minAvailable; must be below the pod count so a drain can proceed.") Integer minAvailable) {
}
