package dev.redisgen.profile;

import java.util.List;

@Doc("Deny all ingress to the Redis pods except from the pods themselves and the listed namespaces and address ranges.")
public record NetworkPolicySpec(
        @Doc("Namespaces whose pods may reach Redis and Sentinel ports.") List<String> allowNamespaces,
        @Doc("Namespaces whose pods may scrape the exporter ports.") List<String> metricsNamespaces,
        @Doc("Address ranges (CIDR, `ipBlock`) that may reach the client ports: clients outside the cluster that come through a "
                + "`NodePort` or `LoadBalancer` Service, which a namespace rule does not admit.") List<String> allowCidrs) {
}
