package dev.redisgen.verify;

import dev.redisgen.diag.Diagnostic;
import io.fabric8.kubernetes.api.model.Service;
import java.util.List;

/** The rendered Services against the quota's `services` count (seed 003: 20). */
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
        long services = ctx.objects().stream().filter(o -> o instanceof Service).count();
        if (services <= q.services()) {
            return List.of();
        }
        return List.of(Diagnostic.error(id(), "the profile renders " + services + " Services, above the ResourceQuota's services "
                        + q.services() + " in namespace " + ctx.plan().namespace().name() + "; the extra ones are rejected",
                "raise `services` to at least " + services + ", or turn off `cluster.perPodServices`",
                ctx.at("/namespace/resourceQuota/services")));
    }
}
