package dev.redisgen.profile;

@Doc("Pod security context; containers always run non-root, read-only root filesystem, no privilege escalation, all capabilities dropped, RuntimeDefault seccomp.")
public record SecuritySpec(
        @Default("10001") @Doc("runAsUser. The images need no passwd entry; a UID above 10000 cannot collide with a host user.") long runAsUser,
        @Default("10001") @Doc("runAsGroup.") long runAsGroup,
        @Default("10001") @Doc("fsGroup: group owner of mounted volumes.") long fsGroup) {
}
