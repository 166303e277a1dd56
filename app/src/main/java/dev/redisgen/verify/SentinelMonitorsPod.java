package dev.redisgen.verify;

import dev.redisgen.diag.Diagnostic;
import dev.redisgen.plan.Names;
import dev.redisgen.plan.RedisPlan;
import java.util.ArrayList;
import java.util.List;

/**
 * Sentinel monitors one concrete Redis by its stable pod name, never a Service (seed 002 "Issue 2"): through a
 * load-balanced Service each Sentinel connection lands on any pod, so Sentinel sees replicas as "the master",
 * can never tell which pod failed, and cannot reconfigure the address after a failover.
 */
final class SentinelMonitorsPod implements Rule {
    @Override
    public String id() {
        return "sentinel-monitors-pod";
    }

    @Override
    public List<Diagnostic> check(Context ctx) {
        List<Diagnostic> out = new ArrayList<>();
        for (int i = 0; i < ctx.plan().deployments().size(); i++) {
            RedisPlan d = ctx.plan().deployments().get(i);
            var spec = ctx.profile().deployments().get(i).sentinel();
            if (spec == null || spec.monitor() == null) {
                continue;
            }
            String ns = ctx.plan().namespace().name();
            String pod0 = d.names().podName(0);
            String fqdn = Names.fqdn(pod0, d.names().headless(), ns, d.clusterDomain());
            String m = spec.monitor();
            boolean pod0Name = m.equals(pod0) || m.equals(fqdn) || m.equals(pod0 + "." + d.names().headless())
                    || m.equals(pod0 + "." + d.names().headless() + "." + ns) || m.equals(pod0 + "." + d.names().headless() + "." + ns + ".svc");
            if (pod0Name) {
                continue;
            }
            boolean service = m.startsWith(d.names().write()) || m.startsWith(d.names().readOnly()) || m.startsWith(d.names().sentinel())
                    || m.contains(".svc") && !m.startsWith(d.names().statefulSet() + "-");
            String msg = service
                    ? "Sentinel is pointed at '" + m + "', a Service. Sentinel must monitor one concrete Redis pod: through a load-balanced"
                            + " Service its connections land on any pod, replicas included, so it cannot tell which pod failed or move"
                            + " the address after a failover"
                    : "Sentinel must first monitor pod 0 ('" + fqdn + "'), the master of a first start; '" + m + "' is not that pod";
            out.add(Diagnostic.error(id(), msg, "remove `monitor` (redisgen monitors " + fqdn
                    + " and waits for its DNS name at start)", ctx.at(d.pointer() + "/sentinel/monitor")));
        }
        return out;
    }
}
