package dev.redisgen.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisgen.profile.ProfileLoader;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 item 4: every scheduling and packaging field reaches the objects it is documented for, and only
 * those; left out, each renders what it did before (or what Kubernetes defaults to).
 */
class SchedulingAndPackagingTest {
    static final String FIXTURE = "app/src/test/resources/profiles/valid/scheduling-and-exposure.yaml";

    /** Sentinel (separate, proxy, exporter, backup) and a cluster with a backup: every workload kind there is. */
    static final String EVERY_WORKLOAD = """
            name: every
            namespace: {name: every}
            deployments:
              - name: redis
                topology: sentinel
                sentinel: {placement: separate}
                persistence: {aof: everysec, size: 1Gi}
                auth: {secretName: redis-auth}
                backup: {schedules: [{name: daily, schedule: "0 2 * * *", keep: 7}], storage: {size: 5Gi}}
                %s
              - name: shards
                topology: cluster
                persistence: {aof: everysec, size: 1Gi}
                auth: {secretName: shards-auth}
            """;

    static List<HasMetadata> render(String yaml) {
        return Pipeline.render(ProfileLoader.parse("p.yaml", yaml)).objects();
    }

    static List<HasMetadata> renderWith(String deploymentFields) {
        return render(EVERY_WORKLOAD.formatted(deploymentFields.replace("\n", "\n    ")));
    }

    static List<PodTemplateSpec> templates(List<HasMetadata> objects, String instance) {
        List<PodTemplateSpec> out = new ArrayList<>();
        for (HasMetadata o : objects) {
            PodTemplateSpec t = o instanceof StatefulSet s ? s.getSpec().getTemplate()
                    : o instanceof Deployment d ? d.getSpec().getTemplate()
                    : o instanceof Job j ? j.getSpec().getTemplate()
                    : o instanceof CronJob c ? c.getSpec().getJobTemplate().getSpec().getTemplate() : null;
            if (t != null && instance.equals(t.getMetadata().getLabels().get("app.kubernetes.io/instance"))) {
                out.add(t);
            }
        }
        return out;
    }

    static <T extends HasMetadata> List<T> all(List<HasMetadata> objects, Class<T> kind) {
        return objects.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    static Service service(List<HasMetadata> objects, String name) {
        return all(objects, Service.class).stream().filter(s -> s.getMetadata().getName().equals(name)).findFirst().orElseThrow();
    }

    static Stream<Container> containers(PodTemplateSpec t) {
        return Stream.concat(t.getSpec().getInitContainers().stream(), t.getSpec().getContainers().stream());
    }

    @Test
    void nodeSelectorTolerationsAndPriorityClassReachEveryPodOfTheDeploymentJobsIncluded() {
        List<HasMetadata> objects = renderWith("""
                placement:
                  nodeSelector: {node-role.example.com/redis: "true"}
                  tolerations:
                    - {key: dedicated, value: redis, effect: NoSchedule}
                    - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 30}
                    - {operator: Exists}
                  priorityClassName: redis-critical""");
        List<PodTemplateSpec> redis = templates(objects, "redis");
        // Redis, Sentinel, proxy, the backup CronJob.
        assertThat(redis).hasSize(4);
        for (PodTemplateSpec t : redis) {
            assertThat(t.getSpec().getNodeSelector()).containsExactly(Map.entry("node-role.example.com/redis", "true"));
            assertThat(t.getSpec().getPriorityClassName()).isEqualTo("redis-critical");
            assertThat(t.getSpec().getTolerations()).extracting(Toleration::getKey, Toleration::getOperator, Toleration::getValue,
                            Toleration::getEffect, Toleration::getTolerationSeconds)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("dedicated", "Equal", "redis", "NoSchedule", null),
                            org.assertj.core.groups.Tuple.tuple("node.kubernetes.io/unreachable", "Exists", null, "NoExecute", 30L),
                            org.assertj.core.groups.Tuple.tuple(null, "Exists", null, null, null));
        }
        // Another deployment of the profile keeps the scheduler's defaults.
        for (PodTemplateSpec t : templates(objects, "shards")) {
            assertThat(t.getSpec().getNodeSelector()).isEmpty();
            assertThat(t.getSpec().getTolerations()).isEmpty();
            assertThat(t.getSpec().getPriorityClassName()).isNull();
        }
    }

