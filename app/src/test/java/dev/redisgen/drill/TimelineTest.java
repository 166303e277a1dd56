package dev.redisgen.drill;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A failed drill round's timeline (Timeline.lines), from log lines of a real drill run. */
class TimelineTest {

    static final String SENTINEL = """
            09:42:24.100 1:X 05 Dec 2026 09:42:24.100 * Sentinel new configuration saved on disk
            09:42:28.586 1:X 05 Dec 2026 09:42:28.583 # +sdown master mymaster redis-2.redis-headless.jewelry-shop.svc.cluster.local 6379
            09:42:28.596 2026-12-05T09:42:28Z sentinel-notify[redis-sentinel-0]: master redis-2.redis-headless.jewelry-shop.svc.cluster.local:6379 is down for this Sentinel: fencing it
            09:42:28.930 1:X 05 Dec 2026 09:42:28.930 # +vote-for-leader 98bb449a9b9307d37c2b3d7c10d30c62d8de86d5 8
            09:42:29.740 1:X 05 Dec 2026 09:42:29.739 # +switch-master mymaster redis-2.redis-headless.jewelry-shop.svc.cluster.local 6379 redis-1.redis-headless.jewelry-shop.svc.cluster.local 6379
            09:43:40.000 1:X 05 Dec 2026 09:43:40.000 # +sdown slave redis-0.redis-headless.jewelry-shop.svc.cluster.local:6379
            """;
    static final String REDIS = """
            09:42:22.000 2026-12-05T09:42:22Z redis-start[redis-2]: decision: master (source: sentinels(3))
            09:42:24.730 2026-12-05T09:42:24Z redis-start[redis-2]: waiting (0 s): the sentinels(3) name this pod master
            09:42:29.947 2026-12-05T09:42:29Z redis-start[redis-2]: decision: replica of redis-1.redis-headless.jewelry-shop.svc.cluster.local:6379 (source: sentinels(3))
            09:42:29.976 1:C 05 Dec 2026 09:42:29.976 # Configuration loaded
            09:42:30.000 1:S 05 Dec 2026 09:42:30.000 * Connecting to MASTER redis-1.redis-headless.jewelry-shop.svc.cluster.local:6379
            09:42:30.100 1:S 05 Dec 2026 09:42:30.100 * MASTER <-> REPLICA sync: Finished with success
            not a drill line
            """;

    @Test
    void theRoundsEventsInTimeOrderRelativeToTheFault() {
        Map<String, String> logs = new LinkedHashMap<>();
        logs.put("redis-sentinel-0/sentinel", SENTINEL);
        logs.put("redis-2/redis", REDIS);
        List<String> lines = Timeline.lines(logs, SentinelDrill.TIMELINE, LocalTime.parse("09:42:23.500"), 8.0);
        assertThat(lines).containsExactly(
                "  +1.230 redis-2/redis redis-start[redis-2]: waiting (0 s): the sentinels(3) name this pod master",
                "  +5.086 redis-sentinel-0/sentinel # +sdown master mymaster redis-2 6379",
                "  +5.096 redis-sentinel-0/sentinel sentinel-notify[redis-sentinel-0]: master redis-2:6379 is down for this Sentinel: fencing it",
                "  +5.430 redis-sentinel-0/sentinel # +vote-for-leader 98bb449a9b9307d37c2b3d7c10d30c62d8de86d5 8",
                "  +6.240 redis-sentinel-0/sentinel # +switch-master mymaster redis-2 6379 redis-1 6379",
                "  +6.447 redis-2/redis redis-start[redis-2]: decision: replica of redis-1:6379 (source: sentinels(3))",
                "  +6.600 redis-2/redis * MASTER <-> REPLICA sync: Finished with success");
    }

    @Test
    void aFaultJustBeforeMidnightKeepsTheLinesAfterIt() {
        Map<String, String> logs = Map.of("redis-0/redis", "00:00:01.250 2026-12-06T00:00:01Z redis-start[redis-0]: decision: master\n");
        assertThat(Timeline.lines(logs, SentinelDrill.TIMELINE, LocalTime.parse("23:59:59.000"), 8.0))
                .containsExactly("  +2.250 redis-0/redis redis-start[redis-0]: decision: master");
    }

    @Test
    void aFaultJustAfterMidnightKeepsTheSecondBeforeIt() {
        Map<String, String> logs = Map.of("redis-0/redis", "23:59:59.800 2026-12-05T23:59:59Z redis-start[redis-0]: decision: master\n"
                + "23:59:58.000 2026-12-05T23:59:58Z redis-start[redis-0]: too early\n");
        assertThat(Timeline.lines(logs, SentinelDrill.TIMELINE, LocalTime.parse("00:00:00.300"), 8.0))
                .containsExactly("  -0.500 redis-0/redis redis-start[redis-0]: decision: master");
    }

