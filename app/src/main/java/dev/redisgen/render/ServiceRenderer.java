package dev.redisgen.render;

import dev.redisgen.plan.Planner;
import dev.redisgen.plan.RedisPlan;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Services. No Service selects every Redis pod of a Sentinel deployment on the data port: writes through
 * such a Service land on replicas (READONLY errors, SPEC "Client routing"). Plain clients get the proxy.
 */
final class ServiceRenderer {
    private ServiceRenderer() {
    }

    static List<HasMetadata> render(RedisPlan d, String namespace) {
        List<HasMetadata> out = new ArrayList<>();
        var n = d.names();
        if (!d.isStandalone()) {
            List<ServicePort> ports = new ArrayList<>();
            ports.add(port(Ports.REDIS, Planner.REDIS_PORT, Ports.REDIS));
            ports.addAll(plain(d));
            if (d.coLocatedSentinel()) {
                ports.add(port(Ports.SENTINEL, Planner.SENTINEL_PORT, Ports.SENTINEL));
            }
            if (d.isCluster()) {
                ports.add(port(Ports.BUS, Planner.CLUSTER_BUS_PORT, Ports.BUS));
            }
            // publishNotReadyAddresses: a pod's DNS name exists as soon as it has an IP, so Sentinels and
            // replicas can resolve each other during bootstrap (the seed 001/002 DNS crash-loop).
            out.add(headless(d, namespace, n.headless(), "redis", ports));
        }
        if (d.sentinel() != null && d.sentinel().separate()) {
            out.add(headless(d, namespace, n.sentinelHeadless(), "sentinel",
                    List.of(port(Ports.SENTINEL, Planner.SENTINEL_PORT, Ports.SENTINEL))));
        }
        if (d.sentinel() != null) {
            String component = d.sentinel().separate() ? "sentinel" : "redis";
            out.add(clusterIp(d, namespace, n.sentinel(), "sentinel", Labels.selector(d, component),
                    List.of(port(Ports.SENTINEL, Planner.SENTINEL_PORT, Ports.SENTINEL))));
        }
        if (d.proxy() != null) {
            // tls.plainPort kept: the same port as on the Redis pods' Services, to the proxy's plain-text binds.
            boolean plain = ConfigMapRenderer.keepsPlain(d);
            List<ServicePort> write = new ArrayList<>(List.of(port(Ports.REDIS, Planner.REDIS_PORT, Ports.WRITE)));
            List<ServicePort> read = new ArrayList<>(List.of(port(Ports.REDIS, Planner.REDIS_PORT, Ports.READ)));
            if (plain) {
                write.add(port(Ports.REDIS_PLAIN, d.tls().plainPort(), Ports.WRITE_PLAIN));
                read.add(port(Ports.REDIS_PLAIN, d.tls().plainPort(), Ports.READ_PLAIN));
            }
            out.add(client(d, namespace, n.write(), "write", Labels.selector(d, "proxy"), write));
            out.add(client(d, namespace, n.readOnly(), "read-only", Labels.selector(d, "proxy"), read));
        }
        if (d.isCluster() || d.isStandalone()) {
            // Cluster clients follow MOVED redirects from any node; the standalone cache is one pod.
            List<ServicePort> ports = new ArrayList<>(List.of(port(Ports.REDIS, Planner.REDIS_PORT, Ports.REDIS)));
            ports.addAll(plain(d));
            out.add(client(d, namespace, n.write(), "client", Labels.selector(d, "redis"), ports));
        }
        if (d.isCluster() && d.cluster().perPodServices()) {
            for (int i = 0; i < d.redisReplicas(); i++) {
                String pod = n.podName(i);
                out.add(new ServiceBuilder()
                        .withNewMetadata().withName(pod).withNamespace(namespace).withLabels(Labels.of(d, "node")).endMetadata()
                        .withNewSpec().withType("ClusterIP")
                        .withSelector(Map.of("statefulset.kubernetes.io/pod-name", pod))
                        .withPorts(port(Ports.REDIS, Planner.REDIS_PORT, Ports.REDIS), port(Ports.BUS, Planner.CLUSTER_BUS_PORT, Ports.BUS))
                        .addAllToPorts(plain(d))
                        .endSpec().build());
            }
        }
        if (d.exporter() != null) {
            List<ServicePort> ports = new ArrayList<>();
            ports.add(port(Ports.METRICS, d.exporter().port(), Ports.METRICS));
            if (d.sentinel() != null) {
                ports.add(port(Ports.SENTINEL_METRICS, d.exporter().sentinelPort(), Ports.SENTINEL_METRICS));
            }
            out.add(new ServiceBuilder()
                    .withNewMetadata().withName(n.metrics()).withNamespace(namespace).withLabels(Labels.of(d, "metrics")).endMetadata()
                    .withNewSpec().withClusterIP("None").withSelector(Labels.metricsSelector(d)).withPorts(ports).endSpec()
                    .build());
        }
        List<String> names = out.stream().map(o -> o.getMetadata().getName()).toList();
        if (!names.equals(d.serviceNames())) {
            // The quota rule counted d.serviceNames() before rendering; a renderer that disagrees would make it lie.
            throw new IllegalStateException("rendered Services " + names + " are not the planned " + d.serviceNames());
        }
        if (d.serviceOptions().labels().isEmpty()) {
            return out;
        }
        List<HasMetadata> labelled = new ArrayList<>(out.size());
        for (HasMetadata svc : out) {
            labelled.add(new ServiceBuilder((Service) svc).editMetadata().addToLabels(d.serviceOptions().labels()).endMetadata().build());
        }
        return labelled;
    }

