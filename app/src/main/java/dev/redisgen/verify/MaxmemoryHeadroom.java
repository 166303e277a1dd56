package dev.redisgen.verify;

import dev.redisgen.diag.Diagnostic;
import dev.redisgen.plan.RedisPlan;
import java.util.ArrayList;
import java.util.List;

/**
 * maxmemory must stay below the container's memory limit: Redis's RSS is maxmemory plus client and
 * replication buffers, fragmentation and, during BGSAVE/AOF rewrite, forked copy-on-write pages. At or above
 * the limit the kernel OOM-kills Redis before eviction (or noeviction's refusals) ever start.
 */
final class MaxmemoryHeadroom implements Rule {
    @Override
    public String id() {
        return "maxmemory-headroom";
    }

    @Override
    public boolean warns() {
        return true;
    }

    @Override
    public List<Diagnostic> check(Context ctx) {
        List<Diagnostic> out = new ArrayList<>();
        for (RedisPlan d : ctx.plan().deployments()) {
            var limits = d.pod(d.names().statefulSet()).containers().get(0).resources().limits();
            if (limits == null || limits.memory() == null) {
                continue;
            }
            long limit = limits.memory().bytes();
            long max = d.redis().maxmemoryBytes();
            String where = d.pointer() + "/redis/maxmemory";
            long suggested = limit * 3 / 4 / (1024 * 1024);
            if (max <= 0) {
                out.add(Diagnostic.error(id(), "maxmemory of '" + d.name() + "' is 0 (unlimited): Redis grows until the kernel OOM-kills it"
                        + " at the " + limits.memory() + " limit", "set `maxmemory: " + suggested + "mb`", ctx.at(where)));
            } else if (max >= limit) {
                out.add(Diagnostic.error(id(), "maxmemory " + d.redis().maxmemory() + " of '" + d.name() + "' is at or above the container's"
                                + " memory limit " + limits.memory() + ": buffers, fragmentation and fork copy-on-write come on top, so the"
                                + " kernel OOM-kills Redis before maxmemory is reached",
                        "set `maxmemory: " + suggested + "mb` (75% of the limit) or raise `resources.redis.limits.memory`", ctx.at(where)));
            } else if (max * 10 > limit * 9) {
                out.add(Diagnostic.warning(id(), "maxmemory " + d.redis().maxmemory() + " of '" + d.name() + "' leaves under 10% of the "
                                + limits.memory() + " limit for buffers and fork copy-on-write",
                        "set `maxmemory: " + suggested + "mb` (75% of the limit)", ctx.at(where)));
            }
        }
        return out;
    }
}
