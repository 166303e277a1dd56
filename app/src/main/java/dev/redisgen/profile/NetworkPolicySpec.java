package dev.redisgen.profile;

import java.util.List;

@Doc("Deny all ingress to the Redis pods except from the pods themselves and the listed namespaces.")
public record NetworkPolicySpec(
        @Doc("Namespaces whose pods may reach Redis and Sentinel ports.") List<String> allowNamespaces,
        @Doc("Namespaces whose pods may scrape the exporter ports.") List<String> metricsNamespaces) {
}