    /**
     * A Service plain clients connect to: the profile's type (ClusterIP unless exposed as NodePort or
     * LoadBalancer) and annotations (a cloud load balancer's settings).
     */
    private static HasMetadata client(RedisPlan d, String namespace, String name, String component,
                                      Map<String, String> selector, List<ServicePort> ports) {
        var options = d.serviceOptions();
        Service svc = (Service) clusterIp(d, namespace, name, component, selector, ports);
        var b = new ServiceBuilder(svc).editSpec().withType(options.type().kubernetesName()).endSpec();
        if (!options.annotations().isEmpty()) {
            b.editMetadata().withAnnotations(new TreeMap<>(options.annotations())).endMetadata();
        }
        return b.build();
    }

    private static HasMetadata headless(RedisPlan d, String namespace, String name, String component, List<ServicePort> ports) {
        return new ServiceBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).withLabels(Labels.of(d, component)).endMetadata()
                .withNewSpec()
                .withClusterIP("None")
                .withPublishNotReadyAddresses(true)
                .withSelector(Labels.selector(d, component))
                .withPorts(ports)
                .endSpec()
                .build();
    }

    private static HasMetadata clusterIp(RedisPlan d, String namespace, String name, String component,
                                         Map<String, String> selector, List<ServicePort> ports) {
        return new ServiceBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).withLabels(Labels.of(d, component)).endMetadata()
                .withNewSpec().withType("ClusterIP").withSelector(selector).withPorts(ports).endSpec()
                .build();
    }

    /** The plain-text port kept beside TLS (tls.plainPort) on a Service of the Redis pods, if the profile keeps one. */
    private static List<ServicePort> plain(RedisPlan d) {
        return d.tls() != null && d.tls().keepsPlainText() ? List.of(port(Ports.REDIS_PLAIN, d.tls().plainPort(), Ports.REDIS_PLAIN)) : List.of();
    }

    static ServicePort port(String name, int port, String targetPort) {
        return new ServicePortBuilder().withName(name).withPort(port).withTargetPort(new IntOrString(targetPort)).withProtocol("TCP").build();
    }
}
