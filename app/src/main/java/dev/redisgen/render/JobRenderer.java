package dev.redisgen.render;

import dev.redisgen.plan.ContainerPlan;
import dev.redisgen.plan.RedisPlan;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.ArrayList;
import java.util.List;

/** The Redis Cluster creation Job, the backup CronJobs and their backup volume. */
final class JobRenderer {
    /** What the Job of `redisgen drain` runs (the creation script, in drain mode). */
    static final String DRAIN_SCRIPT = "cluster-create.sh";
    /** What the Job of `redisgen restore` runs. */
    static final String RESTORE_SCRIPT = "cluster-restore.sh";

    private JobRenderer() {
    }

    static List<HasMetadata> render(RedisPlan d, String namespace) {
        List<HasMetadata> out = new ArrayList<>();
        if (d.isCluster()) {
            ContainerPlan c = d.pod(d.names().clusterCreateJob()).containers().get(0);
            // Named after a hash of its spec by the decorators (NameJobsAfterSpec): a changed profile or script is a
            // new Job, never an immutable template changed in place. No ttlSecondsAfterFinished: a finished Job
            // stays, so re-applying the same manifests is a no-op (and Argo CD / Flux see no drift to re-create).
            out.add(new JobBuilder()
                    .withNewMetadata().withName(d.names().clusterCreateJob()).withNamespace(namespace).withLabels(Labels.of(d, "create-cluster")).endMetadata()
                    .withNewSpec()
                    .withBackoffLimit(10)
                    .withNewTemplate()
                    .withNewMetadata().withLabels(Labels.of(d, "create-cluster")).endMetadata()
                    .withSpec(jobPod(d, namespace, c, "cluster-create.sh", List.of(), false))
                    .endTemplate()
                    .endSpec()
                    .build());
        }
        if (d.backup() != null) {
            var storage = d.backup().storage();
            HasMetadata claim = new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder(
                    StatefulSetRenderer.claim(d.names().backupClaim(), storage.size().toString(), storage.storageClass()))
                    .editMetadata().withNamespace(namespace).withLabels(Labels.of(d, "backup")).endMetadata()
                    .build();
            out.add(claim);
            for (var s : d.backup().schedules()) {
                String name = d.names().backupCronJob(s.name());
                ContainerPlan c = d.pod(name).containers().get(0);
                List<EnvVar> env = List.of(Pods.env("BACKUP_NAME", s.name()), Pods.env("KEEP", Integer.toString(s.keep())),
                        Pods.env("BACKUP_DIR", Pods.BACKUP_DIR));
                out.add(new CronJobBuilder()
                        .withNewMetadata().withName(name).withNamespace(namespace).withLabels(Labels.of(d, "backup")).endMetadata()
                        .withNewSpec()
                        .withSchedule(s.schedule())
                        .withTimeZone(s.timeZone())
                        // Forbid: a slow backup must not pile up copies on one volume.
                        .withConcurrencyPolicy("Forbid")
                        .withStartingDeadlineSeconds(600L)
                        .withSuccessfulJobsHistoryLimit(3)
                        .withFailedJobsHistoryLimit(3)
                        .withNewJobTemplate()
                        .withNewSpec()
                        .withBackoffLimit(2)
                        .withActiveDeadlineSeconds(3600L)
                        .withNewTemplate()
                        .withNewMetadata().withLabels(Labels.of(d, "backup")).endMetadata()
                        .withSpec(jobPod(d, namespace, c, "backup.sh", env, true))
                        .endTemplate()
                        .endSpec()
                        .endJobTemplate()
                        .endSpec()
                        .build());
            }
        }
        return out;
    }

