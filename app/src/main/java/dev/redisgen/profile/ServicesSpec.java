package dev.redisgen.profile;

import java.util.Map;

@Doc("The deployment's Services: names (absent ones derive from the deployment name), and how the client Services are exposed.")
public record ServicesSpec(
        @Doc("Plain clients: reaches only the current master. Default `<name>`.") String write,
        @Doc("Reads from replicas only. Default `<name>-replicas`.") String readOnly,
        @Doc("Sentinel-aware clients (port 26379). Default `<name>-sentinel`.") String sentinel,
        @Doc("Headless Service giving each pod a stable DNS name. Default `<name>-headless`.") String headless,
        @Default("ClusterIP") @Doc("Type of the client Services: `write` and `readOnly` (Sentinel topology), the client Service of a cluster or "
                + "standalone deployment. `NodePort` or `LoadBalancer` reaches them from outside the cluster (lint warns: without `tls`, in plain text; and without a NetworkPolicy). "
                + "The Sentinel, headless, per-pod and metrics Services stay in the cluster: Sentinel answers with pod names only the cluster resolves.")
        ServiceType type,
        @Doc("Extra annotations on the client Services (e.g. the cloud's load-balancer settings).") Map<String, String> annotations,
        @Doc("Extra labels on every Service of the deployment; the `app.kubernetes.io/` labels redisgen sets are refused.") Map<String, String> labels) {
}
