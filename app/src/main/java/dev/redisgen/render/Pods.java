package dev.redisgen.render;

import dev.redisgen.conf.AclUsers;
import dev.redisgen.conf.TlsFiles;
import dev.redisgen.plan.ContainerPlan;
import dev.redisgen.plan.Planner;
import dev.redisgen.plan.RedisPlan;
import dev.redisgen.profile.ProbesSpec;
import dev.redisgen.profile.Resources;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Containers, env and volumes shared by the workload renderers. The env contract is scripts/CONTRACT.md. */
final class Pods {
    static final String CONFIG_DIR = "/config";
    static final String SCRIPTS_DIR = "/scripts";
    static final String DATA_DIR = "/data";
    static final String RUN_DIR = "/run/redis";
    static final String TMP_DIR = "/tmp";
    static final String BACKUP_DIR = "/backup";

    private Pods() {
    }

    static ResourceRequirements resources(Resources r) {
        // Ephemeral storage bounds the emptyDirs (/tmp, /run/redis) and container logs; kube-score and the
        // kubelet's eviction both want it declared.
        Map<String, Quantity> requests = new TreeMap<>();
        Map<String, Quantity> limits = new TreeMap<>();
        if (r.requests().cpu() != null) requests.put("cpu", new Quantity(r.requests().cpu().toString()));
        if (r.requests().memory() != null) requests.put("memory", new Quantity(r.requests().memory().toString()));
        if (r.limits().cpu() != null) limits.put("cpu", new Quantity(r.limits().cpu().toString()));
        if (r.limits().memory() != null) limits.put("memory", new Quantity(r.limits().memory().toString()));
        requests.put("ephemeral-storage", new Quantity("64Mi"));
        limits.put("ephemeral-storage", new Quantity("1Gi"));
        return new ResourceRequirementsBuilder().withRequests(requests).withLimits(limits).build();
    }

    static EnvVar env(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }

    static EnvVar fieldEnv(String name, String fieldPath) {
        return new EnvVarBuilder().withName(name).withNewValueFrom().withNewFieldRef().withFieldPath(fieldPath).endFieldRef()
                .endValueFrom().build();
    }

    static EnvVar secretEnv(String name, String secret, String key) {
        return new EnvVarBuilder().withName(name).withNewValueFrom().withNewSecretKeyRef().withName(secret).withKey(key)
                .endSecretKeyRef().endValueFrom().build();
    }

    /**
     * The credentials of the pod scripts and Jobs: passwords reach processes only as env from the Secret (SPEC "Auth").
     * With ACL users the scripts are user {@code admin} (REDIS_USER), which has exactly the commands they send.
     */
    static List<EnvVar> authEnv(RedisPlan d) {
        List<EnvVar> env = new ArrayList<>();
        if (d.auth() != null) {
            if (d.aclUsers() != null) {
                env.add(env("REDIS_USER", AclUsers.ADMIN));
                env.add(secretEnv(AclUsers.ADMIN_VAR, d.auth().secretName(), d.aclUsers().adminPasswordKey()));
            } else {
                env.add(secretEnv("REDIS_PASSWORD", d.auth().secretName(), d.auth().passwordKey()));
            }
            if (d.auth().sentinelPasswordKey() != null) {
                env.add(secretEnv("SENTINEL_PASSWORD", d.auth().secretName(), d.auth().sentinelPasswordKey()));
            }
        }
        return env;
    }

    /** The env every pod script reads (scripts/CONTRACT.md), passwords included; with TLS, where the certificates are. */
    static List<EnvVar> scriptEnv(RedisPlan d) {
        List<EnvVar> env = new ArrayList<>(topologyEnv(d));
        env.addAll(authEnv(d));
        if (d.tls() != null) {
            // common.sh's one redis-cli helper adds --tls --cacert/--cert/--key from here (CONTRACT.md).
            env.add(env("TLS_DIR", TlsFiles.DIR));
        }
        return env;
    }

    static final String TLS_VOLUME = "tls";

    /**
     * The TLS Secret, read-only, key files readable by the pod's group only (fsGroup): Kubernetes swaps the files of a renewed
     * certificate in place (a symlink swap), which tls-reload.sh notices.
     */
    static Volume tlsVolume(RedisPlan d) {
        return new VolumeBuilder().withName(TLS_VOLUME).withNewSecret().withSecretName(d.tls().secretName()).withDefaultMode(0440)
                .endSecret().build();
    }

