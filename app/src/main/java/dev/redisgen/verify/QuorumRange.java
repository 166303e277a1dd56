package dev.redisgen.verify;

import dev.redisgen.diag.Diagnostic;
import dev.redisgen.plan.RedisPlan;
import java.util.ArrayList;
import java.util.List;

/**
 * quorum must be > sentinels/2 and ≤ sentinels. Above the count no failover can ever start; at or below
 * half, two partitions can each reach quorum. (Sentinel also needs a majority to authorize a failover, but
 * a low quorum still lets a minority flag the master ODOWN.)
 */
final class QuorumRange implements Rule {
    @Override
    public String id() {
        return "quorum-range";
    }

    @Override
    public List<Diagnostic> check(Context ctx) {
        List<Diagnostic> out = new ArrayList<>();
        for (RedisPlan d : ctx.plan().deployments()) {
            if (d.sentinel() == null) {
                continue;
            }
            int n = d.sentinel().sentinels();
            int q = d.sentinel().quorum();
            String where = d.pointer() + "/sentinel/quorum";
            if (q > n) {
                out.add(Diagnostic.error(id(), "quorum " + q + " is above the " + n + " Sentinels of '" + d.name()
                        + "': no failover can ever be agreed", "set `quorum: " + (n / 2 + 1) + "` (a majority of " + n + ")", ctx.at(where)));
            } else if (q <= n / 2) {
                out.add(Diagnostic.error(id(), "quorum " + q + " is not a majority of the " + n + " Sentinels of '" + d.name()
                                + "': a partitioned minority could agree the master is down",
                        "set `quorum: " + (n / 2 + 1) + "` (a majority of " + n + ")", ctx.at(where)));
            }
        }
        return out;
    }
}