    @Test
    void imagePullSecretsReachEveryPodOfTheDeployment() {
        List<HasMetadata> objects = renderWith("imagePullSecrets: [regcred, mirror-creds]");
        assertThat(templates(objects, "redis")).hasSize(4).allSatisfy(t -> assertThat(t.getSpec().getImagePullSecrets())
                .extracting(LocalObjectReference::getName).containsExactly("regcred", "mirror-creds"));
        assertThat(templates(objects, "shards")).allSatisfy(t -> assertThat(t.getSpec().getImagePullSecrets()).isEmpty());
    }

    @Test
    void podLabelsAndAnnotationsReachEveryPodTemplateBesideRedisgensOwn() {
        List<HasMetadata> objects = renderWith("""
                podLabels: {example.com/team: platform}
                podAnnotations: {sidecar.istio.io/inject: "false"}""");
        for (PodTemplateSpec t : templates(objects, "redis")) {
            assertThat(t.getMetadata().getLabels()).containsEntry("example.com/team", "platform")
                    .containsEntry("app.kubernetes.io/instance", "redis").containsKey("app.kubernetes.io/component");
            assertThat(t.getMetadata().getAnnotations()).containsEntry("sidecar.istio.io/inject", "false");
        }
        // Object metadata (what kubectl selects workloads by) stays redisgen's; other deployments stay bare.
        assertThat(all(objects, StatefulSet.class).get(0).getMetadata().getLabels()).doesNotContainKey("example.com/team");
        assertThat(templates(objects, "shards")).allSatisfy(t -> assertThat(t.getMetadata().getLabels()).doesNotContainKey("example.com/team"));
        // The config checksum still comes last and is still there.
        StatefulSet redis = all(objects, StatefulSet.class).stream().filter(s -> s.getMetadata().getName().equals("redis")).findFirst().orElseThrow();
        assertThat(redis.getSpec().getTemplate().getMetadata().getAnnotations()).containsKey("checksum/config");
    }