    /**
     * The Job that restores backup FROM (`SCHEDULE/TIME` or `SCHEDULE/latest`) of a Redis Cluster deployment into its
     * running cluster (cluster-restore.sh), rendered on request by `redisgen restore`, never with the rest: applied
     * by GitOps, it would run again whenever its spec changed. Its redis-server loads one shard's RDB at a time, so
     * the container gets the Redis container's image and resources; the backup volume is mounted read-only.
     * restartPolicy Never and no retries: a restore that failed half-way needs a person (the cluster is no longer
     * empty).
     */
    static HasMetadata restore(RedisPlan d, String namespace, String from, boolean replace) {
        if (!d.isCluster() || d.backup() == null) {
            throw new IllegalArgumentException("deployment " + d.name() + " is no Redis Cluster with backups");
        }
        ContainerPlan redis = d.pod(d.names().statefulSet()).containers().stream()
                .filter(c -> c.role() == dev.redisgen.plan.Role.REDIS).findFirst().orElseThrow();
        List<EnvVar> env = new ArrayList<>(List.of(Pods.env("BACKUP_DIR", Pods.BACKUP_DIR), Pods.env("RESTORE_FROM", from)));
        if (replace) {
            env.add(Pods.env("RESTORE_REPLACE", "true"));
        }
        ContainerPlan c = redis.named("restore");
        PodSpec pod = new PodSpecBuilder(jobPod(d, namespace, c, RESTORE_SCRIPT, env, true))
                .withRestartPolicy("Never")
                .editMatchingContainer(m -> true)
                .editMatchingVolumeMount(v -> v.getName().equals("backup")).withReadOnly(true).endVolumeMount()
                .endContainer()
                .build();
        return new JobBuilder()
                .withNewMetadata().withName(d.names().base() + "-restore").withNamespace(namespace).withLabels(Labels.of(d, "restore")).endMetadata()
                .withNewSpec()
                .withBackoffLimit(0)
                .withNewTemplate()
                .withNewMetadata().withLabels(Labels.of(d, "restore")).endMetadata()
                .withSpec(pod)
                .endTemplate()
                .endSpec()
                .build();
    }

    /**
     * The Job that drains a Redis Cluster deployment down to the profile's shard count (cluster-create.sh with
     * CLUSTER_DRAIN=true), rendered on request by `redisgen drain` from the new profile, never with the rest: it runs
     * while the old output is still applied, so that the pods that go hold no slot when the StatefulSet removes them.
     * The creation Job's container, env and retries (the script is idempotent); its pods are admitted where the
     * creation Job's are.
     */
    static HasMetadata drain(RedisPlan d, String namespace) {
        if (!d.isCluster()) {
            throw new IllegalArgumentException("deployment " + d.name() + " is no Redis Cluster");
        }
        ContainerPlan c = d.pod(d.names().clusterCreateJob()).containers().get(0).named("drain-cluster");
        return new JobBuilder()
                .withNewMetadata().withName(d.names().base() + "-drain").withNamespace(namespace).withLabels(Labels.of(d, "drain-cluster")).endMetadata()
                .withNewSpec()
                .withBackoffLimit(10)
                .withNewTemplate()
                .withNewMetadata().withLabels(Labels.of(d, "drain-cluster")).endMetadata()
                .withSpec(jobPod(d, namespace, c, DRAIN_SCRIPT, List.of(Pods.env("CLUSTER_DRAIN", "true"),
                        Pods.env("CLUSTER_NODE_TIMEOUT_MILLISECONDS", Integer.toString(d.cluster().nodeTimeoutMilliseconds()))), false))
                .endTemplate()
                .endSpec()
                .build();
    }

    private static PodSpec jobPod(RedisPlan d, String namespace, ContainerPlan c, String script, List<EnvVar> extraEnv, boolean backup) {
        List<EnvVar> env = new ArrayList<>(Pods.scriptEnv(d));
        env.addAll(extraEnv);
        var container = new ContainerBuilder(Pods.container(c))
                .withCommand(Pods.sh(script))
                .withEnv(env)
                .addToVolumeMounts(Pods.mount("scripts", Pods.SCRIPTS_DIR, true), Pods.mount("tmp", Pods.TMP_DIR, false));
        var pod = new PodSpecBuilder()
                .withRestartPolicy("OnFailure")
                .addToVolumes(Pods.configMapVolume("scripts", d.names().scripts(), 0555), Pods.emptyDir("tmp", "64Mi"));
        if (d.tls() != null) {
            container.addToVolumeMounts(Pods.tlsMount());
            pod.addToVolumes(Pods.tlsVolume(d));
        }
        if (backup) {
            container.addToVolumeMounts(Pods.mount("backup", Pods.BACKUP_DIR, false));
            pod.addNewVolume().withName("backup").withNewPersistentVolumeClaim().withClaimName(d.names().backupClaim()).endPersistentVolumeClaim().endVolume();
        }
        return pod.withContainers(container.build()).build();
    }
}
