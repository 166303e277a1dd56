package dev.redisgen.verify;

import dev.redisgen.diag.Diagnostic;
import dev.redisgen.plan.RedisPlan;
import dev.redisgen.profile.AclUsersSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ACL users that Redis accepts and that keep their privileges apart: a user name Redis parses in a {@code user} line, not one
 * of the users redisgen defines; commands given back written as ACL rules take them; and one Secret key per user, since two
 * users with one password are one user to whoever holds it (the application could log in as {@code admin}).
 */
final class AclUsersValid implements Rule {
    private static final String NAME = "[a-z][a-z0-9_-]{0,62}";
    private static final String COMMAND = "[a-z][a-z0-9_-]*(\\|[a-z][a-z0-9_-]*)?";

    @Override
    public String id() {
        return "acl-users";
    }

    @Override
    public List<Diagnostic> check(Context ctx) {
        List<Diagnostic> out = new ArrayList<>();
        for (RedisPlan d : ctx.plan().deployments()) {
            AclUsersSpec u = d.aclUsers();
            if (u == null) {
                continue;
            }
            String p = d.pointer() + "/auth/users";
            if (!u.application().matches(NAME)) {
                out.add(err(ctx, p + "/application", "application user name '" + u.application() + "' is not a plain name (lower-case letter,"
                        + " then up to 62 lower-case letters, digits, '_' or '-')", "write a name such as `app` or `celery`"));
            } else if (AclUsersSpec.RESERVED.contains(u.application())) {
                out.add(err(ctx, p + "/application", "application user name '" + u.application() + "' is one of the users redisgen defines "
                        + AclUsersSpec.RESERVED, "name the application user after the application, e.g. `app`"));
            }
            for (int i = 0; i < u.allowCommands().size(); i++) {
                String c = u.allowCommands().get(i);
                if (!c.matches(COMMAND)) {
                    out.add(err(ctx, p + "/allowCommands/" + i, "'" + c + "' is not a command name (lower case, `command` or"
                            + " `command|subcommand`; categories and key patterns are not given back here)", "write e.g. `flushdb` or `config|get`"));
                }
            }
            Map<String, String> keys = new LinkedHashMap<>();
            keys.put("passwordKey", d.auth().passwordKey());
            keys.put("users/replicationPasswordKey", u.replicationPasswordKey());
            keys.put("users/sentinelUserPasswordKey", u.sentinelUserPasswordKey());
            keys.put("users/exporterPasswordKey", u.exporterPasswordKey());
            keys.put("users/adminPasswordKey", u.adminPasswordKey());
            if (d.auth().sentinelPasswordKey() != null) {
                keys.put("sentinelPasswordKey", d.auth().sentinelPasswordKey());
            }
            Map<String, String> seen = new LinkedHashMap<>();
            for (var e : keys.entrySet()) {
                String first = seen.putIfAbsent(e.getValue(), e.getKey());
                if (first != null) {
                    out.add(err(ctx, d.pointer() + "/auth/" + e.getKey(), "Secret key '" + e.getValue() + "' is also `auth." + first.replace('/', '.')
                            + "`: two users with one password are one user to whoever holds it",
                            "give each user a key of its own in Secret " + d.auth().secretName()));
                }
            }
        }
        return out;
    }

    private Diagnostic err(Context ctx, String pointer, String message, String fix) {
        return Diagnostic.error(id(), message, fix, ctx.at(pointer));
    }
}
