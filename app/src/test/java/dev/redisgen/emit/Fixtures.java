package dev.redisgen.emit;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LimitRangeBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitorBuilder;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRuleBuilder;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitorBuilder;
import java.util.List;
import java.util.Map;

/** Realistic fabric8 objects of every kind emit handles; the shapes a renderer will build. */
final class Fixtures {
    static final String NS = "redis-system";
    static final Map<String, String> LABELS = Map.of(
            "app.kubernetes.io/name", "redis", "app.kubernetes.io/instance", "cache", "app.kubernetes.io/managed-by", "redisgen");

    private Fixtures() {
    }

    static ConfigMap configMap() {
        return new ConfigMapBuilder()
                .withNewMetadata().withName("redis-config").withNamespace(NS).withLabels(LABELS).endMetadata()
                .addToData("redis.conf", "port 6379\nappendonly yes\nappendfsync everysec\nsave 900 1\nmaxmemory-policy noeviction\n")
                .addToData("start.sh", "#!/bin/sh\nset -eu\nif [ \"${HOSTNAME##*-}\" = 0 ]; then\n  exec redis-server /conf/redis.conf\nfi\nexec redis-server /conf/redis.conf --replicaof redis-0.redis-headless 6379\n")
                .addToData("appendonly", "yes")
                .addToData("enabled", "true")
                .addToData("mode", "0755")
                .addToData("ratio", "1.0")
                .build();
    }

    static Service service() {
        return new ServiceBuilder()
                .withNewMetadata().withName("redis-headless").withNamespace(NS).withLabels(LABELS).endMetadata()
                .withNewSpec()
                .withClusterIP("None")
                .withPublishNotReadyAddresses(true)
                .withSelector(LABELS)
                .addNewPort().withName("redis").withPort(6379).withTargetPort(new IntOrString("redis")).endPort()
                .addNewPort().withName("metrics").withPort(9121).withTargetPort(new IntOrString(9121)).endPort()
                .endSpec()
                .build();
    }

    static StatefulSet statefulSet() {
        return new StatefulSetBuilder()
                .withNewMetadata().withName("redis").withNamespace(NS).withLabels(LABELS).endMetadata()
                .withNewSpec()
                .withReplicas(3)
                .withServiceName("redis-headless")
                .withNewSelector().withMatchLabels(LABELS).endSelector()
                .withNewTemplate()
                .withNewMetadata().withLabels(LABELS).addToAnnotations("redisgen.dev/config-checksum", "sha256-0123abcd").endMetadata()
                .withNewSpec()
                .withAutomountServiceAccountToken(false)
                .withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser(999L).withFsGroup(999L)
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().endSecurityContext()
                .addNewContainer()
                .withName("redis")
                .withImage("redis:7.2.4")
                .withCommand("sh", "/scripts/start.sh")
                .addNewPort().withName("redis").withContainerPort(6379).endPort()
                .addNewEnv().withName("REDIS_PASSWORD").withNewValueFrom().withNewSecretKeyRef("password", "redis-auth", false).endValueFrom().endEnv()
                .withNewResources()
                .addToRequests("cpu", new Quantity("100m")).addToRequests("memory", new Quantity("256Mi"))
                .addToLimits("cpu", new Quantity("2")).addToLimits("memory", new Quantity("1Gi"))
                .endResources()
                .withNewReadinessProbe().withNewExec().withCommand("redis-cli", "ping").endExec()
                .withInitialDelaySeconds(5).withPeriodSeconds(10).endReadinessProbe()
                .withNewSecurityContext().withAllowPrivilegeEscalation(false).withReadOnlyRootFilesystem(true)
                .withNewCapabilities().withDrop("ALL").endCapabilities().endSecurityContext()
                .addNewVolumeMount().withName("data").withMountPath("/data").endVolumeMount()
                .addNewVolumeMount().withName("config").withMountPath("/conf").endVolumeMount()
                .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
                .endContainer()
                .addNewVolume().withName("config").withNewConfigMap().withName("redis-config").withDefaultMode(0755).endConfigMap().endVolume()
                .addNewVolume().withName("tmp").withNewEmptyDir().endEmptyDir().endVolume()
                .endSpec()
                .endTemplate()
                .addNewVolumeClaimTemplate()
                .withNewMetadata().withName("data").endMetadata()
                .withNewSpec().withAccessModes("ReadWriteOnce").withStorageClassName("local-path")
                .withNewResources().addToRequests("storage", new Quantity("10Gi")).endResources().endSpec()
                .endVolumeClaimTemplate()
                .endSpec()
                .build();
    }

    static ServiceMonitor serviceMonitor() {
        return new ServiceMonitorBuilder()
                .withNewMetadata().withName("redis").withNamespace(NS).withLabels(LABELS).endMetadata()
                .withNewSpec()
                .withNewSelector().withMatchLabels(LABELS).endSelector()
                .addNewEndpoint().withPort("metrics").withInterval("30s").endEndpoint()
                .endSpec()
                .build();
    }

    static PrometheusRule prometheusRule() {
        return new PrometheusRuleBuilder()
                .withNewMetadata().withName("redis").withNamespace(NS).withLabels(LABELS).endMetadata()
                .withNewSpec()
                .addNewGroup().withName("redis")
                .addNewRule().withAlert("RedisDown").withExpr(new IntOrString("redis_up == 0")).withFor("1m")
                .addToLabels("severity", "critical")
                .addToAnnotations("summary", "Redis instance {{ $labels.instance }} is down: check the pod's logs and events.")
                .endRule()
                .endGroup()
                .endSpec()
                .build();
    }

