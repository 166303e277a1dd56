package dev.redisgen.drill;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON of a report is what the unprivileged drill hands back from its user namespace: nothing may be lost. */
class DrillReportTest {

    static final DrillReport REPORT = new DrillReport("gateway-ha", "system sh (dash)", List.of(
            new ScenarioResult("redis", Scenario.BOOTSTRAP, 1, 10.5, 60, 3914, 3909, 0, 0, 0, true, true, ""),
            new ScenarioResult("redis", Scenario.MASTER_PRESTOP, 2, 1.413, 8, 5301, 5288, 0, 3, 0, true, true,
                    "a \"quoted\" note; ünïcode", 1.5, new ScenarioResult.Client(2.345, 4000, 0, 7, 2)),
            new ScenarioResult("redis", Scenario.MASTER_KILL, 2, 6.2, 8, 5301, 5288, 0, 3, 0, true, false, "", 31.0,
                    new ScenarioResult.Client(null, 10, 1, 0, 0)),
            new ScenarioResult("redis", Scenario.PARTITION, 3, null, 8, 10, 9, 1, 0, 2, false, false, "not settled")),
            List.of("Deployment redis-proxy: HAProxy is not run"), List.of("note one", "note two"), null);

    @Test
    void jsonRoundTripKeepsEveryField() throws Exception {
        DrillReport back = DrillReport.fromJson(REPORT.toJson());

        assertThat(back).isEqualTo(REPORT);
        assertThat(back.toJson()).isEqualTo(REPORT.toJson());
        assertThat(back.exitCode()).isEqualTo(1);
    }

    @Test
    void anUnavailableReportRoundTrips() throws Exception {
        DrillReport r = new DrillReport("airflow", "busybox sh", List.of(), List.of(), List.of(), "redis-server (apt-get install ...)");

        DrillReport back = DrillReport.fromJson(r.toJson());

        assertThat(back).isEqualTo(r);
        assertThat(back.table()).contains("cannot run: redis-server");
    }
}
