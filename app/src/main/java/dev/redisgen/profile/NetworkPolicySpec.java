package dev.redisgen.profile;

import java.util.List;
import java.util.Map;

@Doc("NetworkPolicies for every pod of the deployment: deny all ingress and egress, then allow exactly the flows the topology needs "
        + "(replication, Sentinel, cluster bus, the proxy, the Jobs, DNS) and the clients, metrics scrapers and address ranges listed here.")
public record NetworkPolicySpec(
        @Default("true") @Doc("Render the NetworkPolicies; `false` renders none (then nothing but the cluster's own policies restricts traffic).")
        boolean enabled,
        @Doc("Namespaces whose pods are clients: they reach the Redis port, the Sentinel port (Sentinel-aware clients) and the write "
                + "endpoint's ports. When neither this nor `allowPods` names a client, the pods of the deployment's own namespace are the clients.")
        List<String> allowNamespaces,
        @Doc("Pods that are clients, selected by their labels (in `namespace`, or in the deployment's own); the same ports as `allowNamespaces`.")
        List<ClientPods> allowPods,
        @Default("[monitoring]") @Doc("Namespaces whose pods may scrape the exporter ports (Prometheus).") List<String> metricsNamespaces,
        @Doc("Address ranges (CIDR, `ipBlock`) that may reach the client ports: clients outside the cluster that come through a "
                + "`NodePort` or `LoadBalancer` Service, which a namespace rule does not admit.") List<String> allowCidrs) {

    @Doc("Client pods, by label.")
    public record ClientPods(
            @Doc("Namespace of the pods; absent: the deployment's own.") String namespace,
            @Required @Doc("Labels the pods carry (`matchLabels`), e.g. `{app.kubernetes.io/name: django}`.") Map<String, String> labels) {
    }
}