    static CronJob cronJob() {
        return new CronJobBuilder()
                .withNewMetadata().withName("redis-backup-hourly").withNamespace(NS).withLabels(LABELS).endMetadata()
                .withNewSpec()
                .withSchedule("0 * * * *")
                .withConcurrencyPolicy("Forbid")
                .withNewJobTemplate().withNewSpec().withBackoffLimit(0)
                .withNewTemplate().withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName("backup").withImage("redis:7.2.4")
                .withArgs("sh", "-c", "redis-cli -h redis-0.redis-headless --rdb /backup/dump-$(date +%s).rdb")
                .endContainer()
                .endSpec().endTemplate()
                .endSpec().endJobTemplate()
                .endSpec()
                .build();
    }

    static PodDisruptionBudget podDisruptionBudget() {
        return new PodDisruptionBudgetBuilder()
                .withNewMetadata().withName("redis").withNamespace(NS).withLabels(LABELS).endMetadata()
                .withNewSpec().withMaxUnavailable(new IntOrString(1))
                .withNewSelector().withMatchLabels(LABELS).endSelector().endSpec()
                .build();
    }

    static NetworkPolicy networkPolicy() {
        return new NetworkPolicyBuilder()
                .withNewMetadata().withName("redis-deny-all").withNamespace(NS).endMetadata()
                .withNewSpec()
                .withNewPodSelector().endPodSelector()
                .withPolicyTypes("Ingress")
                .endSpec()
                .build();
    }

    /** One object of every kind in {@link ApplyOrder}, in apply order. */
    /** A cert-manager Certificate, which redisgen renders as a GenericKubernetesResource (no fabric8 model in its dependencies). */
    static HasMetadata certificate() {
        var c = new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder().withApiVersion("cert-manager.io/v1").withKind("Certificate")
                .withNewMetadata().withName("redis-tls").withNamespace(NS).endMetadata().build();
        c.setAdditionalProperty("spec", Map.of("secretName", "redis-tls", "dnsNames", List.of("redis", "*.redis-headless.redis.svc"),
                "issuerRef", Map.of("kind", "Issuer", "name", "ca")));
        return c;
    }

    static List<HasMetadata> everyKind() {
        return List.of(
                new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build(),
                new ResourceQuotaBuilder().withNewMetadata().withName("redis").withNamespace(NS).endMetadata()
                        .withNewSpec().addToHard("pods", new Quantity("30")).endSpec().build(),
                new LimitRangeBuilder().withNewMetadata().withName("redis").withNamespace(NS).endMetadata()
                        .withNewSpec().addNewLimit().withType("Container").addToMin("cpu", new Quantity("100m")).endLimit().endSpec().build(),
                new ServiceAccountBuilder().withNewMetadata().withName("redis").withNamespace(NS).endMetadata()
                        .withAutomountServiceAccountToken(false).build(),
                new RoleBuilder().withNewMetadata().withName("redis").withNamespace(NS).endMetadata()
                        .addNewRule().withApiGroups("").withResources("pods").withVerbs("get", "list").endRule().build(),
                new ClusterRoleBuilder().withNewMetadata().withName("redis-reader").endMetadata()
                        .addNewRule().withApiGroups("").withResources("nodes").withVerbs("get").endRule().build(),
                new RoleBindingBuilder().withNewMetadata().withName("redis").withNamespace(NS).endMetadata()
                        .withNewRoleRef("rbac.authorization.k8s.io", "Role", "redis")
                        .addNewSubject().withKind("ServiceAccount").withName("redis").withNamespace(NS).endSubject().build(),
                new ClusterRoleBindingBuilder().withNewMetadata().withName("redis-reader").endMetadata()
                        .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "redis-reader")
                        .addNewSubject().withKind("ServiceAccount").withName("redis").withNamespace(NS).endSubject().build(),
                new SecretBuilder().withNewMetadata().withName("redis-auth").withNamespace(NS).endMetadata()
                        .withType("Opaque").addToStringData("password", "change-me").build(),
                certificate(),
                configMap(),
                new PersistentVolumeClaimBuilder().withNewMetadata().withName("redis-backup").withNamespace(NS).endMetadata()
                        .withNewSpec().withAccessModes("ReadWriteOnce")
                        .withNewResources().addToRequests("storage", new Quantity("1Gi")).endResources().endSpec().build(),
                service(),
                statefulSet(),
                new DeploymentBuilder().withNewMetadata().withName("redis-proxy").withNamespace(NS).endMetadata()
                        .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", "proxy").endSelector()
                        .withNewTemplate().withNewMetadata().addToLabels("app", "proxy").endMetadata()
                        .withNewSpec().addNewContainer().withName("proxy").withImage("haproxy:2.9").endContainer().endSpec()
                        .endTemplate().endSpec().build(),
                podDisruptionBudget(),
                networkPolicy(),
                new JobBuilder().withNewMetadata().withName("redis-cluster-create").withNamespace(NS).endMetadata()
                        .withNewSpec().withNewTemplate().withNewSpec().withRestartPolicy("OnFailure")
                        .addNewContainer().withName("create").withImage("redis:7.2.4").endContainer().endSpec().endTemplate()
                        .endSpec().build(),
                cronJob(),
                serviceMonitor(),
                new PodMonitorBuilder().withNewMetadata().withName("redis").withNamespace(NS).endMetadata()
                        .withNewSpec().withNewSelector().addToMatchLabels("app", "redis").endSelector()
                        .addNewPodMetricsEndpoint().withPort("metrics").endPodMetricsEndpoint().endSpec().build(),
                prometheusRule());
    }
}
