package dev.redisgen.verify;

import dev.redisgen.diag.Diagnostic;
import dev.redisgen.plan.RedisPlan;
import java.util.ArrayList;
import java.util.List;

/**
 * A NodePort or LoadBalancer Service carries Redis beyond the cluster, and without {@code tls} the password and the
 * data cross that network readable, whatever the NetworkPolicy admits. A warning of its own (not part of
 * {@code service-exposure}), so that a profile can accept it on purpose, an internal load balancer on a private
 * network, without also silencing a missing NetworkPolicy. With {@code tls} there is nothing to warn about.
 */
final class ServicePlaintext implements Rule {
    @Override
    public String id() {
        return "service-plaintext";
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
            List<String> services = d.clientServiceNames();
            // With TLS, a kept plain-text port (tls.plainPort) is on the Services of the Redis pods: the cluster's and the single
            // cache's client Service, not the write endpoint's (the proxy speaks TLS only).
            boolean plainKept = d.tls() != null && d.tls().keepsPlainText() && (d.isCluster() || d.isStandalone());
            if (!type.exposed() || services.isEmpty() || d.tls() != null && !plainKept) {
                continue; // a type that applies to no Service is service-exposure's finding
            }
            String kind = type.kubernetesName();
            out.add(Diagnostic.warning(id(), "the " + kind + " " + ServiceExposure.named(services) + " of '" + d.name() + "' carr" + (services.size() > 1 ? "y" : "ies")
                            + " Redis in plain text" + (plainKept ? " on port " + d.tls().plainPort() + " (`tls.plainPort`)" : "") + ", so "
                            + (d.auth() == null ? "" : "the password and ") + "the data cross the network readable by anything on its path",
                    (plainKept ? "move the clients to TLS on 6379 and remove `tls.plainPort`" : "switch on `tls: {}` (the certificate from a Secret or cert-manager)")
                            + "; or keep `type: ClusterIP`; or expose it only on a"
                            + " private network (an internal load balancer) or through a tunnel, and accept this with `acknowledge: [{rule: " + id() + ", reason: \"...\"}]` in the deployment", ctx.at(d.pointer() + "/services/type")));
        }
        return out;
    }
}
