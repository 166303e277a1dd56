package dev.redisgen.verify;

import dev.redisgen.diag.Diagnostic;
import dev.redisgen.plan.RedisPlan;
import java.util.ArrayList;
import java.util.List;

/** Without AUTH any pod that can reach the port can read, write and reconfigure Redis (seed 000 "Known Limitations"). */
final class AuthConfigured implements Rule {
    @Override
    public String id() {
        return "auth";
    }

    @Override
    public boolean warns() {
        return true;
    }

    @Override
    public List<Diagnostic> check(Context ctx) {
        List<Diagnostic> out = new ArrayList<>();
        for (RedisPlan d : ctx.plan().deployments()) {
            if (d.auth() == null && !ctx.written(d.pointer() + "/auth")) {
                out.add(Diagnostic.warning(id(), "deployment '" + d.name() + "' has no password: any pod that reaches port 6379 can read,"
                                + " write and reconfigure it (CONFIG SET, REPLICAOF)",
                        "add `auth: {secretName: " + d.name() + "-auth}` and create the Secret with a `password` key", ctx.at(d.pointer())));
            }
        }
        return out;
    }
}
