package dev.redisgen.verify;

import dev.redisgen.diag.Diagnostic;
import dev.redisgen.plan.RedisPlan;
import java.util.ArrayList;
import java.util.List;

/**
 * A NodePort or LoadBalancer Service takes Redis out of the cluster: with the NetworkPolicy switched off anything that
 * reaches a node port or the load balancer can connect. With the NetworkPolicy (the default), which admits only pods
 * unless `allowCidrs` names address ranges, the clients from outside are dropped: they need `allowCidrs`. That it
 * crosses the network in plain text is {@link ServicePlaintext}'s.
 */
final class ServiceExposure implements Rule {
    @Override
    public String id() {
        return "service-exposure";
    }

    @Override
    public boolean warns() {
        return true;
    }

    @Override
    public List<Diagnostic> check(Context ctx) {
        List<Diagnostic> out = new ArrayList<>();
        for (RedisPlan d : ctx.plan().deployments()) {
            var type = d.serviceOptions().type();
            if (!type.exposed()) {
                continue;
            }
            String where = d.pointer() + "/services/type";
            String kind = type.kubernetesName();
            List<String> services = d.clientServiceNames();
            if (services.isEmpty()) {
                out.add(Diagnostic.warning(id(), "`type: " + kind + "` of '" + d.name() + "' applies to no Service: with the write endpoint"
                                + " off, its clients are Sentinel-aware, and the Sentinel Service stays ClusterIP (Sentinel answers with pod names"
                                + " only the cluster resolves)", "remove `type`, or turn the write endpoint on (`writeEndpoint: {enabled: true}`)",
                        ctx.at(where)));
                continue;
            }
            String named = named(services);
            String auth = d.auth() == null ? ", and with no password it can read, write and reconfigure Redis" : "";
            if (d.networkPolicy() == null) {
                out.add(Diagnostic.warning(id(), "deployment '" + d.name() + "' exposes Redis outside the cluster (" + kind + " " + named
                                + ") with no NetworkPolicy: anything that reaches " + (type.kubernetesName().equals("NodePort") ? "a node's port"
                                : "the load balancer") + " can connect" + auth,
                        "remove `networkPolicy: {enabled: false}` and list your clients' ranges under `networkPolicy.allowCidrs` (and"
                                + " add `auth`), or keep `type: ClusterIP`",
                        ctx.at(where)));
            } else if (d.networkPolicy().allowCidrs().isEmpty()) {
                String np = d.pointer() + "/networkPolicy";
                out.add(Diagnostic.warning(id(), "deployment '" + d.name() + "' exposes " + named + " as " + kind + ", but its NetworkPolicy"
                                + " admits only pods of the namespace" + (d.networkPolicy().allowNamespaces().size() == 1 ? " " : "s ")
                                + String.join(", ", d.networkPolicy().allowNamespaces())
                                + (d.networkPolicy().allowPods().isEmpty() ? "" : " and the labelled pods of `allowPods`")
                                + ": clients outside the cluster are dropped",
                        "list their address ranges under `networkPolicy.allowCidrs`", ctx.written(np) ? ctx.atKey(np) : ctx.at(where)));
            }
            if (d.isCluster()) {
                out.add(Diagnostic.note(id(), "the " + kind + " " + named + " of '" + d.name() + "' is a first contact only: Redis Cluster"
                                + " clients follow MOVED redirects to pod addresses, which only clients that reach pod IPs can follow", null, ctx.at(where)));
            }
        }
        return out;
    }

    /** "Service redis", "Services redis and redis-replicas". */
    static String named(List<String> services) {
        return "Service" + (services.size() > 1 ? "s " : " ") + String.join(" and ", services);
    }
}
