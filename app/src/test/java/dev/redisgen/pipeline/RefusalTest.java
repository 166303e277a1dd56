package dev.redisgen.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.redisgen.diag.Diagnostic;
import dev.redisgen.diag.InputException;
import dev.redisgen.diag.Severity;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every refusal of an impossible or unsafe topology: one error, its rule, its exact location in the profile,
 * the reason (citing how Redis or Kubernetes works) and the fix. Fixtures are named after the problem.
 */
class RefusalTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            sentinel-with-cluster.yaml          | topology-sections         | 8  | 5  | Sentinel does not manage Redis Cluster             | remove the `sentinel:` section
            quorum-above-sentinels.yaml         | quorum-range              | 8  | 15 | quorum 4 is above the 3 Sentinels                  | set `quorum: 2`
            quorum-not-majority.yaml            | quorum-range              | 9  | 15 | quorum 2 is not a majority of the 5 Sentinels      | set `quorum: 3`
            sentinel-monitors-service.yaml      | sentinel-monitors-pod     | 10 | 16 | a Service. Sentinel must monitor one concrete Redis pod | remove `monitor`
            sentinel-ip-with-proxy.yaml         | topology-sections         | 9  | 16 | they answer a pod IP                               | set `sentinel.address: hostname`
            maxmemory-at-limit.yaml             | maxmemory-headroom        | 8  | 18 | at or above the container's memory limit 512Mi     | set `maxmemory: 384mb`
            broker-evicts.yaml                  | eviction-policy           | 10 | 24 | is a broker but evicts keys with allkeys-lru       | set `maxmemoryPolicy: noeviction`
            limitrange-ratio.yaml               | limit-range               | 11 | 67 | cpu limit/request ratio 500m/100m = 5 is above the LimitRange maxLimitRequestRatio 4 | limit ≤ 4 × request
            quota-exceeded.yaml                 | resource-quota            | 5  | 18 | need requests.cpu 12100m at their peak             | raise the quota's requests.cpu to at least 12100m
            standalone-two-replicas.yaml        | topology-shape            | 6  | 15 | a standalone Redis is one pod                      | remove `replicas`
            cluster-two-shards.yaml             | topology-shape            | 8  | 15 | Redis Cluster needs at least 3 masters             | set `cluster.shards: 3` or more
            sentinel-two-redis-pods.yaml        | topology-shape            | 8  | 15 | the promoted master has no replica: it takes writes only degraded | set `replicas: 3`
            pdb-blocks-drain.yaml               | disruption-budget         | 8  | 21 | allows no pod of 6 to be evicted                   | set `minAvailable: 5` or less
            monitoring-without-exporter.yaml    | monitoring-needs-exporter | 7  | 5  | has no exporter                                    | add `exporter: {}`
            acl-users-share-a-key.yaml          | acl-users                 | 10 | 33 | two users with one password are one user           | give each user a key of its own in Secret redis-auth
            acl-users-reserved-name.yaml        | acl-users                 | 10 | 28 | is one of the users redisgen defines               | name the application user after the application
            """)
    void refused(String fixture, String rule, int line, int column, String reason, String fix) {
        String file = "app/src/test/resources/profiles/refused/" + fixture;
        InputException e = catchThrowableOfType(InputException.class, () -> Pipeline.render(file));
        assertThat(e).as("refused").isNotNull();
        Diagnostic first = e.diagnostics().get(0);
        assertThat(first.severity()).isEqualTo(Severity.ERROR);
        assertThat(first.ruleId()).isEqualTo(rule);
        assertThat(first.location().file()).isEqualTo(file);
        assertThat(first.location().line()).isEqualTo(line);
        assertThat(first.location().column()).isEqualTo(column);
        assertThat(first.message()).contains(reason);
        assertThat(first.fix()).contains(fix);
        assertThat(first.format()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    /** Seed 001's first "challenge": exporter sidecars at 50m/64Mi under a 100m/128Mi LimitRange minimum. */
    @org.junit.jupiter.api.Test
    void seed001ExporterSidecarsBelowLimitRangeMinimum() {
        String file = "app/src/test/resources/profiles/refused/exporter-below-limitrange-min.yaml";
        InputException e = catchThrowableOfType(InputException.class, () -> Pipeline.render(file));
        List<String> lines = e.diagnostics().stream().map(Diagnostic::format).toList();
        assertThat(lines).containsExactly(
                file + ":15:34: error[limit-range]: container 'redis-exporter' of StatefulSet redis: cpu request 50m is below the"
                        + " LimitRange minimum 100m of namespace jewelry-shop; the API server rejects the pod\n"
                        + "  fix: raise `exporter.requests.cpu` to at least 100m",
                file + ":15:47: error[limit-range]: container 'redis-exporter' of StatefulSet redis: memory request 64Mi is below the"
                        + " LimitRange minimum 128Mi of namespace jewelry-shop; the API server rejects the pod\n"
                        + "  fix: raise `exporter.requests.memory` to at least 128Mi");
    }
}
