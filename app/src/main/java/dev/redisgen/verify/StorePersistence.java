package dev.redisgen.verify;

import dev.redisgen.diag.Diagnostic;
import dev.redisgen.plan.RedisPlan;
import dev.redisgen.profile.Aof;
import dev.redisgen.profile.Purpose;
import java.util.ArrayList;
import java.util.List;

/**
 * A store holds data of record. Without RDB or AOF on a volume its data lives in emptyDirs: replicas survive the
 * loss of some pods, but every pod restarting at once (a node-pool upgrade, a power loss, `kubectl rollout
 * restart` of a standalone) loses all of it.
 */
final class StorePersistence implements Rule {
    @Override
    public String id() {
        return "store-persistence";
    }

    @Override
    public boolean warns() {
        return true;
    }

    @Override
    public List<Diagnostic> check(Context ctx) {
        List<Diagnostic> out = new ArrayList<>();
        for (RedisPlan d : ctx.plan().deployments()) {
            if (d.purpose() != Purpose.STORE) {
                continue;
            }
            String p = d.pointer();
            var persistence = d.persistence();
            if (persistence == null && !ctx.written(p + "/persistence")) {
                out.add(Diagnostic.warning(id(), "deployment '" + d.name() + "' is a store but has no persistence: its data lives in"
                                + " emptyDirs, and " + (d.isStandalone() ? "any restart of its one pod" : "a restart of every pod at once (a node-pool"
                                + " upgrade, a power loss)") + " loses all of it",
                        "add `persistence: {aof: everysec, size: 10Gi}` (AOF loses at most a second of writes), or use `purpose: cache`"
                                + " if the data can be rebuilt", ctx.at(p + "/purpose")));
            } else if (persistence != null && persistence.rdb().isEmpty() && persistence.aof() == Aof.OFF) {
                out.add(Diagnostic.warning(id(), "deployment '" + d.name() + "' is a store with a volume but neither RDB nor AOF: Redis"
                                + " writes nothing to it, so a restart of every pod at once loses all the data",
                        "add `aof: everysec` (and/or `rdb: [\"900 1\"]`) under `persistence`", ctx.atKey(p + "/persistence")));
            }
        }
        return out;
    }
}
