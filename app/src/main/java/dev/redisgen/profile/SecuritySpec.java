package dev.redisgen.profile;

@Doc("Pod security context; containers always run non-root, read-only root filesystem, no privilege escalation, all capabilities dropped, RuntimeDefault seccomp.")
public record SecuritySpec(
        @Default("999") @Doc("runAsUser (the redis user in the official images).") long runAsUser,
        @Default("999") @Doc("runAsGroup.") long runAsGroup,
        @Default("999") @Doc("fsGroup: group owner of mounted volumes.") long fsGroup) {
}
