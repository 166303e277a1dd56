package dev.redisgen.render;

import dev.redisgen.plan.ContainerPlan;
import dev.redisgen.plan.Planner;
import dev.redisgen.plan.PodPlan;
import dev.redisgen.plan.RedisPlan;
import dev.redisgen.plan.Role;
import dev.redisgen.profile.VolumeSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The Redis StatefulSet (Sentinel and Cluster topologies) and the separate Sentinel StatefulSet. */
final class StatefulSetRenderer {
    /**
     * preStop hands the master over within this (Sentinel and Cluster alike); PRESTOP_WAIT_SECONDS (40) plus margin. A
     * Sentinel pod's preStop waits for a failover in progress within it too (SENTINEL_PRESTOP_WAIT_SECONDS, 50).
     */
    static final long PRESTOP_GRACE_SECONDS = 60;

    private StatefulSetRenderer() {
    }

    static List<HasMetadata> render(RedisPlan d, String namespace) {
        List<HasMetadata> out = new ArrayList<>();
        if (d.isStandalone()) {
            return out;
        }
        out.add(redis(d, namespace));
        if (d.sentinel() != null && d.sentinel().separate()) {
            out.add(sentinel(d, namespace));
        }
        return out;
    }

    /** Pod spec of the Redis pods, shared with the standalone Deployment. */
    static PodSpec redisPodSpec(RedisPlan d, String namespace) {
        PodPlan pod = d.pod(d.names().statefulSet());
        boolean persistent = d.persistence() != null;
        boolean sentinelClaim = d.coLocatedSentinel() && !persistent;
        List<Container> init = new ArrayList<>();
        List<Container> containers = new ArrayList<>();
        for (ContainerPlan c : pod.initContainers()) {
            init.add(new ContainerBuilder(Pods.container(c))
                    .withCommand(Pods.sh("init.sh"))
                    .withEnv(Pods.topologyEnv(d))
                    .withVolumeMounts(mounts(d, true, sentinelClaim))
                    .build());
        }
        for (ContainerPlan c : pod.containers()) {
            switch (c.role()) {
                case REDIS -> containers.add(redisContainer(d, c, namespace, sentinelClaim));
                case SENTINEL -> containers.add(sentinelContainer(d, c, namespace, sentinelClaim));
                case EXPORTER -> containers.add(Pods.exporter(d, c, false));
                case SENTINEL_EXPORTER -> containers.add(Pods.exporter(d, c, true));
                default -> throw new IllegalStateException("unexpected container role " + c.role());
            }
        }
        List<Volume> volumes = new ArrayList<>();
        volumes.add(Pods.configMapVolume("config", d.names().config(), 0444));
        volumes.add(Pods.configMapVolume("scripts", d.names().scripts(), 0555));
        volumes.add(Pods.emptyDir("run", "16Mi"));
        volumes.add(Pods.emptyDir("tmp", "64Mi"));
        if (!persistent) {
            volumes.add(Pods.emptyDir("data", "1Gi"));
        } else if (d.isStandalone()) {
            // A Deployment has no claim templates: its one pod mounts a PVC of its own (DeploymentRenderer).
            volumes.add(new io.fabric8.kubernetes.api.model.VolumeBuilder().withName("data")
                    .withNewPersistentVolumeClaim().withClaimName(d.names().dataClaim()).endPersistentVolumeClaim().build());
        }
        if (d.tls() != null) {
            volumes.add(Pods.tlsVolume(d));
        }
        return new PodSpecBuilder()
                .withInitContainers(init)
                .withContainers(containers)
                .withVolumes(volumes)
                .withTerminationGracePeriodSeconds(d.isSentinel() || d.isCluster() ? PRESTOP_GRACE_SECONDS : 30L)
                .build();
    }

    private static List<VolumeMount> mounts(RedisPlan d, boolean data, boolean sentinelClaim) {
        List<VolumeMount> m = new ArrayList<>();
        m.add(Pods.mount("config", Pods.CONFIG_DIR, true));
        m.add(Pods.mount("scripts", Pods.SCRIPTS_DIR, true));
        if (data) {
            m.add(Pods.mount("data", Pods.DATA_DIR, false));
        }
        if (sentinelClaim) {
            // No Redis persistence, but Sentinel's kept config must survive restarts (last known master).
            m.add(Pods.mount("sentinel-data", Pods.DATA_DIR + "/sentinel", false));
        }
        m.add(Pods.mount("run", Pods.RUN_DIR, false));
        m.add(Pods.mount("tmp", Pods.TMP_DIR, false));
        if (d.tls() != null) {
            m.add(Pods.tlsMount());
        }
        return m;
    }

