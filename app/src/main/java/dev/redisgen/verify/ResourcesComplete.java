package dev.redisgen.verify;

import dev.redisgen.diag.Diagnostic;
import dev.redisgen.plan.ContainerPlan;
import dev.redisgen.plan.PodPlan;
import dev.redisgen.profile.Resources;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Every container has CPU and memory requests and limits, and no request above its limit (SPEC "Resources"). */
final class ResourcesComplete implements Rule {
    @Override
    public String id() {
        return "resources-complete";
    }

    @Override
    public List<Diagnostic> check(Context ctx) {
        List<Diagnostic> out = new ArrayList<>();
        Set<String> reported = new LinkedHashSet<>();
        for (PodPlan pod : ctx.plan().pods()) {
            for (ContainerPlan c : pod.allContainers()) {
                if (!reported.add(c.resourcesPointer())) {
                    continue;
                }
                Resources r = c.resources();
                String p = c.resourcesPointer();
                for (String side : List.of("requests", "limits")) {
                    Resources.Amounts a = side.equals("requests") ? r.requests() : r.limits();
                    if (a == null || a.cpu() == null || a.memory() == null) {
                        out.add(Diagnostic.error(id(), "container '" + c.name() + "' of " + pod.kind() + " " + pod.name() + " has no "
                                        + (a == null || a.cpu() == null ? "cpu" : "memory") + " " + side
                                        + "; a ResourceQuota rejects such pods and the scheduler cannot place them fairly",
                                "set both `cpu` and `memory` under `" + side + "`", ctx.at(p + "/" + side)));
                    }
                }
                if (r.requests() != null && r.limits() != null) {
                    if (r.requests().cpu() != null && r.limits().cpu() != null && r.requests().cpu().compareTo(r.limits().cpu()) > 0) {
                        out.add(Diagnostic.error(id(), "container '" + c.name() + "' requests cpu " + r.requests().cpu() + " above its limit "
                                + r.limits().cpu() + "; the API server rejects the pod", "lower the request or raise the limit", ctx.at(p + "/requests/cpu")));
                    }
                    if (r.requests().memory() != null && r.limits().memory() != null && r.requests().memory().compareTo(r.limits().memory()) > 0) {
                        out.add(Diagnostic.error(id(), "container '" + c.name() + "' requests memory " + r.requests().memory() + " above its limit "
                                + r.limits().memory() + "; the API server rejects the pod", "lower the request or raise the limit", ctx.at(p + "/requests/memory")));
                    }
                }
            }
        }
        return out;
    }
}
