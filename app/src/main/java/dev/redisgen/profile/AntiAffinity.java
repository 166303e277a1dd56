package dev.redisgen.profile;

@Doc("Pod anti-affinity strength.")
public enum AntiAffinity {
    /** preferredDuringScheduling: spread when possible, still schedule when not. */
    SOFT,
    /** requiredDuringScheduling: never two pods in one topology domain. */
    HARD,
    NONE
}
