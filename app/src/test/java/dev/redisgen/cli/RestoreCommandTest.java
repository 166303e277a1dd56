package dev.redisgen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** `redisgen restore`: one Job on stdout that runs cluster-restore.sh against the profile's cluster (issue 8, item 3). */
class RestoreCommandTest {
    static Job job(String yaml) throws Exception {
        return new ObjectMapper(new YAMLFactory()).readValue(yaml.replaceFirst("^---\n", ""), Job.class);
    }

    @Test
    void printsTheRestoreJobOfTheClusterWithTheBackupVolumeReadOnly() throws Exception {
        CliRun r = CliRun.of("restore", "--profile", "analytics-cluster", "--backup", "daily/latest");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        Job job = job(r.out());
        assertThat(job.getMetadata().getName()).matches("redis-cluster-restore-[0-9a-f]{10}");
        assertThat(job.getMetadata().getNamespace()).isEqualTo("redis-system");
        assertThat(job.getSpec().getBackoffLimit()).isZero();
        var pod = job.getSpec().getTemplate().getSpec();
        assertThat(pod.getRestartPolicy()).isEqualTo("Never");
        var c = pod.getContainers().get(0);
        assertThat(c.getCommand()).containsExactly("sh", "/scripts/cluster-restore.sh");
        assertThat(c.getImage()).isEqualTo("redis:7.2-alpine");
        Map<String, String> env = c.getEnv().stream().filter(e -> e.getValue() != null).collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
        assertThat(env).containsEntry("RESTORE_FROM", "daily/latest").containsEntry("BACKUP_DIR", "/backup").containsEntry("SHARDS", "3")
                .doesNotContainKey("RESTORE_REPLACE");
        assertThat(c.getEnv()).anyMatch(e -> e.getName().equals("REDIS_PASSWORD") && e.getValueFrom().getSecretKeyRef().getName().equals("redis-auth"));
        assertThat(c.getVolumeMounts()).anyMatch(m -> m.getMountPath().equals("/backup") && Boolean.TRUE.equals(m.getReadOnly()));
        assertThat(pod.getVolumes()).anyMatch(v -> v.getPersistentVolumeClaim() != null && v.getPersistentVolumeClaim().getClaimName().equals("redis-cluster-backup"));
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();

        // Same input, same bytes; another backup (or --replace), another Job name.
        assertThat(CliRun.of("restore", "--profile", "analytics-cluster", "--backup", "daily/latest").out()).isEqualTo(r.out());
        Job other = job(CliRun.of("restore", "--profile", "analytics-cluster", "--backup", "hourly/20250301T140000Z", "--replace").out());
        assertThat(other.getMetadata().getName()).isNotEqualTo(job.getMetadata().getName());
        assertThat(other.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .anyMatch(e -> e.getName().equals("RESTORE_REPLACE") && "true".equals(e.getValue()));
        assertThat(new JobBuilder(job).build()).isEqualTo(job);
    }

    @Test
    void refusesWhatItCannotRestore() {
        CliRun sentinel = CliRun.of("restore", "--profile", "airflow", "--backup", "daily/latest");
        assertThat(sentinel.exit()).isEqualTo(2);
        assertThat(sentinel.out()).isEmpty();
        assertThat(sentinel.err()).startsWith("redisgen: profile 'airflow' has no Redis Cluster deployment with `backup` to restore\n");

        CliRun name = CliRun.of("restore", "--profile", "analytics-cluster", "--backup", "../etc/latest");
        assertThat(name.exit()).isEqualTo(2);
        assertThat(name.out()).isEmpty();
        assertThat(name.err()).startsWith("redisgen: --backup '../etc/latest' is not SCHEDULE/TIME");

        CliRun other = CliRun.of("restore", "--profile", "analytics-cluster", "--deployment", "nope", "--backup", "daily/latest");
        assertThat(other.exit()).isEqualTo(2);
        assertThat(other.err()).startsWith("redisgen: profile 'analytics-cluster' has no Redis Cluster deployment named 'nope'");
    }
}
