package dev.redisgen.profile;

@Doc("Pod Security Standard level.")
public enum PodSecurityLevel {
    PRIVILEGED,
    BASELINE,
    RESTRICTED
}