    private static Container redisContainer(RedisPlan d, ContainerPlan c, String namespace, boolean sentinelClaim) {
        ContainerBuilder b = new ContainerBuilder(Pods.container(c))
                .withCommand(Pods.sh(d.isCluster() ? "cluster-start.sh" : d.isStandalone() ? "standalone-start.sh" : "redis-start.sh"))
                .withEnv(Pods.redisEnv(d))
                .addNewPort().withName(Ports.REDIS).withContainerPort(Planner.REDIS_PORT).withProtocol("TCP").endPort()
                .withVolumeMounts(mounts(d, true, sentinelClaim))
                .withLivenessProbe(Pods.tcpProbe(Ports.REDIS, d.probes().liveness()))
                .withReadinessProbe(Pods.execProbe(Pods.sh("readiness.sh"), d.probes().readiness()));
        if (d.tls() != null && d.tls().keepsPlainText()) {
            b.addNewPort().withName(Ports.REDIS_PLAIN).withContainerPort(d.tls().plainPort()).withProtocol("TCP").endPort();
        }
        if (d.isCluster()) {
            b.addNewPort().withName(Ports.BUS).withContainerPort(Planner.CLUSTER_BUS_PORT).withProtocol("TCP").endPort();
            // Ready: this node's slots are served (cluster_state:ok, known to the others); alive: not out of the
            // cluster for longer than a bound, never while loading or waiting for a failover (issue 8).
            b.withLivenessProbe(Pods.execProbe(Pods.sh("cluster-liveness.sh"), d.probes().liveness()))
                    .withReadinessProbe(Pods.execProbe(Pods.sh("cluster-readiness.sh"), d.probes().readiness()))
                    // A master hands its slots to its replica before it stops (CLUSTER FAILOVER from the replica).
                    .withNewLifecycle().withNewPreStop().withNewExec().withCommand(Pods.sh("cluster-prestop.sh")).endExec().endPreStop().endLifecycle();
        }
        if (d.isSentinel()) {
            // A master about to stop asks Sentinel to fail over first (SPEC "Bootstrapping").
            b.withNewLifecycle().withNewPreStop().withNewExec().withCommand(Pods.sh("prestop.sh")).endExec().endPreStop().endLifecycle();
        }
        return b.build();
    }

    private static Container sentinelContainer(RedisPlan d, ContainerPlan c, String namespace, boolean sentinelClaim) {
        return new ContainerBuilder(Pods.container(c))
                .withCommand(Pods.sh("sentinel-start.sh"))
                .withEnv(Pods.sentinelEnv(d))
                .addNewPort().withName(Ports.SENTINEL).withContainerPort(Planner.SENTINEL_PORT).withProtocol("TCP").endPort()
                .withVolumeMounts(mounts(d, true, sentinelClaim))
                .withLivenessProbe(Pods.tcpProbe(Ports.SENTINEL, d.probes().liveness()))
                .withReadinessProbe(Pods.execProbe(Pods.sh("sentinel-readiness.sh"), d.probes().readiness()))
                // A Sentinel stopped in the middle of a failover it runs forgets it: it stops once the failover is done.
                .withNewLifecycle().withNewPreStop().withNewExec().withCommand(Pods.sh("sentinel-prestop.sh")).endExec().endPreStop().endLifecycle()
                .build();
    }

