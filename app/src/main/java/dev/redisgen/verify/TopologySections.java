package dev.redisgen.verify;

import dev.redisgen.diag.Diagnostic;
import dev.redisgen.profile.AddressMode;
import dev.redisgen.profile.DeploymentSpec;
import dev.redisgen.profile.Topology;
import java.util.ArrayList;
import java.util.List;

/** A section that belongs to another topology: above all, Sentinel combined with Redis Cluster (seed 003). */
final class TopologySections implements Rule {
    @Override
    public String id() {
        return "topology-sections";
    }

    @Override
    public List<Diagnostic> check(Context ctx) {
        List<Diagnostic> out = new ArrayList<>();
        List<DeploymentSpec> ds = ctx.profile().deployments();
        for (int i = 0; i < ds.size(); i++) {
            DeploymentSpec d = ds.get(i);
            String p = "/deployments/" + i;
            if (d.sentinel() != null && d.topology() == Topology.CLUSTER) {
                out.add(Diagnostic.error(id(), "deployment '" + d.name() + "' combines Redis Cluster with Sentinel. Sentinel does not manage"
                                + " Redis Cluster: cluster nodes detect a failed master and promote its replica themselves over the cluster bus"
                                + " (cluster-node-timeout), and a Sentinel watching one node would fight that election",
                        "remove the `sentinel:` section; failover is tuned with `cluster.nodeTimeoutMilliseconds`", ctx.atKey(p + "/sentinel")));
            } else if (d.sentinel() != null && d.topology() == Topology.STANDALONE) {
                out.add(Diagnostic.error(id(), "deployment '" + d.name() + "' is standalone but has a `sentinel:` section; a single Redis"
                                + " has no replica for Sentinel to promote",
                        "use `topology: sentinel` for failover, or remove the `sentinel:` section", ctx.atKey(p + "/sentinel")));
            }
            if (d.cluster() != null && d.topology() != Topology.CLUSTER) {
                out.add(Diagnostic.error(id(), "deployment '" + d.name() + "' has a `cluster:` section but `topology: "
                                + d.topology().name().toLowerCase(java.util.Locale.ROOT) + "`",
                        "use `topology: cluster`, or remove the `cluster:` section", ctx.atKey(p + "/cluster")));
            }
            if (d.topology() == Topology.SENTINEL && d.sentinel() != null && d.sentinel().address() == AddressMode.IP && d.writeEndpoint() != null
                    && d.writeEndpoint().enabled()) {
                // Found by `redisgen drill` on an ip-mode profile: no write went through the proxy in any round.
                out.add(Diagnostic.error(id(), "deployment '" + d.name() + "' has the write endpoint (HAProxy) with `sentinel.address: ip`. The"
                                + " proxy forwards to the pod that a Sentinel majority names master, and it recognises that pod by the name the"
                                + " Sentinels answer (SENTINEL get-master-addr-by-name). With `address: ip` they answer a pod IP, which changes"
                                + " whenever a pod is recreated and cannot be written into the proxy's config: no pod would ever qualify, and"
                                + " every write through the endpoint would be refused",
                        "set `sentinel.address: hostname` (Redis 7 Sentinel resolves and announces the pods' stable names), or, when every"
                                + " client is Sentinel-aware, `writeEndpoint: {enabled: false}`",
                        ctx.at(p + "/sentinel/address")));
            }
            if (d.writeEndpoint() != null && d.topology() != Topology.SENTINEL && ctx.source().sourceMap().isWritten(p + "/writeEndpoint")) {
                out.add(Diagnostic.error(id(), "`writeEndpoint` applies to Sentinel deployments only: Redis Cluster clients follow MOVED"
                                + " redirects and a standalone Redis is its own master",
                        "remove the `writeEndpoint:` section", ctx.atKey(p + "/writeEndpoint")));
            }
        }
        return out;
    }
}
