package dev.redisgen.profile;

@Doc("Passwords from an existing Secret; they reach Redis, Sentinel and the exporters as environment variables, never as literals.")
public record AuthSpec(
        @Required @Doc("Name of the Secret (created outside redisgen, e.g. `kubectl create secret generic`).") String secretName,
        @Default("password") @Doc("Key of the Redis password (`requirepass`, `masterauth`); with `users`, the application user's password.") String passwordKey,
        @Doc("Key of a separate Sentinel password (`requirepass` on the Sentinels); absent means Sentinel is open inside the NetworkPolicy.") String sentinelPasswordKey,
        @Doc("ACL users instead of one password (`users: {}` switches them on with every default); absent means one password for "
                + "everything (the `default` user with `requirepass`).") AclUsersSpec users) {
}
