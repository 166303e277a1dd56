package dev.redisgen.render;

import dev.redisgen.plan.Planner;
import dev.redisgen.plan.RedisPlan;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Deny all ingress to this deployment's pods except: its own pods (replication, Sentinel gossip, cluster
 * bus, Jobs), client namespaces and address ranges on the data ports, monitoring namespaces on the metrics
 * ports (seed 003).
 */
final class NetworkPolicyRenderer {
    private NetworkPolicyRenderer() {
    }

    static List<HasMetadata> render(RedisPlan d, String namespace) {
        if (d.networkPolicy() == null) {
            return List.of();
        }
        List<NetworkPolicyIngressRule> rules = new ArrayList<>();
        rules.add(new NetworkPolicyIngressRuleBuilder()
                .addNewFrom().withNewPodSelector().withMatchLabels(Map.of(Labels.INSTANCE, d.name())).endPodSelector().endFrom()
                .build());
        List<NetworkPolicyPort> data = new ArrayList<>();
        data.add(tcp(Planner.REDIS_PORT));
        if (d.sentinel() != null) {
            data.add(tcp(Planner.SENTINEL_PORT));
        }
        if (d.proxy() != null) {
            data.add(tcp(Planner.PROXY_READ_PORT));
        }
        if (!d.networkPolicy().allowNamespaces().isEmpty()) {
            rules.add(fromNamespaces(d.networkPolicy().allowNamespaces(), data));
        }
        if (!d.networkPolicy().allowCidrs().isEmpty()) {
            // Clients outside the cluster (through a NodePort or LoadBalancer Service) match no namespace rule.
            var fromCidrs = new NetworkPolicyIngressRuleBuilder();
            for (String cidr : d.networkPolicy().allowCidrs()) {
                fromCidrs.addNewFrom().withNewIpBlock().withCidr(cidr).endIpBlock().endFrom();
            }
            rules.add(fromCidrs.withPorts(data).build());
        }
        if (d.exporter() != null && !d.networkPolicy().metricsNamespaces().isEmpty()) {
            List<NetworkPolicyPort> metrics = new ArrayList<>();
            metrics.add(tcp(d.exporter().port()));
            if (d.sentinel() != null) {
                metrics.add(tcp(d.exporter().sentinelPort()));
            }
            rules.add(fromNamespaces(d.networkPolicy().metricsNamespaces(), metrics));
        }
        return List.of(new NetworkPolicyBuilder()
                .withNewMetadata().withName(d.name()).withNamespace(namespace).withLabels(Labels.of(d, "network-policy")).endMetadata()
                .withNewSpec()
                .withNewPodSelector().withMatchLabels(Map.of(Labels.INSTANCE, d.name())).endPodSelector()
                .withPolicyTypes("Ingress", "Egress")
                .withIngress(rules)
                .withEgress(egress(d))
                .endSpec()
                .build());
    }

    /**
     * Egress: DNS (the pods resolve each other's stable names) and this deployment's own pods, on every port
     * (replication, Sentinel, cluster bus). Nothing else: Redis never dials out.
     */
    private static List<io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule> egress(RedisPlan d) {
        var dns = new io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder()
                .addNewTo().withNewNamespaceSelector().endNamespaceSelector()
                .withNewPodSelector().addToMatchLabels("k8s-app", "kube-dns").endPodSelector().endTo()
                .withPorts(new NetworkPolicyPortBuilder().withProtocol("UDP").withPort(new IntOrString(53)).build(),
                        new NetworkPolicyPortBuilder().withProtocol("TCP").withPort(new IntOrString(53)).build())
                .build();
        var own = new io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder()
                .addNewTo().withNewPodSelector().withMatchLabels(Map.of(Labels.INSTANCE, d.name())).endPodSelector().endTo()
                .build();
        return List.of(dns, own);
    }

    private static NetworkPolicyIngressRule fromNamespaces(List<String> namespaces, List<NetworkPolicyPort> ports) {
        return new NetworkPolicyIngressRuleBuilder()
                .addNewFrom().withNewNamespaceSelector()
                .addNewMatchExpression().withKey("kubernetes.io/metadata.name").withOperator("In").withValues(namespaces).endMatchExpression()
                .endNamespaceSelector().endFrom()
                .withPorts(ports)
                .build();
    }

    private static NetworkPolicyPort tcp(int port) {
        return new NetworkPolicyPortBuilder().withProtocol("TCP").withPort(new IntOrString(port)).build();
    }
}
