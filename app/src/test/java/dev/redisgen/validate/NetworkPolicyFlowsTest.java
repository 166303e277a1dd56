package dev.redisgen.validate;

import static dev.redisgen.validate.Rendered.nonNull;
import static org.assertj.core.api.Assertions.assertThat;

import dev.redisgen.pipeline.Pipeline;
import dev.redisgen.plan.Plan;
import dev.redisgen.plan.Planner;
import dev.redisgen.plan.RedisPlan;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The NetworkPolicies allow exactly the flows each topology needs, and nothing else. The flows are derived from the plan
 * (topology, Sentinel placement, proxy, Jobs, exporter, the clients the profile names), independently of the renderer;
 * the rendered policies are then evaluated with the NetworkPolicy semantics (a pod selected by a policy of a type is
 * isolated in that direction; a connection needs the destination's ingress and the source's egress) over every pair of
 * endpoints (each rendered pod template, client pods and address ranges, Prometheus, the cluster DNS, a stranger pod in
 * the profile's namespace and in another, an address outside every range) and every port any of them listens on.
 */
class NetworkPolicyFlowsTest {
    static final List<String> PROFILES = List.of("jewelry-shop", "gateway-ha", "airflow", "analytics-cluster",
            "app/src/test/resources/profiles/valid/scheduling-and-exposure.yaml",
            "app/src/test/resources/profiles/valid/network-policy-clients.yaml", "app/src/test/resources/profiles/valid/tls.yaml",
            "app/src/test/resources/profiles/valid/tls-plain-port.yaml"); // plain text kept on 6390: the proxy binds it too
    static final String NAME = "kubernetes.io/metadata.name";

    /** A pod (namespace and labels) or an address outside the cluster; {@code group} is "deployment/component" for ours. */
    record Endpoint(String name, String namespace, Map<String, String> labels, String ip, String group) {
        boolean isPod() {
            return ip == null;
        }

        String deployment() {
            return group == null ? null : group.substring(0, group.indexOf('/'));
        }
    }

    record Port(String protocol, int number) implements Comparable<Port> {
        @Override
        public int compareTo(Port o) {
            return toString().compareTo(o.toString());
        }

        @Override
        public String toString() {
            return protocol + "/" + number;
        }
    }

    static Port tcp(int port) {
        return new Port("TCP", port);
    }

    @ParameterizedTest
    @FieldSource("PROFILES")
    void policiesAllowExactlyTheFlowsTheTopologyNeeds(String profile) {
        Plan plan = Pipeline.render(profile).plan();
        List<NetworkPolicy> policies = Rendered.of(profile, NetworkPolicy.class);
        List<Endpoint> endpoints = endpoints(profile, plan);
        Set<Port> ports = new TreeSet<>(List.of(tcp(22), tcp(53), new Port("UDP", 53), tcp(Planner.PROXY_READ_PORT)));
        for (Rendered.Workload w : Rendered.workloads(profile)) {
            for (Container c : w.allContainers()) {
                nonNull(c.getPorts()).forEach(p -> ports.add(new Port(p.getProtocol() == null ? "TCP" : p.getProtocol(), p.getContainerPort())));
            }
        }
        Set<String> expected = expected(plan, endpoints);
        Set<String> allowed = new TreeSet<>();
        for (Endpoint src : endpoints) {
            for (Endpoint dst : endpoints) {
                // Only what redisgen's policies govern: a flow from or to a pod of a deployment that has them.
                if (!governed(plan, src) && !governed(plan, dst)) {
                    continue;
                }
                for (Port port : ports) {
                    if (ingress(policies, src, dst, port) && egress(policies, src, dst, port)) {
                        allowed.add(flow(src, dst, port));
                    }
                }
            }
        }
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(allowed);
        Set<String> extra = new TreeSet<>(allowed);
        extra.removeAll(expected);
        assertThat(missing).as(profile + ": flows the topology needs that the policies deny").isEmpty();
        assertThat(extra).as(profile + ": flows the policies allow that the topology does not need").isEmpty();
        assertThat(expected).as(profile + ": the check saw flows at all").isNotEmpty();
    }

    @Test
    void aDeploymentWithThePolicySwitchedOffGetsNoneAndTheDenyAllIsAppliedLast() {
        assertThat(Rendered.of("app/src/test/resources/profiles/valid/network-policy-clients.yaml", NetworkPolicy.class))
                .extracting(np -> np.getMetadata().getName())
                .containsExactly("redis-backup", "redis-proxy", "redis-redis", "redis-deny-all");
    }

    // ---- the endpoints and the flows the plan needs ----------------------------------------------------------------

    static List<Endpoint> endpoints(String profile, Plan plan) {
        String ns = plan.namespace().name();
        List<Endpoint> out = new ArrayList<>();
        for (Rendered.Workload w : Rendered.workloads(profile)) {
            String instance = w.labels().get("app.kubernetes.io/instance");
            out.add(new Endpoint(w.id(), w.namespace(), w.labels(), null, instance + "/" + w.labels().get("app.kubernetes.io/component")));
        }
        // `redisgen restore` renders a Redis Cluster's restore Job later, into the same namespace and under the same policies.
        for (RedisPlan d : plan.deployments()) {
            if (d.isCluster() && d.backup() != null) {
                var job = (io.fabric8.kubernetes.api.model.batch.v1.Job) Pipeline.restore(
                        dev.redisgen.profile.ProfileLoader.resolve(profile), d.name(), "latest", false).get(0);
                Map<String, String> labels = job.getSpec().getTemplate().getMetadata().getLabels();
                out.add(new Endpoint("Job " + job.getMetadata().getName() + " (redisgen restore)", job.getMetadata().getNamespace(), labels, null,
                        labels.get("app.kubernetes.io/instance") + "/" + labels.get("app.kubernetes.io/component")));
            }
        }
        Set<String> namespaces = new TreeSet<>(List.of(ns, "elsewhere"));
        Set<String> cidrs = new TreeSet<>();
        for (RedisPlan d : plan.deployments()) {
            if (d.networkPolicy() == null) {
                continue;
            }
            namespaces.addAll(d.networkPolicy().allowNamespaces());
            namespaces.addAll(d.networkPolicy().metricsNamespaces());
            for (var pods : d.networkPolicy().allowPods()) {
                String in = pods.namespace() == null ? ns : pods.namespace();
                namespaces.add(in);
                out.add(new Endpoint("pod " + pods.labels() + " in " + in, in, pods.labels(), null, null));
            }
            cidrs.addAll(d.networkPolicy().allowCidrs());
        }
        for (String n : namespaces) {
            out.add(new Endpoint("stranger in " + n, n, Map.of("app", "stranger"), null, null));
        }
        out.add(new Endpoint("cluster DNS", "kube-system", Map.of("k8s-app", "kube-dns"), null, null));
        for (String cidr : cidrs) {
            out.add(new Endpoint("address " + cidr.substring(0, cidr.indexOf('/')), null, Map.of(), cidr.substring(0, cidr.indexOf('/')), null));
        }
        out.add(new Endpoint("address 203.0.113.7", null, Map.of(), "203.0.113.7", null));
        out.add(new Endpoint("address 2001:db9::7", null, Map.of(), "2001:db9::7", null));
        return out;
    }

    static boolean governed(Plan plan, Endpoint e) {
        return e.group() != null && plan.deployments().stream().anyMatch(d -> d.name().equals(e.deployment()) && d.networkPolicy() != null);
    }

    /** Every flow the plan's topology needs, as "source -> destination port". */
    static Set<String> expected(Plan plan, List<Endpoint> endpoints) {
        Set<String> out = new TreeSet<>();
        for (RedisPlan d : plan.deployments()) {
            var np = d.networkPolicy();
            if (np == null) {
                continue;
            }
            String redis = d.name() + "/redis";
            String sentinel = d.sentinel() == null ? null : d.sentinel().separate() ? d.name() + "/sentinel" : redis;
            String proxy = d.proxy() == null ? null : d.name() + "/proxy";
            String create = d.isCluster() ? d.name() + "/create-cluster" : null;
            String backup = d.backup() == null ? null : d.name() + "/backup";
            String restore = d.isCluster() && d.backup() != null ? d.name() + "/restore" : null;
            List<String[]> needs = new ArrayList<>(); // {source group, destination group, port}
            needs.add(new String[] {redis, redis, "TCP/6379"}); // replication, the pod scripts
            if (sentinel != null) {
                needs.add(new String[] {sentinel, redis, "TCP/6379"}); // Sentinel monitors Redis
                needs.add(new String[] {sentinel, sentinel, "TCP/26379"}); // Sentinels agree
                needs.add(new String[] {redis, sentinel, "TCP/26379"}); // the pods ask who is master
            }
            if (d.isCluster()) {
                needs.add(new String[] {redis, redis, "TCP/16379"}); // the cluster bus, between cluster pods only
                needs.add(new String[] {create, redis, "TCP/6379"});
                if (restore != null) {
                    needs.add(new String[] {restore, redis, "TCP/6379"}); // MIGRATE from the Job's own redis-server
                }
            }
            if (proxy != null) {
                needs.add(new String[] {proxy, redis, "TCP/6379"});
                needs.add(new String[] {proxy, sentinel, "TCP/26379"});
            }
            if (backup != null) {
                needs.add(new String[] {backup, redis, "TCP/6379"});
                if (sentinel != null) {
                    needs.add(new String[] {backup, sentinel, "TCP/26379"});
                }
            }
            for (Endpoint src : endpoints) {
                for (Endpoint dst : endpoints) {
                    if (governed(plan, src) && governed(plan, dst)) {
                        for (String[] n : needs) {
                            if (n[0].equals(src.group()) && n[1].equals(dst.group())) {
                                out.add(src.name() + " -> " + dst.name() + " " + n[2]);
                            }
                        }
                    }
                }
                if (src.group() != null && src.deployment().equals(d.name())) {
                    out.add(src.name() + " -> cluster DNS UDP/53");
                    out.add(src.name() + " -> cluster DNS TCP/53");
                }
                if (governed(plan, src)) {
                    continue; // the pods of a deployment with policies reach only their own deployment's pods
                }
                boolean client = src.isPod()
                        ? np.allowNamespaces().contains(src.namespace()) || np.allowPods().stream().anyMatch(p ->
                        Objects.equals(p.namespace() == null ? plan.namespace().name() : p.namespace(), src.namespace())
                        && src.labels().entrySet().containsAll(p.labels().entrySet()))
                        : np.allowCidrs().stream().anyMatch(c -> inCidr(src.ip(), c));
                boolean scraper = src.isPod() && d.exporter() != null && np.metricsNamespaces().contains(src.namespace());
                for (Endpoint dst : endpoints) {
                    if (dst.group() == null || !dst.deployment().equals(d.name())) {
                        continue;
                    }
                    List<String> to = new ArrayList<>();
                    boolean plain = d.tls() != null && d.tls().keepsPlainText();
                    if (client && dst.group().equals(redis)) {
                        to.add("TCP/6379"); // Sentinel-aware, cluster and standalone clients
                        if (plain) {
                            to.add("TCP/" + d.tls().plainPort()); // tls.plainPort: plain text kept while clients move
                        }
                    }
                    if (client && dst.group().equals(sentinel)) {
                        to.add("TCP/26379");
                    }
                    if (client && dst.group().equals(proxy)) {
                        to.addAll(List.of("TCP/6379", "TCP/" + Planner.PROXY_READ_PORT));
                        if (plain) {
                            to.addAll(List.of("TCP/" + Planner.PROXY_PLAIN_WRITE_PORT, "TCP/" + Planner.PROXY_PLAIN_READ_PORT));
                        }
                    }
                    if (scraper && dst.group().equals(redis)) {
                        to.add("TCP/" + d.exporter().port());
                    }
                    if (scraper && dst.group().equals(sentinel)) {
                        to.add("TCP/" + d.exporter().sentinelPort());
                    }
                    to.forEach(port -> out.add(src.name() + " -> " + dst.name() + " " + port));
                }
            }
        }
        return out;
    }

    static String flow(Endpoint src, Endpoint dst, Port port) {
        return src.name() + " -> " + dst.name() + " " + port;
    }

    // ---- NetworkPolicy semantics ---------------------------------------------------------------------------------

    static boolean ingress(List<NetworkPolicy> policies, Endpoint src, Endpoint dst, Port port) {
        if (!dst.isPod()) {
            return true; // an address outside the cluster has no NetworkPolicy
        }
        List<NetworkPolicy> selecting = selecting(policies, dst, "Ingress");
        return selecting.isEmpty() || selecting.stream().flatMap(np -> nonNull(np.getSpec().getIngress()).stream())
                .anyMatch(r -> matchesPeers(r.getFrom(), src, policyNamespace(selecting, r)) && matchesPorts(r.getPorts(), port));
    }

    static boolean egress(List<NetworkPolicy> policies, Endpoint src, Endpoint dst, Port port) {
        if (!src.isPod()) {
            return true;
        }
        List<NetworkPolicy> selecting = selecting(policies, src, "Egress");
        return selecting.isEmpty() || selecting.stream().flatMap(np -> nonNull(np.getSpec().getEgress()).stream())
                .anyMatch(r -> matchesPeers(r.getTo(), dst, policyNamespace(selecting, r)) && matchesPorts(r.getPorts(), port));
    }

    /** The namespace of the policy a rule belongs to (a podSelector-only peer means that namespace). */
    static String policyNamespace(List<NetworkPolicy> policies, Object rule) {
        return policies.stream().filter(np -> nonNull(np.getSpec().getIngress()).contains(rule) || nonNull(np.getSpec().getEgress()).contains(rule))
                .map(np -> np.getMetadata().getNamespace()).findFirst().orElseThrow();
    }

    static List<NetworkPolicy> selecting(List<NetworkPolicy> policies, Endpoint pod, String type) {
        return policies.stream().filter(np -> Objects.equals(np.getMetadata().getNamespace(), pod.namespace())
                && BestPracticesTest.policyTypes(np).contains(type) && matches(np.getSpec().getPodSelector(), pod.labels())).toList();
    }

    static boolean matchesPeers(List<NetworkPolicyPeer> peers, Endpoint e, String policyNamespace) {
        if (peers == null || peers.isEmpty()) {
            return true;
        }
        for (NetworkPolicyPeer p : peers) {
            if (p.getIpBlock() != null) {
                if (!e.isPod() && inCidr(e.ip(), p.getIpBlock().getCidr())
                        && nonNull(p.getIpBlock().getExcept()).stream().noneMatch(x -> inCidr(e.ip(), x))) {
                    return true;
                }
                continue;
            }
            if (!e.isPod()) {
                continue;
            }
            boolean namespaceOk = p.getNamespaceSelector() == null
                    ? Objects.equals(e.namespace(), policyNamespace)
                    : matches(p.getNamespaceSelector(), Map.of(NAME, e.namespace()));
            boolean podOk = p.getPodSelector() == null || matches(p.getPodSelector(), e.labels());
            if (namespaceOk && podOk) {
                return true;
            }
        }
        return false;
    }

    static boolean matchesPorts(List<NetworkPolicyPort> ports, Port port) {
        if (ports == null || ports.isEmpty()) {
            return true;
        }
        return ports.stream().anyMatch(p -> (p.getProtocol() == null ? "TCP" : p.getProtocol()).equals(port.protocol())
                && (p.getPort() == null || Objects.equals(p.getPort().getIntVal(), port.number())));
    }

    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return true;
        }
        if (!labels.entrySet().containsAll(nonNull(selector.getMatchLabels()).entrySet())) {
            return false;
        }
        for (LabelSelectorRequirement r : nonNull(selector.getMatchExpressions())) {
            String v = labels.get(r.getKey());
            boolean ok = switch (r.getOperator()) {
                case "In" -> v != null && r.getValues().contains(v);
                case "NotIn" -> v == null || !r.getValues().contains(v);
                case "Exists" -> v != null;
                case "DoesNotExist" -> v == null;
                default -> throw new IllegalArgumentException(r.getOperator());
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    static boolean inCidr(String ip, String cidr) {
        try {
            byte[] a = InetAddress.getByName(ip).getAddress();
            byte[] net = InetAddress.getByName(cidr.substring(0, cidr.indexOf('/'))).getAddress();
            int bits = Integer.parseInt(cidr.substring(cidr.indexOf('/') + 1));
            if (a.length != net.length) {
                return false;
            }
            BigInteger mask = BigInteger.ONE.shiftLeft(a.length * 8).subtract(BigInteger.ONE)
                    .xor(BigInteger.ONE.shiftLeft(a.length * 8 - bits).subtract(BigInteger.ONE));
            return new BigInteger(1, a).and(mask).equals(new BigInteger(1, net).and(mask));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static Map<String, String> sorted(Map<String, String> m) {
        return new TreeMap<>(m);
    }
}
