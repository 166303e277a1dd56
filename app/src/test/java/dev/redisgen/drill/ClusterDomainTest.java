package dev.redisgen.drill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisgen.pipeline.Pipeline;
import org.junit.jupiter.api.Test;

/**
 * The drill names its pods in the hosts file exactly as the rendered configs do, so a profile with its own
 * `clusterDomain` (issue 11: no more hard-coded cluster.local) still finds its pods.
 */
class ClusterDomainTest {

    @Test
    void theDrillTakesTheClusterDomainFromTheRenderedPods() {
        Topology t = Topology.of(Pipeline.render("app/src/test/resources/profiles/valid/scheduling-and-exposure.yaml").objects());
        Topology.Group g = t.groups().get(0);
        assertThat(g.redis().clusterDomain()).isEqualTo("corp.internal");
        assertThat(g.sentinels().clusterDomain()).isEqualTo("corp.internal");
    }

    @Test
    void theBuiltinsUseClusterLocal() {
        Topology t = Topology.of(Pipeline.render("airflow").objects());
        assertThat(t.groups().get(0).redis().clusterDomain()).isEqualTo("cluster.local");
    }
}
