package dev.redisgen.render;

import dev.redisgen.plan.Planner;
import dev.redisgen.plan.RedisPlan;
import dev.redisgen.profile.NetworkPolicySpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Deny all, then exactly the flows the topology needs. One policy selects every pod of the deployment and allows
 * nothing (a pod of it that no other policy names stays isolated both ways); one policy per component then allows
 * its own flows, ingress and egress:
 * <ul>
 *   <li>Redis pods: replication and the pod scripts between them on 6379; with Sentinel, the Sentinels (co-located or
 *       separate) to 6379 and, co-located, Sentinel to Sentinel on 26379; the cluster bus 16379 between cluster pods only;
 *       the proxy and the Jobs to 6379; clients to 6379 (and to a co-located Sentinel's 26379); the metrics namespaces to
 *       the exporter ports.</li>
 *   <li>separate Sentinel pods: Sentinel to Sentinel, the Redis pods (whose scripts ask the Sentinels), the proxy, the
 *       backup Jobs and clients to 26379; they reach the Redis pods on 6379.</li>
 *   <li>the write-endpoint proxy: clients to its write and read ports; it reaches Redis on 6379 and the Sentinels on 26379.</li>
 *   <li>the Jobs (cluster creation, backups; the creation policy also selects the pods of `redisgen drain` and `redisgen restore`): no ingress; they reach Redis on 6379 and, for a Sentinel backup, 26379.</li>
 *   <li>every pod: DNS (UDP and TCP 53) to the cluster DNS, whose pods carry {@code k8s-app: kube-dns}.</li>
 * </ul>
 * The kubelet's probes are not pod traffic and need no rule.
 */
final class NetworkPolicyRenderer {
    static final String DENY_ALL = "deny-all";

    private NetworkPolicyRenderer() {
    }

    static List<HasMetadata> render(RedisPlan d, String namespace) {
        NetworkPolicySpec np = d.networkPolicy();
        if (np == null) {
            return List.of();
        }
        List<HasMetadata> out = new ArrayList<>();
        out.add(policy(d, namespace, DENY_ALL, labels(Map.of(Labels.INSTANCE, d.name())), List.of(), List.of()));

        boolean separate = d.sentinel() != null && d.sentinel().separate();
        // The pods that run a Sentinel: the Redis pods themselves, or the separate Sentinel StatefulSet's.
        String sentinelComponent = d.sentinel() == null ? null : separate ? "sentinel" : "redis";
        List<String> jobs = new ArrayList<>();
        if (d.isCluster()) {
            jobs.add("create-cluster");
        }
        if (d.backup() != null) {
            jobs.add("backup");
        }
        // `redisgen restore` renders a Redis Cluster's restore Job later, into this namespace. Its pods need what the
        // creation Job's need (DNS, Redis on 6379), so the creation policy selects them too: a policy of their own
        // would select no pod until a restore runs, and printing one with the Job would make `kubectl create` fail
        // on the second restore.
        // The same for the Job of `redisgen drain` (fewer shards).
        List<String> admitted = new ArrayList<>(jobs);
        if (d.isCluster()) {
            admitted.add("drain-cluster");
        }
        if (d.isCluster() && d.backup() != null) {
            admitted.add("restore");
        }

        // Redis pods.
        List<NetworkPolicyIngressRule> in = new ArrayList<>();
        List<NetworkPolicyPeer> toRedis = new ArrayList<>();
        toRedis.add(own(d, "redis"));
        if (separate) {
            toRedis.add(own(d, "sentinel"));
        }
        if (d.proxy() != null) {
            toRedis.add(own(d, "proxy"));
        }
        admitted.forEach(j -> toRedis.add(own(d, j)));
        in.add(ingress(toRedis, tcp(Planner.REDIS_PORT)));
        if (d.isCluster()) {
            in.add(ingress(List.of(own(d, "redis")), tcp(Planner.CLUSTER_BUS_PORT)));
        }
        if ("redis".equals(sentinelComponent)) {
            in.add(ingress(sentinelClients(d, jobs), tcp(Planner.SENTINEL_PORT)));
        }
        List<NetworkPolicyPort> clientPorts = new ArrayList<>(List.of(tcp(Planner.REDIS_PORT)));
        if (d.tls() != null && d.tls().keepsPlainText()) {
            clientPorts.add(tcp(d.tls().plainPort())); // clients only: every peer speaks TLS on 6379
        }
        if ("redis".equals(sentinelComponent)) {
            clientPorts.add(tcp(Planner.SENTINEL_PORT));
        }
        in.addAll(clients(np, clientPorts));
        if (d.exporter() != null && !np.metricsNamespaces().isEmpty()) {
            List<NetworkPolicyPort> metrics = new ArrayList<>(List.of(tcp(d.exporter().port())));
            if ("redis".equals(sentinelComponent)) {
                metrics.add(tcp(d.exporter().sentinelPort()));
            }
            in.add(ingress(List.of(namespaces(np.metricsNamespaces())), metrics.toArray(NetworkPolicyPort[]::new)));
        }
        List<NetworkPolicyEgressRule> outRules = new ArrayList<>();
        outRules.add(dns());
        outRules.add(egress(own(d, "redis"), tcp(Planner.REDIS_PORT)));
        if (d.isCluster()) {
            outRules.add(egress(own(d, "redis"), tcp(Planner.CLUSTER_BUS_PORT)));
        }
        if (sentinelComponent != null) {
            outRules.add(egress(own(d, sentinelComponent), tcp(Planner.SENTINEL_PORT)));
        }
        out.add(policy(d, namespace, "redis", labels(Labels.selector(d, "redis")), in, outRules));

        if (separate) {
            List<NetworkPolicyIngressRule> sin = new ArrayList<>();
            sin.add(ingress(sentinelClients(d, jobs), tcp(Planner.SENTINEL_PORT)));
            sin.addAll(clients(np, List.of(tcp(Planner.SENTINEL_PORT))));
            if (d.exporter() != null && !np.metricsNamespaces().isEmpty()) {
                sin.add(ingress(List.of(namespaces(np.metricsNamespaces())), tcp(d.exporter().sentinelPort())));
            }
            out.add(policy(d, namespace, "sentinel", labels(Labels.selector(d, "sentinel")), sin,
                    List.of(dns(), egress(own(d, "redis"), tcp(Planner.REDIS_PORT)), egress(own(d, "sentinel"), tcp(Planner.SENTINEL_PORT)))));
        }
        if (d.proxy() != null) {
            List<NetworkPolicyPort> proxyPorts = new ArrayList<>(List.of(tcp(Planner.REDIS_PORT), tcp(Planner.PROXY_READ_PORT)));
            if (ConfigMapRenderer.keepsPlain(d)) {
                proxyPorts.add(tcp(Planner.PROXY_PLAIN_WRITE_PORT)); // tls.plainPort kept: the proxy's plain-text binds
                proxyPorts.add(tcp(Planner.PROXY_PLAIN_READ_PORT));
            }
            out.add(policy(d, namespace, "proxy", labels(Labels.selector(d, "proxy")),
                    clients(np, proxyPorts),
                    List.of(dns(), egress(own(d, "redis"), tcp(Planner.REDIS_PORT)), egress(own(d, sentinelComponent), tcp(Planner.SENTINEL_PORT)))));
        }
        for (String job : jobs) {
            List<NetworkPolicyEgressRule> jobOut = new ArrayList<>(List.of(dns(), egress(own(d, "redis"), tcp(Planner.REDIS_PORT))));
            // A Sentinel deployment's backup asks the Sentinels which pod is master.
            if (job.equals("backup") && sentinelComponent != null) {
                jobOut.add(egress(own(d, sentinelComponent), tcp(Planner.SENTINEL_PORT)));
            }
            LabelSelector pods = job.equals("create-cluster")
                    ? new LabelSelectorBuilder().withMatchLabels(Map.of(Labels.INSTANCE, d.name())).addNewMatchExpression()
                            .withKey(Labels.COMPONENT).withOperator("In")
                            .withValues(admitted.stream().filter(j -> List.of("create-cluster", "drain-cluster", "restore").contains(j)).toList())
                            .endMatchExpression().build()
                    : labels(Labels.selector(d, job));
            out.add(policy(d, namespace, job, pods, List.of(), jobOut));
        }
        return out;
    }

    /** Who talks to the Sentinels: the Sentinels themselves, the Redis pods' scripts, the proxy, a backup Job. */
    private static List<NetworkPolicyPeer> sentinelClients(RedisPlan d, List<String> jobs) {
        List<NetworkPolicyPeer> peers = new ArrayList<>();
        peers.add(own(d, "redis"));
        if (d.sentinel().separate()) {
            peers.add(own(d, "sentinel"));
        }
        if (d.proxy() != null) {
            peers.add(own(d, "proxy"));
        }
        if (jobs.contains("backup")) {
            peers.add(own(d, "backup"));
        }
        return peers;
    }

    /** The clients' rules: namespaces and labelled pods in one rule, address ranges in another. */
    private static List<NetworkPolicyIngressRule> clients(NetworkPolicySpec np, List<NetworkPolicyPort> ports) {
        List<NetworkPolicyIngressRule> rules = new ArrayList<>();
        List<NetworkPolicyPeer> peers = new ArrayList<>();
        if (!np.allowNamespaces().isEmpty()) {
            peers.add(namespaces(np.allowNamespaces()));
        }
        for (var pods : np.allowPods()) {
            var peer = new NetworkPolicyPeerBuilder().withPodSelector(new LabelSelectorBuilder().withMatchLabels(new TreeMap<>(pods.labels())).build());
            if (pods.namespace() != null) {
                peer.withNamespaceSelector(namespaceSelector(List.of(pods.namespace())));
            }
            peers.add(peer.build());
        }
        if (!peers.isEmpty()) {
            rules.add(ingress(peers, ports.toArray(NetworkPolicyPort[]::new)));
        }
        if (!np.allowCidrs().isEmpty()) {
            // Clients outside the cluster (through a NodePort or LoadBalancer Service) match no namespace rule.
            List<NetworkPolicyPeer> ranges = np.allowCidrs().stream()
                    .map(cidr -> new NetworkPolicyPeerBuilder().withNewIpBlock().withCidr(cidr).endIpBlock().build()).toList();
            rules.add(ingress(ranges, ports.toArray(NetworkPolicyPort[]::new)));
        }
        return rules;
    }

    private static LabelSelector labels(Map<String, String> labels) {
        return new LabelSelectorBuilder().withMatchLabels(new TreeMap<>(labels)).build();
    }

    private static HasMetadata policy(RedisPlan d, String namespace, String part, LabelSelector podSelector,
                                      List<NetworkPolicyIngressRule> ingress, List<NetworkPolicyEgressRule> egress) {
        return new NetworkPolicyBuilder()
                .withNewMetadata().withName(d.names().networkPolicy(part)).withNamespace(namespace)
                .withLabels(Labels.of(d, "network-policy")).endMetadata()
                .withNewSpec()
                .withPodSelector(podSelector)
                .withPolicyTypes("Ingress", "Egress")
                .withIngress(ingress)
                .withEgress(egress)
                .endSpec()
                .build();
    }

    /** A peer: this deployment's pods of one component, in the policy's namespace. */
    private static NetworkPolicyPeer own(RedisPlan d, String component) {
        return new NetworkPolicyPeerBuilder().withPodSelector(new LabelSelectorBuilder().withMatchLabels(Labels.selector(d, component)).build()).build();
    }

    /** A peer: every pod of the named namespaces (the API server sets kubernetes.io/metadata.name on each Namespace). */
    private static NetworkPolicyPeer namespaces(List<String> names) {
        return new NetworkPolicyPeerBuilder().withNamespaceSelector(namespaceSelector(names)).build();
    }

    private static LabelSelector namespaceSelector(List<String> names) {
        return new LabelSelectorBuilder().addNewMatchExpression().withKey("kubernetes.io/metadata.name").withOperator("In")
                .withValues(names).endMatchExpression().build();
    }

    private static NetworkPolicyIngressRule ingress(List<NetworkPolicyPeer> from, NetworkPolicyPort... ports) {
        return new NetworkPolicyIngressRuleBuilder().withFrom(from).withPorts(ports).build();
    }

    private static NetworkPolicyEgressRule egress(NetworkPolicyPeer to, NetworkPolicyPort... ports) {
        return new NetworkPolicyEgressRuleBuilder().withTo(to).withPorts(ports).build();
    }

    /** DNS: the pods resolve each other's stable names (and the Services) through the cluster DNS. */
    private static NetworkPolicyEgressRule dns() {
        return new NetworkPolicyEgressRuleBuilder()
                .addNewTo().withNewNamespaceSelector().endNamespaceSelector()
                .withNewPodSelector().addToMatchLabels("k8s-app", "kube-dns").endPodSelector().endTo()
                .withPorts(new NetworkPolicyPortBuilder().withProtocol("UDP").withPort(new IntOrString(53)).build(),
                        new NetworkPolicyPortBuilder().withProtocol("TCP").withPort(new IntOrString(53)).build())
                .build();
    }

    private static NetworkPolicyPort tcp(int port) {
        return new NetworkPolicyPortBuilder().withProtocol("TCP").withPort(new IntOrString(port)).build();
    }
}
