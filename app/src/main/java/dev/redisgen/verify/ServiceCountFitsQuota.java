package dev.redisgen.verify;

import dev.redisgen.diag.Diagnostic;
import dev.redisgen.plan.RedisPlan;
import java.util.ArrayList;
import java.util.List;

/**
 * The Services the profile renders against the quota's `services` count (seed 003: 20). Counted from the plan,
 * before rendering, so the finding shows up beside every other one (the renderer checks it renders exactly the
 * planned Services).
 */
final class ServiceCountFitsQuota implements Rule {
    @Override
    public String id() {
        return "resource-quota-services";
    }

    @Override
    public List<Diagnostic> check(Context ctx) {
        var q = ctx.plan().namespace().resourceQuota();
        if (q == null || q.services() == null) {
            return List.of();
        }
        long services = ctx.plan().deployments().stream().mapToLong(d -> d.serviceNames().size()).sum();
        if (services <= q.services()) {
            return List.of();
        }
        // Only what this profile can change: per-pod Services exist only for a Redis Cluster that asks for them.
        List<String> fewer = new ArrayList<>();
        for (RedisPlan d : ctx.plan().deployments()) {
            if (d.isCluster() && d.cluster().perPodServices()) {
                fewer.add("`cluster.perPodServices: false` in '" + d.name() + "' (" + d.redisReplicas() + " Services fewer)");
            }
        }
        return List.of(Diagnostic.error(id(), "the profile renders " + services + " Services, above the ResourceQuota's services "
                        + q.services() + " in namespace " + ctx.plan().namespace().name() + "; the extra ones are rejected",
                "raise `services` to at least " + services + (fewer.isEmpty() ? "" : ", or set " + String.join(", or ", fewer)),
                ctx.at("/namespace/resourceQuota/services")));
    }
}
