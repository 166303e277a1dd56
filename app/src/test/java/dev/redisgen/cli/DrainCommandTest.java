package dev.redisgen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * `redisgen drain`: one Job on stdout that runs cluster-create.sh in drain mode with the new profile's shard count
 * (issue 8, scaling in). What the script does against real Redis: ClusterScriptsLiveTest#scalingIn*.
 */
class DrainCommandTest {
    @Test
    void printsTheDrainJobOfTheClusterWithTheNewShardCount() throws Exception {
        CliRun r = CliRun.of("drain", "--profile", "analytics-cluster");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        Job job = RestoreCommandTest.job(r.out());
        assertThat(job.getMetadata().getName()).matches("redis-cluster-drain-[0-9a-f]{10}");
        assertThat(job.getMetadata().getNamespace()).isEqualTo("redis-system");
        assertThat(job.getMetadata().getLabels()).containsEntry("app.kubernetes.io/component", "drain-cluster");
        assertThat(job.getSpec().getBackoffLimit()).isEqualTo(10);
        var c = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getName()).isEqualTo("drain-cluster");
        assertThat(c.getCommand()).containsExactly("sh", "/scripts/cluster-create.sh");
        Map<String, String> env = c.getEnv().stream().filter(e -> e.getValue() != null).collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
        assertThat(env).containsEntry("CLUSTER_DRAIN", "true").containsEntry("SHARDS", "3").containsEntry("REPLICAS_PER_SHARD", "1")
                .containsEntry("CLUSTER_NODE_TIMEOUT_MILLISECONDS", "15000");
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();

        // The new shard count is the profile's; another count, another Job name; same input, same bytes.
        assertThat(CliRun.of("drain", "--profile", "analytics-cluster").out()).isEqualTo(r.out());
        CliRun four = CliRun.of("drain", "--profile", "analytics-cluster", "--set", "deployments[0].cluster.shards=4",
                "--set", "namespace.resourceQuota.requestsCpu=64", "--set", "namespace.resourceQuota.requestsMemory=256Gi",
                "--set", "namespace.resourceQuota.requestsStorage=4Ti");
        assertThat(four.exit()).as(four.err()).isZero();
        Job other = RestoreCommandTest.job(four.out());
        assertThat(other.getMetadata().getName()).isNotEqualTo(job.getMetadata().getName());
        assertThat(other.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()).anyMatch(e -> e.getName().equals("SHARDS") && "4".equals(e.getValue()));
    }

    @Test
    void theRenderedNetworkPolicyAdmitsTheDrainJobWhereItAdmitsTheCreationJob() {
        CliRun r = CliRun.of("render", "--profile", "analytics-cluster");
        assertThat(r.exit()).isZero();
        // The creation Job's policy selects the drain Job's pods too, and Redis admits them on 6379.
        assertThat(r.out()).contains("values:\n      - create-cluster\n      - drain-cluster\n      - restore");
        assertThat(r.out()).contains("app.kubernetes.io/component: drain-cluster");
    }

    @Test
    void refusesAProfileWithoutACluster() {
        CliRun sentinel = CliRun.of("drain", "--profile", "airflow");
        assertThat(sentinel.exit()).isEqualTo(2);
        assertThat(sentinel.out()).isEmpty();
        assertThat(sentinel.err()).startsWith("redisgen: profile 'airflow' has no Redis Cluster deployment to drain\n");
        CliRun other = CliRun.of("drain", "--profile", "analytics-cluster", "--deployment", "nope");
        assertThat(other.exit()).isEqualTo(2);
        assertThat(other.err()).startsWith("redisgen: profile 'analytics-cluster' has no Redis Cluster deployment named 'nope'");
    }
}
