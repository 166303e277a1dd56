package dev.redisgen.render;

import dev.redisgen.plan.ContainerPlan;
import dev.redisgen.plan.Planner;
import dev.redisgen.plan.RedisPlan;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.ArrayList;
import java.util.List;

/** The standalone cache's Deployment and the write-endpoint proxy's Deployment. */
final class DeploymentRenderer {
    private DeploymentRenderer() {
    }

    static List<HasMetadata> render(RedisPlan d, String namespace) {
        List<HasMetadata> out = new ArrayList<>();
        if (d.isStandalone()) {
            out.add(standalone(d, namespace));
            if (d.persistence() != null) {
                out.add(new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder(StatefulSetRenderer.claim(d.names().dataClaim(),
                        d.persistence().size().toString(), d.persistence().storageClass()))
                        .editMetadata().withNamespace(namespace).withLabels(Labels.of(d, "redis")).endMetadata()
                        .build());
            }
        }
        if (d.proxy() != null) {
            out.add(proxy(d, namespace));
        }
        return out;
    }

    private static HasMetadata standalone(RedisPlan d, String namespace) {
        return new DeploymentBuilder()
                .withNewMetadata().withName(d.names().statefulSet()).withNamespace(namespace).withLabels(Labels.of(d, "redis")).endMetadata()
                .withNewSpec()
                .withReplicas(d.redisReplicas())
                // Recreate: two caches side by side during a rollout would each hold half the writes.
                .withNewStrategy().withType("Recreate").endStrategy()
                .withNewSelector().withMatchLabels(Labels.selector(d, "redis")).endSelector()
                .withNewTemplate()
                .withNewMetadata().withLabels(Labels.of(d, "redis")).endMetadata()
                .withSpec(StatefulSetRenderer.redisPodSpec(d, namespace))
                .endTemplate()
                .endSpec()
                .build();
    }

    /**
     * HAProxy in front of the Redis pods for clients that are not Sentinel-aware: port 6379 reaches only
     * the pod that reports role:master and that a Sentinel majority names master; 6380 reaches replicas.
     */
    private static HasMetadata proxy(RedisPlan d, String namespace) {
        ContainerPlan c = d.pod(d.names().proxy()).containers().get(0);
        var timing = new dev.redisgen.profile.ProbesSpec.Probe(5, 10, 5, 3);
        boolean tls = d.tls() != null;
        List<String> command = tls ? List.of("sh", "-c", dev.redisgen.conf.HaproxyConf.TLS_START)
                : List.of("haproxy", "-W", "-db", "-f", Pods.CONFIG_DIR + "/haproxy.cfg");
        List<io.fabric8.kubernetes.api.model.VolumeMount> mounts = new ArrayList<>(List.of(Pods.mount("config", Pods.CONFIG_DIR, true),
                Pods.mount("tmp", Pods.TMP_DIR, false)));
        List<io.fabric8.kubernetes.api.model.Volume> volumes = new ArrayList<>(List.of(Pods.configMapVolume("config", d.names().proxyConfig(), 0444),
                Pods.emptyDir("tmp", "16Mi")));
        if (tls) {
            mounts.add(Pods.tlsMount());
            volumes.add(Pods.tlsVolume(d));
        }
        return new DeploymentBuilder()
                .withNewMetadata().withName(d.names().proxy()).withNamespace(namespace).withLabels(Labels.of(d, "proxy")).endMetadata()
                .withNewSpec()
                .withReplicas(d.proxy().replicas())
                .withNewStrategy().withType("RollingUpdate")
                .withNewRollingUpdate().withMaxSurge(new IntOrString(1)).withMaxUnavailable(new IntOrString(0)).endRollingUpdate()
                .endStrategy()
                .withNewSelector().withMatchLabels(Labels.selector(d, "proxy")).endSelector()
                .withNewTemplate()
                .withNewMetadata().withLabels(Labels.of(d, "proxy")).endMetadata()
                .withNewSpec()
                .withContainers(new ContainerBuilder(Pods.container(c))
                        .withCommand(command)
                        .withEnv(Pods.proxyEnv(d))
                        .addNewPort().withName(Ports.WRITE).withContainerPort(Planner.REDIS_PORT).withProtocol("TCP").endPort()
                        .addNewPort().withName(Ports.READ).withContainerPort(Planner.PROXY_READ_PORT).withProtocol("TCP").endPort()
                        .addAllToPorts(plainPorts(d))
                        .withVolumeMounts(mounts)
                        .withLivenessProbe(Pods.tcpProbe(Ports.WRITE, timing))
                        .withReadinessProbe(Pods.tcpProbe(Ports.READ, timing))
                        .build())
                .withVolumes(volumes)
                .withTerminationGracePeriodSeconds(30L)
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    /** tls.plainPort kept: the proxy's plain-text binds. */
    private static List<io.fabric8.kubernetes.api.model.ContainerPort> plainPorts(RedisPlan d) {
        if (!ConfigMapRenderer.keepsPlain(d)) {
            return List.of();
        }
        return List.of(new io.fabric8.kubernetes.api.model.ContainerPortBuilder().withName(Ports.WRITE_PLAIN)
                        .withContainerPort(Planner.PROXY_PLAIN_WRITE_PORT).withProtocol("TCP").build(),
                new io.fabric8.kubernetes.api.model.ContainerPortBuilder().withName(Ports.READ_PLAIN)
                        .withContainerPort(Planner.PROXY_PLAIN_READ_PORT).withProtocol("TCP").build());
    }
}