    /** The cluster drill's filter (ClusterDrill.TIMELINE): failure detection, the election, the scripts; not the RDB chatter. */
    @Test
    void aClusterRoundsFailureDetectionElectionAndScripts() {
        Map<String, String> logs = new LinkedHashMap<>();
        logs.put("redis-cluster-0/redis", """
                11:50:41.000 1:M 05 Dec 2026 11:50:41.000 * Marking node 3a8c03b372bd5b42217e96c69e722923fcb8ddd6 as failing (quorum reached).
                11:50:41.002 1:M 05 Dec 2026 11:50:41.002 # Cluster state changed: fail
                11:50:41.500 1:M 05 Dec 2026 11:50:41.500 * RDB memory usage when created 1.2 Mb
                11:50:42.400 1:M 05 Dec 2026 11:50:42.400 # Failover auth granted to d92326d87d0a602d946d35ff36c0372e493e29f0 for epoch 11
                11:50:42.900 2026-12-05T11:50:42Z cluster-heal[redis-cluster-0]: a replica linked for 5s: CONFIG SET min-replicas-to-write 1
                """);
        logs.put("redis-cluster-4/redis", """
                11:50:41.100 1:S 05 Dec 2026 11:50:41.100 * FAIL message received from 0f1e2d3c4b5a69788796a5b4c3d2e1f001122334 about 3a8c03b372bd5b42217e96c69e722923fcb8ddd6
                11:50:41.101 1:S 05 Dec 2026 11:50:41.101 # Start of election delayed for 633 milliseconds (rank #0, offset 1362).
                11:50:42.390 1:S 05 Dec 2026 11:50:42.390 # Starting a failover election for epoch 11.
                11:50:42.410 1:S 05 Dec 2026 11:50:42.410 # Failover election won: I'm the new master.
                11:50:42.411 1:M 05 Dec 2026 11:50:42.411 # configEpoch set to 11 after successful failover
                11:50:42.415 1:M 05 Dec 2026 11:50:42.415 * Discarding previously cached master state.
                """);
        assertThat(Timeline.lines(logs, ClusterDrill.TIMELINE, LocalTime.parse("11:50:25.000"), 17.5)).containsExactly(
                " +16.000 redis-cluster-0/redis * Marking node 3a8c03b372bd5b42217e96c69e722923fcb8ddd6 as failing (quorum reached).",
                " +16.002 redis-cluster-0/redis # Cluster state changed: fail",
                " +16.100 redis-cluster-4/redis * FAIL message received from 0f1e2d3c4b5a69788796a5b4c3d2e1f001122334 about "
                        + "3a8c03b372bd5b42217e96c69e722923fcb8ddd6",
                " +16.101 redis-cluster-4/redis # Start of election delayed for 633 milliseconds (rank #0, offset 1362).",
                " +17.390 redis-cluster-4/redis # Starting a failover election for epoch 11.",
                " +17.400 redis-cluster-0/redis # Failover auth granted to d92326d87d0a602d946d35ff36c0372e493e29f0 for epoch 11",
                " +17.410 redis-cluster-4/redis # Failover election won: I'm the new master.",
                " +17.411 redis-cluster-4/redis # configEpoch set to 11 after successful failover",
                " +17.900 redis-cluster-0/redis cluster-heal[redis-cluster-0]: a replica linked for 5s: CONFIG SET min-replicas-to-write 1");
    }

    @Test
    void aFailedJobsMessageShowsItsFirstRunWholeThenHowTheOthersEnded() {
        String first = """
                00:51:01.336 2026-12-06T00:51:01Z cluster-create[redis-cluster-create-943ef92619-0]: waiting for every pod name to resolve
                00:51:06.265 2026-12-06T00:51:06Z cluster-create[redis-cluster-create-943ef92619-0]: pod 12 does not know pod 0's cluster yet: CLUSTER MEET 10.213.71.10 6379 16379 (to 10.213.71.26:6379)
                00:52:19.602 2026-12-06T00:52:19Z cluster-create[redis-cluster-create-943ef92619-0]: 4 masters hold slots, 5 wanted: exit 1 (the Job runs again and makes the missing shard(s))
                """;
        String again = "00:52:%s 2026-12-06T00:52:%sZ cluster-create[redis-cluster-create-943ef92619-0]: 4 masters hold slots, 5 wanted: exit 1\n";
        String other = "00:53:40.000 2026-12-06T00:53:40Z cluster-create[redis-cluster-create-943ef92619-0]: gave up after 600s waiting for x\n";
        List<String> runs = List.of(first, again.formatted("29.602", "29"), again.formatted("39.635", "39"), again.formatted("50.371", "50"), other,
                "", "00:54:00.000 x\n00:54:01.000 y\n");
        assertThat(ClusterDrill.jobStory(runs)).isEqualTo("run 1: 00:51:01.336 waiting for every pod name to resolve"
                + " | 00:51:06.265 pod 12 does not know pod 0's cluster yet: CLUSTER MEET 10.213.71.10 6379 16379 (to 10.213.71.26:6379)"
                + " | 00:52:19.602 4 masters hold slots, 5 wanted: exit 1 (the Job runs again and makes the missing shard(s))"
                + "; runs 2-4 each ended: 4 masters hold slots, 5 wanted: exit 1; run 5 ended: gave up after 600s waiting for x"
                + "; run 6 ended: (nothing logged); run 7: 00:54:00.000 x | 00:54:01.000 y");
        List<String> many = new java.util.ArrayList<>();
        for (int i = 0; i < 45; i++) {
            many.add("00:00:%02d.000 line %d".formatted(i, i));
        }
        String story = ClusterDrill.jobStory(List.of(String.join("\n", many)));
        assertThat(story).startsWith("run 1: 00:00:00.000 line 0 | ").contains("00:00:29.000 line 29 | [5 lines] | 00:00:35.000 line 35")
                .endsWith("00:00:44.000 line 44").doesNotContain("line 30 ");
    }
}
