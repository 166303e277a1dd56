package dev.redisgen.verify;

import dev.redisgen.diag.Diagnostic;
import dev.redisgen.plan.RedisPlan;
import java.util.ArrayList;
import java.util.List;

/** A PDB whose minAvailable equals the pod count blocks every node drain; one that allows too much loses quorum. */
final class DisruptionBudgetDrains implements Rule {
    @Override
    public String id() {
        return "disruption-budget";
    }

    @Override
    public List<Diagnostic> check(Context ctx) {
        List<Diagnostic> out = new ArrayList<>();
        for (RedisPlan d : ctx.plan().deployments()) {
            Integer min = d.disruption().minAvailable();
            if (min == null || d.isStandalone()) {
                continue;
            }
            String where = d.pointer() + "/disruptionBudget/minAvailable";
            if (min >= d.redisReplicas()) {
                out.add(Diagnostic.error(id(), "minAvailable " + min + " of '" + d.name() + "' allows no pod of " + d.redisReplicas()
                                + " to be evicted: every node drain blocks forever",
                        "set `minAvailable: " + (d.redisReplicas() - 1) + "` or less", ctx.at(where)));
            } else if (min < 1) {
                // What to keep depends on the topology: a Sentinel majority, or a copy of every cluster slot.
                String keep = d.isCluster()
                        ? "`minAvailable: " + (d.redisReplicas() - 1) + "` (one pod down at a time keeps a copy of every slot)"
                        : "`minAvailable: " + (d.redisReplicas() / 2 + 1) + "` (a majority of the Redis pods)";
                out.add(Diagnostic.error(id(), "minAvailable " + min + " of '" + d.name() + "' lets a drain evict every Redis pod at once",
                        "set " + keep, ctx.at(where)));
            }
        }
        return out;
    }
}
