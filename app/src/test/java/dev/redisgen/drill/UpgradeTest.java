package dev.redisgen.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.redisgen.pipeline.Pipeline;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Scenario upgrade's rules without a lab: what it compares, how it reads the rendered settings, what it refuses. */
class UpgradeTest {
    static final String V2 = "app/src/test/resources/drill/jewelry-shop-v2.yaml";

    static Topology topology(String profile) {
        return Topology.of(Pipeline.render(profile).objects());
    }

    @Test
    void theSettingsComparedAreTheOnesTheTwoVersionsRender() {
        Topology.Group v1 = topology("jewelry-shop").groups().get(0);
        Topology.Group v2 = topology(V2).groups().get(0);

        assertThat(Upgrade.redisSettings(Upgrade.file(v1.redis(), "redis.conf"))).containsEntry("maxmemory", "384mb")
                .containsEntry("save", "900 1 300 10 60 10000").containsEntry("appendonly", "yes").containsKey("min-replicas-max-lag");
        assertThat(Upgrade.redisSettings(Upgrade.file(v2.redis(), "redis.conf"))).containsEntry("maxmemory", "576mb");
        assertThat(Upgrade.sentinelSettings(Upgrade.file(v1.sentinels(), "sentinel.conf"), "mymaster")).isEqualTo(Map.of(
                "quorum", "2", "down-after-milliseconds", "5000", "failover-timeout", "30000", "parallel-syncs", "1"));
        assertThat(Upgrade.sentinelSettings(Upgrade.file(v2.sentinels(), "sentinel.conf"), "mymaster")).isEqualTo(Map.of(
                "quorum", "2", "down-after-milliseconds", "6000", "failover-timeout", "20000", "parallel-syncs", "2"));
        assertThat(Upgrade.unsupported(topology("jewelry-shop"), topology(V2))).isNull();
    }

    /** The co-located profile's next version (each Sentinel restarts with its Redis): a roll the drill accepts. */
    @Test
    void gatewayHaV2IsARollOfTheCoLocatedShape() {
        Topology.Group v2 = topology("app/src/test/resources/drill/gateway-ha-v2.yaml").groups().get(0);
        assertThat(v2.colocated()).isTrue();
        assertThat(Upgrade.redisSettings(Upgrade.file(v2.redis(), "redis.conf"))).containsEntry("maxmemory", "320mb");
        assertThat(Upgrade.sentinelSettings(Upgrade.file(v2.sentinels(), "sentinel.conf"), "gateway-master")).isEqualTo(Map.of(
                "quorum", "2", "down-after-milliseconds", "6000", "failover-timeout", "15000", "parallel-syncs", "2"));
        assertThat(Upgrade.unsupported(topology("gateway-ha"), topology("app/src/test/resources/drill/gateway-ha-v2.yaml"))).isNull();
    }

    @Test
    void memoryIsComparedInBytesAsRedisParsesIt() {
        assertThat(Upgrade.normalize("maxmemory", "576mb")).isEqualTo("603979776");
        assertThat(Upgrade.normalize("maxmemory", "603979776")).isEqualTo("603979776");
        assertThat(Upgrade.normalize("maxmemory", "1g")).isEqualTo("1000000000");
        assertThat(Upgrade.normalize("maxmemory", "1GB")).isEqualTo("1073741824");
        assertThat(Upgrade.normalize("maxmemory-policy", "noeviction")).isEqualTo("noeviction");
    }

    /** A Sentinel deployment's pod count may change (3 → 5 and back): the drill scales the StatefulSet as it rolls. */
    @Test
    void aSentinelScaleIsDrilled() {
        Topology v1 = topology("airflow");
        Topology v5 = topology(DrillTest.AIRFLOW_5);
        assertThat(v5.groups().get(0).redis().replicas()).isEqualTo(5);
        assertThat(v5.groups().get(0).colocated()).isTrue();
        assertThat(Upgrade.sentinelSettings(Upgrade.file(v5.groups().get(0).sentinels(), "sentinel.conf"), "mymaster"))
                .containsEntry("quorum", "3");
        assertThat(Upgrade.unsupported(v1, v5)).isNull();
        assertThat(Upgrade.unsupported(v5, v1)).isNull();
    }

    @Test
    void aScaleOrAnotherShapeIsNotARoll() {
        assertThat(Upgrade.unsupported(topology("gateway-ha"), topology("jewelry-shop")))
                .contains("no Sentinel deployment redis-gateway");
        assertThat(Upgrade.unsupported(topology("jewelry-shop"), topology("airflow")))
                .contains("co-located in one and separate in the other");
    }

    @Test
    void scenarioUpgradeNeedsATarget() {
        assertThat(DrillOptions.of("jewelry-shop").scenarios()).doesNotContain(Scenario.UPGRADE);
        assertThat(DrillOptions.of("jewelry-shop").withUpgradeTo(V2).scenarios()).contains(Scenario.UPGRADE);
        assertThat(DrillOptions.of("jewelry-shop").withUpgradeTo(V2).withScenarios(List.of(Scenario.UPGRADE)).scenarios())
                .containsExactly(Scenario.UPGRADE);
        assertThatThrownBy(() -> DrillOptions.of("jewelry-shop").withScenarios(List.of(Scenario.UPGRADE)))
                .hasMessageContaining("needs --upgrade-to");
        assertThat(Scenario.parse("15")).isEqualTo(Scenario.UPGRADE);
    }
}
