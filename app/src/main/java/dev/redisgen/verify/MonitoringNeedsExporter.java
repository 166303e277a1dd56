package dev.redisgen.verify;

import dev.redisgen.diag.Diagnostic;
import dev.redisgen.plan.RedisPlan;
import java.util.ArrayList;
import java.util.List;

/** ServiceMonitor, alerts and dashboard read the exporter's metrics; without the exporter they watch nothing. */
final class MonitoringNeedsExporter implements Rule {
    @Override
    public String id() {
        return "monitoring-needs-exporter";
    }

    @Override
    public List<Diagnostic> check(Context ctx) {
        List<Diagnostic> out = new ArrayList<>();
        for (RedisPlan d : ctx.plan().deployments()) {
            var m = d.monitoring();
            if (d.exporter() == null && (m.serviceMonitor() || m.prometheusRule() || m.dashboard())) {
                out.add(Diagnostic.error(id(), "deployment '" + d.name() + "' asks for monitoring objects but has no exporter: the"
                                + " ServiceMonitor, alerts and dashboard would read metrics nobody serves",
                        "add `exporter: {}` (oliver006/redis_exporter sidecars)", ctx.atKey(d.pointer() + "/monitoring")));
            }
        }
        return out;
    }
}
