package dev.redisgen.profile;

import java.util.List;

@Doc("Least-privilege ACL users (Redis 6+): the `default` user is switched off and every client and component gets its own user "
        + "with exactly the commands its job needs. Every password comes from the deployment's `auth.secretName` Secret.")
public record AclUsersSpec(
        @Default("app") @Doc("Name of the application user (its password: `auth.passwordKey`). Its commands follow `purpose`: every data "
                + "command but the `@dangerous` category (FLUSHALL, FLUSHDB, DEBUG, CONFIG, KEYS, SHUTDOWN, MODULE, ACL, REPLICAOF, MIGRATE, "
                + "MONITOR, SAVE, INFO, CLIENT KILL/LIST, ...) but ROLE, which a Sentinel client checks the master with; a `cache` also without the `@blocking` pops a queue needs.") String application,
        @Doc("Commands (or `command|subcommand`) given back to the application user on purpose, e.g. `flushdb` for Django's "
                + "`cache.clear()`, `info` for a client that reads it.") List<String> allowCommands,
        @Default("replication-password") @Doc("Secret key of the password of user `replication` (`masteruser`/`masterauth`: "
                + "PSYNC, REPLCONF, PING only).") String replicationPasswordKey,
        @Default("sentinel-user-password") @Doc("Secret key of the password of user `sentinel`, which the Sentinels use towards Redis "
                + "(`sentinel auth-user`/`auth-pass`: the commands Redis's ACL docs list for Sentinel).") String sentinelUserPasswordKey,
        @Default("exporter-password") @Doc("Secret key of the password of user `exporter` (redis_exporter and the write endpoint's "
                + "health checks: read-only introspection).") String exporterPasswordKey,
        @Default("admin-password") @Doc("Secret key of the password of user `admin`, which the pod scripts, probes and Jobs use: "
                + "exactly the commands they send (see README \"ACL users\").") String adminPasswordKey) {

    /** The users redisgen defines itself; the application user takes none of these names. */
    public static final List<String> RESERVED = List.of("default", "replication", "sentinel", "exporter", "admin");
}