    static VolumeMount tlsMount() {
        return mount(TLS_VOLUME, TlsFiles.DIR, true);
    }

    /**
     * The Redis container's env: the scripts' plus, with ACL users, every user's password, which its start script hashes
     * into the runtime redis.conf (users.acl placeholders) and, for the replication user, writes as masterauth.
     */
    static List<EnvVar> redisEnv(RedisPlan d) {
        List<EnvVar> env = scriptEnv(d);
        var u = d.aclUsers();
        if (u != null) {
            String secret = d.auth().secretName();
            env.add(secretEnv(AclUsers.APP_VAR, secret, d.auth().passwordKey()));
            if (!d.isStandalone()) {
                env.add(secretEnv(AclUsers.REPLICATION_VAR, secret, u.replicationPasswordKey()));
            }
            if (d.isSentinel()) {
                env.add(secretEnv(AclUsers.SENTINEL_VAR, secret, u.sentinelUserPasswordKey()));
            }
            env.add(secretEnv(AclUsers.EXPORTER_VAR, secret, u.exporterPasswordKey()));
        }
        return env;
    }

    /** The Sentinel container's env: the scripts' (its notification script fences as admin) and the sentinel user's password. */
    static List<EnvVar> sentinelEnv(RedisPlan d) {
        List<EnvVar> env = scriptEnv(d);
        if (d.aclUsers() != null) {
            env.add(secretEnv(AclUsers.SENTINEL_VAR, d.auth().secretName(), d.aclUsers().sentinelUserPasswordKey()));
        }
        return env;
    }

    /** The write endpoint's HAProxy: its health checks read INFO replication, as the exporter user with ACL users. */
    static List<EnvVar> proxyEnv(RedisPlan d) {
        if (d.aclUsers() == null) {
            return authEnv(d);
        }
        List<EnvVar> env = new ArrayList<>();
        env.add(env("REDIS_USER", AclUsers.EXPORTER));
        env.add(secretEnv("REDIS_PASSWORD", d.auth().secretName(), d.aclUsers().exporterPasswordKey()));
        if (d.auth().sentinelPasswordKey() != null) {
            env.add(secretEnv("SENTINEL_PASSWORD", d.auth().secretName(), d.auth().sentinelPasswordKey()));
        }
        return env;
    }

    /** The env without passwords, for containers that never talk to Redis (the init container). */
    static List<EnvVar> topologyEnv(RedisPlan d) {
        List<EnvVar> env = new ArrayList<>();
        env.add(fieldEnv("POD_NAME", "metadata.name"));
        env.add(fieldEnv("POD_NAMESPACE", "metadata.namespace"));
        env.add(fieldEnv("POD_IP", "status.podIP"));
        env.add(env("CLUSTER_DOMAIN", d.clusterDomain()));
        env.add(env("REDIS_PORT", Integer.toString(Planner.REDIS_PORT)));
        env.add(env("STATEFULSET", d.names().statefulSet()));
        env.add(env("REPLICAS", Integer.toString(d.redisReplicas())));
        env.add(env("HEADLESS_SERVICE", d.names().headless()));
        if (d.sentinel() != null) {
            var s = d.sentinel();
            env.add(env("SENTINEL_PORT", Integer.toString(Planner.SENTINEL_PORT)));
            env.add(env("SENTINEL_STATEFULSET", s.separate() ? d.names().sentinelStatefulSet() : d.names().statefulSet()));
            env.add(env("SENTINEL_HEADLESS_SERVICE", s.separate() ? d.names().sentinelHeadless() : d.names().headless()));
            env.add(env("SENTINELS", Integer.toString(s.sentinels())));
            env.add(env("MASTER_NAME", s.masterName()));
            env.add(env("ADDRESS_MODE", s.hostnames() ? "hostname" : "ip"));
        }
        if (d.cluster() != null) {
            env.add(env("SHARDS", Integer.toString(d.cluster().shards())));
            env.add(env("REPLICAS_PER_SHARD", Integer.toString(d.cluster().replicasPerShard())));
        }
        return env;
    }

    static Container container(ContainerPlan plan) {
        return new ContainerBuilder()
                .withName(plan.name())
                .withImage(plan.image())
                // The profile's policy, else the Kubernetes default for the image: IfNotPresent for a pinned tag, so a
                // pod restarting during a registry outage (a failover, a drained node) still starts.
                .withImagePullPolicy(plan.imagePullPolicy().kubernetesName())
                .withResources(resources(plan.resources()))
                .build();
    }