    @Test
    void serviceTypeAndAnnotationsReachOnlyTheClientServicesAndLabelsEveryService() {
        List<HasMetadata> objects = renderWith("""
                services:
                  type: LoadBalancer
                  annotations: {service.beta.kubernetes.io/aws-load-balancer-internal: "true"}
                  labels: {example.com/exposure: internal}
                networkPolicy: {allowCidrs: [10.0.0.0/8]}""");
        for (String client : List.of("redis", "redis-replicas")) {
            Service s = service(objects, client);
            assertThat(s.getSpec().getType()).isEqualTo("LoadBalancer");
            assertThat(s.getMetadata().getAnnotations()).containsExactly(Map.entry("service.beta.kubernetes.io/aws-load-balancer-internal", "true"));
        }
        // Sentinel answers with pod names only the cluster resolves: its Service stays inside.
        assertThat(service(objects, "redis-sentinel").getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(service(objects, "redis-sentinel").getMetadata().getAnnotations()).isNullOrEmpty();
        assertThat(service(objects, "redis-headless").getSpec().getClusterIP()).isEqualTo("None");
        for (Service s : all(objects, Service.class)) {
            boolean ours = "redis".equals(s.getMetadata().getLabels().get("app.kubernetes.io/instance"));
            assertThat(s.getMetadata().getLabels().containsKey("example.com/exposure")).as(s.getMetadata().getName()).isEqualTo(ours);
        }
        // The other deployment's client Service keeps the default type.
        assertThat(service(objects, "shards").getSpec().getType()).isEqualTo("ClusterIP");
    }

    @Test
    void aClusterOrStandaloneClientServiceTakesTheType() {
        List<HasMetadata> objects = render("""
                name: t
                namespace: {name: t}
                deployments:
                  - {name: cache, topology: standalone, services: {type: NodePort}}
                  - {name: shards, topology: cluster, services: {type: LoadBalancer}}
                """);
        assertThat(service(objects, "cache").getSpec().getType()).isEqualTo("NodePort");
        assertThat(service(objects, "shards").getSpec().getType()).isEqualTo("LoadBalancer");
        // Per-pod and headless Services of the cluster stay in the cluster.
        assertThat(service(objects, "shards-0").getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(service(objects, "shards-headless").getSpec().getType()).isNull();
    }

    @Test
    void servicesStayClusterIpWithoutAnnotationsByDefault() {
        List<HasMetadata> objects = Pipeline.render("gateway-ha").objects();
        for (Service s : all(objects, Service.class)) {
            assertThat(s.getSpec().getType()).as(s.getMetadata().getName()).isIn("ClusterIP", null);
            assertThat(s.getMetadata().getAnnotations()).as(s.getMetadata().getName()).isNullOrEmpty();
        }
    }

    @Test
    void allowCidrsBecomeIpBlocksOnTheClientPorts() {
        List<HasMetadata> objects = renderWith("networkPolicy: {allowNamespaces: [app], allowCidrs: [10.0.0.0/8, \"2001:db8::/32\"]}");
        // The Redis pods, the separate Sentinels and the write endpoint's proxy: each on its client ports.
        Map<String, List<Integer>> ports = new TreeMap<>();
        for (NetworkPolicy np : all(objects, NetworkPolicy.class)) {
            np.getSpec().getIngress().stream().filter(r -> r.getFrom().get(0).getIpBlock() != null).forEach(rule -> {
                assertThat(rule.getFrom()).extracting(p -> p.getIpBlock().getCidr()).containsExactly("10.0.0.0/8", "2001:db8::/32");
                ports.put(np.getMetadata().getName(), rule.getPorts().stream().map(p -> p.getPort().getIntVal()).toList());
            });
        }
        assertThat(ports).containsExactly(Map.entry("redis-proxy", List.of(6379, 6380)), Map.entry("redis-redis", List.of(6379)),
                Map.entry("redis-sentinel", List.of(26379)));
    }

    @Test
    void theProfileStorageClassFillsEveryClaimThatNamesNone() {
        List<HasMetadata> objects = render("""
                name: t
                namespace: {name: t}
                storageClass: fast-ssd
                deployments:
                  - name: redis
                    topology: sentinel
                    sentinel: {placement: separate, storage: {size: 1Gi, storageClass: local-path}}
                    persistence: {aof: everysec, size: 1Gi}
                    backup: {schedules: [{name: daily, schedule: "0 2 * * *", keep: 7}], storage: {size: 5Gi}}
                  - {name: cache, topology: standalone, persistence: {aof: everysec, size: 1Gi}}
                """);
        StatefulSet redis = all(objects, StatefulSet.class).stream().filter(s -> s.getMetadata().getName().equals("redis")).findFirst().orElseThrow();
        StatefulSet sentinel = all(objects, StatefulSet.class).stream().filter(s -> s.getMetadata().getName().equals("redis-sentinel")).findFirst().orElseThrow();
        assertThat(redis.getSpec().getVolumeClaimTemplates().get(0).getSpec().getStorageClassName()).isEqualTo("fast-ssd");
        // A volume that names its own class keeps it.
        assertThat(sentinel.getSpec().getVolumeClaimTemplates().get(0).getSpec().getStorageClassName()).isEqualTo("local-path");
        assertThat(all(objects, PersistentVolumeClaim.class)).extracting(c -> c.getMetadata().getName() + "=" + c.getSpec().getStorageClassName())
                .containsExactlyInAnyOrder("redis-backup=fast-ssd", "cache-data=fast-ssd");
    }

    @Test
    void withoutAStorageClassClaimsUseTheClusterDefault() {
        for (StatefulSet s : all(Pipeline.render("airflow").objects(), StatefulSet.class)) {
            assertThat(s.getSpec().getVolumeClaimTemplates()).allSatisfy(c -> assertThat(c.getSpec().getStorageClassName()).isIn("local-path", null));
        }
        List<HasMetadata> objects = render("""
                name: t
                namespace: {name: t}
                deployments: [{name: cache, topology: standalone, persistence: {aof: everysec, size: 1Gi}}]
                """);
        assertThat(all(objects, PersistentVolumeClaim.class).get(0).getSpec().getStorageClassName()).isNull();
    }

    @Test
    void theClusterDomainReachesThePodEnvTheProxyConfigAndTheSentinelCheck() {
        List<HasMetadata> objects = Pipeline.render(FIXTURE).objects();
        for (PodTemplateSpec t : templates(objects, "redis")) {
            containers(t).filter(c -> c.getEnv().stream().anyMatch(e -> e.getName().equals("CLUSTER_DOMAIN"))).forEach(c ->
                    assertThat(c.getEnv()).filteredOn(e -> e.getName().equals("CLUSTER_DOMAIN")).extracting(EnvVar::getValue)
                            .containsExactly("corp.internal"));
        }
        ConfigMap proxy = all(objects, ConfigMap.class).stream().filter(c -> c.getMetadata().getName().equals("redis-proxy-config")).findFirst().orElseThrow();
        assertThat(proxy.getData().get("haproxy.cfg")).contains("redis-0.redis-headless.redis-scheduling.svc.corp.internal:6379")
                .doesNotContain("cluster.local");
        // No rendered object names cluster.local any more; the scripts build every name from CLUSTER_DOMAIN (their
        // `${CLUSTER_DOMAIN:-cluster.local}` is only for a script run by hand without the pod's env).
        List<HasMetadata> notScripts = objects.stream().filter(o -> !o.getMetadata().getName().endsWith("-scripts")).toList();
        assertThat(dev.redisgen.emit.YamlWriter.write(notScripts)).doesNotContain("cluster.local");
        ConfigMap scripts = all(objects, ConfigMap.class).stream().filter(c -> c.getMetadata().getName().equals("redis-scripts")).findFirst().orElseThrow();
        assertThat(scripts.getData().get("common.sh")).contains("printf '%s.%s.%s.svc.%s\\n' \"$1\" \"${2:-$HEADLESS_SERVICE}\" \"$POD_NAMESPACE\" \"$CLUSTER_DOMAIN\"");
        // sentinel.monitor accepts pod 0's name in the profile's domain.
        var lint = Pipeline.run(ProfileLoader.parse("p.yaml", """
                name: t
                namespace: {name: t}
                clusterDomain: corp.internal
                deployments:
                  - {name: redis, topology: sentinel, auth: {secretName: a}, sentinel: {monitor: redis-0.redis-headless.t.svc.corp.internal}}
                """));
        assertThat(lint.findings()).isEmpty();
    }

    @Test
    void theClusterDomainDefaultsToClusterLocal() {
        List<HasMetadata> objects = Pipeline.render("airflow").objects();
        for (PodTemplateSpec t : templates(objects, "redis")) {
            containers(t).flatMap(c -> c.getEnv().stream()).filter(e -> e.getName().equals("CLUSTER_DOMAIN"))
                    .forEach(e -> assertThat(e.getValue()).isEqualTo("cluster.local"));
        }
    }

    @Test
    void imagePullPolicyIsWhatKubernetesDefaultsToUnlessTheProfileSetsIt() {
        List<HasMetadata> tagged = render("""
                name: t
                namespace: {name: t}
                deployments:
                  - {name: tagged, topology: standalone, image: "redis:7.2-alpine", exporter: {}}
                  - {name: latest, topology: standalone, image: "redis:latest"}
                  - {name: untagged, topology: standalone, image: "registry.example.com:5000/redis"}
                  - {name: digest, topology: standalone, image: "redis@sha256:0000000000000000000000000000000000000000000000000000000000000000"}
                  - {name: pinned, topology: standalone, image: "redis:latest", imagePullPolicy: IfNotPresent}
                  - {name: always, topology: standalone, image: "redis:7.2-alpine", imagePullPolicy: Always, exporter: {}}
                """);
        Map<String, String> expected = Map.of("tagged", "IfNotPresent", "latest", "Always", "untagged", "Always", "digest", "IfNotPresent",
                "pinned", "IfNotPresent", "always", "Always");
        for (var e : expected.entrySet()) {
            List<PodTemplateSpec> ts = templates(tagged, e.getKey());
            assertThat(ts).isNotEmpty();
            ts.forEach(t -> containers(t).forEach(c -> assertThat(c.getImagePullPolicy()).as(e.getKey() + "/" + c.getName()).isEqualTo(e.getValue())));
        }
    }
}