    private static HasMetadata redis(RedisPlan d, String namespace) {
        List<PersistentVolumeClaim> claims = new ArrayList<>();
        if (d.persistence() != null) {
            claims.add(claim("data", d.persistence().size().toString(), d.persistence().storageClass()));
        } else if (d.coLocatedSentinel()) {
            claims.add(claim("sentinel-data", d.sentinel().storage().size().toString(), d.sentinel().storage().storageClass()));
        }
        return new StatefulSetBuilder()
                .withNewMetadata().withName(d.names().statefulSet()).withNamespace(namespace).withLabels(Labels.of(d, "redis")).endMetadata()
                .withNewSpec()
                .withServiceName(d.names().headless())
                .withReplicas(d.redisReplicas())
                // Parallel: on a whole-cluster restart every pod must start so the Sentinels (or the cluster
                // bus) can find the master; OrderedReady would wait on pod 0 forever if it is not the master.
                .withPodManagementPolicy("Parallel")
                .withNewUpdateStrategy().withType("RollingUpdate").endUpdateStrategy()
                .withNewPersistentVolumeClaimRetentionPolicy().withWhenDeleted("Retain").withWhenScaled("Retain").endPersistentVolumeClaimRetentionPolicy()
                .withNewSelector().withMatchLabels(Labels.selector(d, "redis")).endSelector()
                .withNewTemplate()
                .withNewMetadata().withLabels(Labels.of(d, "redis")).endMetadata()
                .withSpec(redisPodSpec(d, namespace))
                .endTemplate()
                .withVolumeClaimTemplates(claims)
                .endSpec()
                .build();
    }

    private static HasMetadata sentinel(RedisPlan d, String namespace) {
        PodPlan pod = d.pod(d.names().sentinelStatefulSet());
        List<Container> init = new ArrayList<>();
        List<Container> containers = new ArrayList<>();
        for (ContainerPlan c : pod.initContainers()) {
            var env = new ArrayList<>(Pods.topologyEnv(d));
            env.add(Pods.env("POD_ROLE", "sentinel"));
            init.add(new ContainerBuilder(Pods.container(c)).withCommand(Pods.sh("init.sh"))
                    .withEnv(env).withVolumeMounts(mounts(d, true, false)).build());
        }
        for (ContainerPlan c : pod.containers()) {
            if (c.role() == Role.SENTINEL) {
                containers.add(sentinelContainer(d, c, namespace, false));
            } else {
                containers.add(Pods.exporter(d, c, true));
            }
        }
        VolumeSpec storage = d.sentinel().storage();
        return new StatefulSetBuilder()
                .withNewMetadata().withName(d.names().sentinelStatefulSet()).withNamespace(namespace).withLabels(Labels.of(d, "sentinel")).endMetadata()
                .withNewSpec()
                .withServiceName(d.names().sentinelHeadless())
                .withReplicas(d.sentinel().sentinels())
                .withPodManagementPolicy("Parallel")
                .withNewUpdateStrategy().withType("RollingUpdate").endUpdateStrategy()
                .withNewPersistentVolumeClaimRetentionPolicy().withWhenDeleted("Retain").withWhenScaled("Retain").endPersistentVolumeClaimRetentionPolicy()
                .withNewSelector().withMatchLabels(Labels.selector(d, "sentinel")).endSelector()
                .withNewTemplate()
                .withNewMetadata().withLabels(Labels.of(d, "sentinel")).endMetadata()
                .withNewSpec()
                .withInitContainers(init)
                .withContainers(containers)
                .withVolumes(sentinelVolumes(d))
                // sentinel-prestop.sh waits up to SENTINEL_PRESTOP_WAIT_SECONDS (50) for a failover in progress.
                .withTerminationGracePeriodSeconds(PRESTOP_GRACE_SECONDS)
                .endSpec()
                .endTemplate()
                .withVolumeClaimTemplates(claim("data", storage.size().toString(), storage.storageClass()))
                .endSpec()
                .build();
    }

    private static List<Volume> sentinelVolumes(RedisPlan d) {
        List<Volume> v = new ArrayList<>(List.of(Pods.configMapVolume("config", d.names().config(), 0444),
                Pods.configMapVolume("scripts", d.names().scripts(), 0555),
                Pods.emptyDir("run", "16Mi"),
                Pods.emptyDir("tmp", "64Mi")));
        if (d.tls() != null) {
            v.add(Pods.tlsVolume(d));
        }
        return v;
    }

    static PersistentVolumeClaim claim(String name, String size, String storageClass) {
        return new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                .withStorageClassName(storageClass)
                .withNewResources().withRequests(Map.of("storage", new Quantity(size))).endResources()
                .endSpec()
                .build();
    }
}