    static Probe tcpProbe(String port, ProbesSpec.Probe timing) {
        return timed(new ProbeBuilder().withNewTcpSocket().withPort(new IntOrString(port)).endTcpSocket(), timing);
    }

    static Probe execProbe(List<String> command, ProbesSpec.Probe timing) {
        return timed(new ProbeBuilder().withNewExec().withCommand(command).endExec(), timing);
    }

    static Probe httpProbe(String path, String port, ProbesSpec.Probe timing) {
        return timed(new ProbeBuilder().withNewHttpGet().withPath(path).withPort(new IntOrString(port)).endHttpGet(), timing);
    }

    private static Probe timed(ProbeBuilder b, ProbesSpec.Probe t) {
        return b.withInitialDelaySeconds(t.initialDelaySeconds()).withPeriodSeconds(t.periodSeconds())
                .withTimeoutSeconds(t.timeoutSeconds()).withFailureThreshold(t.failureThreshold()).build();
    }

    static VolumeMount mount(String volume, String path, boolean readOnly) {
        return new VolumeMountBuilder().withName(volume).withMountPath(path).withReadOnly(readOnly ? Boolean.TRUE : null).build();
    }

    static Volume configMapVolume(String volume, String configMap, int mode) {
        return new VolumeBuilder().withName(volume).withNewConfigMap().withName(configMap).withDefaultMode(mode).endConfigMap().build();
    }

    static Volume emptyDir(String volume, String sizeLimit) {
        return new VolumeBuilder().withName(volume).withNewEmptyDir().withSizeLimit(new Quantity(sizeLimit)).endEmptyDir().build();
    }

    static List<String> sh(String script) {
        return List.of("sh", SCRIPTS_DIR + "/" + script);
    }

    /** redis_exporter sidecar for Redis (addr localhost:6379) or Sentinel (localhost:26379). */
    static Container exporter(RedisPlan d, ContainerPlan plan, boolean sentinel) {
        int port = sentinel ? d.exporter().sentinelPort() : d.exporter().port();
        String portName = sentinel ? Ports.SENTINEL_METRICS : Ports.METRICS;
        List<EnvVar> env = new ArrayList<>();
        // rediss:// with TLS: localhost is one of the certificate's names (the exporter verifies it against the CA).
        env.add(env("REDIS_ADDR", (d.tls() == null ? "redis" : "rediss") + "://localhost:" + (sentinel ? Planner.SENTINEL_PORT : Planner.REDIS_PORT)));
        env.add(env("REDIS_EXPORTER_WEB_LISTEN_ADDRESS", "0.0.0.0:" + port));
        if (d.tls() != null) {
            // The flags --tls-ca-cert-file and --tls-client-{cert,key}-file (redis_exporter 1.x), as env; the client certificate
            // also satisfies `tls-auth-clients yes`.
            env.add(env("REDIS_EXPORTER_TLS_CA_CERT_FILE", TlsFiles.CA));
            env.add(env("REDIS_EXPORTER_TLS_CLIENT_CERT_FILE", TlsFiles.CERT));
            env.add(env("REDIS_EXPORTER_TLS_CLIENT_KEY_FILE", TlsFiles.KEY));
        }
        if (d.auth() != null) {
            if (!sentinel && d.aclUsers() != null) {
                // Read-only introspection as user `exporter` (redis_exporter reads REDIS_USER since 1.27).
                env.add(env("REDIS_USER", AclUsers.EXPORTER));
                env.add(secretEnv("REDIS_PASSWORD", d.auth().secretName(), d.aclUsers().exporterPasswordKey()));
            } else {
                String key = sentinel ? d.auth().sentinelPasswordKey() : d.auth().passwordKey();
                if (key != null) {
                    env.add(secretEnv("REDIS_PASSWORD", d.auth().secretName(), key));
                }
            }
        }
        var timing = new ProbesSpec.Probe(10, 10, 5, 3);
        var b = new ContainerBuilder(container(plan));
        if (d.tls() != null) {
            b.withVolumeMounts(tlsMount());
        }
        return b
                .withEnv(env)
                .addNewPort().withName(portName).withContainerPort(port).withProtocol("TCP").endPort()
                // Liveness: the process accepts connections; readiness: it answers /health.
                .withLivenessProbe(tcpProbe(portName, timing))
                .withReadinessProbe(httpProbe("/health", portName, timing))
                .build();
    }
}
