package dev.redisgen.conf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.redisgen.conf.MonitoringAssets.AlertRule;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

class MonitoringAssetsTest {

    static final String SELECTOR = "namespace=\"redis-system\",service=\"redis-cluster-metrics\"";
    /** Metric names Prometheus writes itself for every scrape target, not the exporter. */
    static final Set<String> PROMETHEUS_SYNTHETIC = Set.of("up");
    static final ObjectMapper JSON = new ObjectMapper();

    // ---------------------------------------------------------------- structure

    @Test
    void rulesCoverTheSeedAlertsWithTheirSeverities() {
        Map<String, String> sev = new LinkedHashMap<>();
        MonitoringAssets.templates().forEach(r -> sev.put(r.alert(), r.severity()));
        // seed 003 "Critical Alerts"
        assertThat(sev).containsEntry("RedisClusterStateNotOk", "critical")
                .containsEntry("RedisDown", "critical")
                .containsEntry("RedisMemoryCritical", "critical")
                .containsEntry("RedisNoReplicasConnected", "critical")
                .containsEntry("RedisReplicationLinkDown", "critical")
                .containsEntry("RedisMemoryHigh", "warning")
                .containsEntry("RedisHighKeyEvictionRate", "warning")
                .containsEntry("RedisSlowQueries", "warning");
        assertThat(sev).hasSizeGreaterThanOrEqualTo(15);
        assertThat(MonitoringAssets.templates().stream()
                .filter(r -> r.alert().equals("RedisDown")).findFirst().orElseThrow().forDuration()).isEqualTo("5m");
    }

    @Test
    void alertsFilterByTopologyKeepFileOrderAndInjectTheSelector() {
        List<AlertRule> all = MonitoringAssets.templates();
        for (String topology : MonitoringAssets.TOPOLOGIES) {
            List<AlertRule> rules = MonitoringAssets.alerts(topology, SELECTOR);
            List<String> expected = all.stream().filter(r -> r.topologies().contains(topology))
                    .map(AlertRule::alert).toList();
            assertThat(rules).extracting(AlertRule::alert).containsExactlyElementsOf(expected);
            for (AlertRule r : rules) {
                assertThat(r.expr()).doesNotContain("{{").contains("{" + SELECTOR);
            }
        }
        assertThat(alertNames("cluster")).contains("RedisClusterStateNotOk").doesNotContain("RedisSentinelQuorumLost");
        assertThat(alertNames("sentinel")).contains("RedisSentinelQuorumLost", "RedisNoReplicasConnected")
                .doesNotContain("RedisClusterStateNotOk");
        assertThat(alertNames("standalone")).contains("RedisDown", "RedisMemoryCritical")
                .doesNotContain("RedisNoReplicasConnected", "RedisReplicationLinkDown", "RedisClusterStateNotOk");
        assertThat(MonitoringAssets.alerts("cluster", SELECTOR).get(0).expr())
                .isEqualTo("redis_up{" + SELECTOR + "} == 0");
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> MonitoringAssets.alerts("replicated", SELECTOR))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MonitoringAssets.alerts("cluster", " "))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MonitoringAssets.alerts("cluster", "{namespace=\"x\"}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MonitoringAssets.dashboard("t", "has space"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MonitoringAssets.parse("- alert: X\n  expr: 'up{{{selector}}}'\n  for: 5m\n"
                + "  severity: page\n  summary: s\n  description: d\n  topologies: [cluster]\n"))
                .hasMessageContaining("severity");
        assertThatThrownBy(() -> MonitoringAssets.parse("- alert: X\n  expr: 'up == 0'\n  for: 5m\n"
                + "  severity: warning\n  summary: s\n  description: d\n  topologies: [cluster]\n"))
                .hasMessageContaining("{{selector}}");
    }

    /** Every metric reference in every rule is scoped by the placeholder, so no alert spans deployments. */
    @Test
    void everyVectorSelectorCarriesThePlaceholder() {
        for (AlertRule r : MonitoringAssets.templates()) {
            String expr = r.expr().replace(MonitoringAssets.SELECTOR_PLACEHOLDER, "__SEL__");
            List<String> refs = metricRefs(expr);
            int scoped = count(Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*\\{__SEL__[,}]"), expr);
            assertThat(refs).as(r.alert()).isNotEmpty();
            assertThat(scoped).as(r.alert() + ": " + refs).isEqualTo(refs.size())
                    .isEqualTo(count(Pattern.compile("__SEL__"), expr));
        }
    }

    @Test
    void metricRefsParser() {
        assertThat(metricRefs("count by (namespace, master_name) (last_over_time(redis_sentinel_master_status{a=\"b\"}[15m])) > 1"))
                .containsExactly("redis_sentinel_master_status");
        assertThat(metricRefs("redis_connected_slaves{x=\"1\"} == 0 and on (instance) redis_instance_info{role=\"master\"}"))
                .containsExactly("redis_connected_slaves", "redis_instance_info");
        assertThat(metricRefs("time() - redis_rdb_last_save_timestamp_seconds{a=~\"$b\"}"))
                .containsExactly("redis_rdb_last_save_timestamp_seconds");
    }

    @Test
    void dashboardIsDeterministicJsonWithTheSeedPanels() throws IOException {
        String template = MonitoringAssets.dashboardTemplate();
        assertThat(template).contains("\"title\": \"{{title}}\"", "\"uid\": \"{{uid}}\"")
                .doesNotContain("\t").endsWith("}\n");
        JSON.readTree(template); // placeholders sit inside strings: the stored file is valid JSON too

        String uid = MonitoringAssets.dashboardUid("redis-system/redis-cluster");
        assertThat(uid).isEqualTo(MonitoringAssets.dashboardUid("redis-system/redis-cluster"))
                .startsWith("redisgen-").hasSizeLessThanOrEqualTo(40)
                .isNotEqualTo(MonitoringAssets.dashboardUid("airflow/redis"));
        String text = MonitoringAssets.dashboard("Redis \"cluster\" {{uid}}", uid);
        JsonNode d = JSON.readTree(text);
        assertThat(d.get("title").asText()).isEqualTo("Redis \"cluster\" {{uid}}");
        assertThat(d.get("uid").asText()).isEqualTo(uid);
        assertThat(d.get("schemaVersion").asInt()).isBetween(36, 41);
        assertThat(d.get("panels")).hasSize(8);
        List<String> titles = new ArrayList<>();
        d.get("panels").forEach(p -> titles.add(p.get("title").asText()));
        assertThat(titles).containsExactly("Cluster health", "Memory", "Performance", "Connections",
                "Persistence", "Replication", "Network I/O", "Keys");
        List<String> vars = new ArrayList<>();
        d.get("templating").get("list").forEach(v -> vars.add(v.get("name").asText()));
        assertThat(vars).containsExactly("DS_PROMETHEUS", "namespace", "service", "instance");
        for (JsonNode p : d.get("panels")) {
            assertThat(p.get("datasource").get("uid").asText()).isEqualTo("${DS_PROMETHEUS}");
            assertThat(p.get("targets")).isNotEmpty();
            for (JsonNode t : p.get("targets")) {
                assertThat(t.get("expr").asText()).as(p.get("title").asText())
                        .contains("namespace=\"$namespace\",service=~\"$service\",instance=~\"$instance\"");
            }
        }
        // fixed text: 2-space indentation, no timestamps
        assertThat(template.lines()).allMatch(line -> (line.length() - line.stripLeading().length()) % 2 == 0);
        assertThat(template).doesNotContainPattern("\"(timestamp|created|updated)\"")
                .doesNotContainPattern("\\d{4}-\\d{2}-\\d{2}T");
    }

    // ---------------------------------------------------------------- promtool

    @Test
    void promtoolChecksEveryTopologysRulesAndTheDashboardQueries(@TempDir Path tmp) throws Exception {
        String promtool = requireBinary("promtool");
        List<String> cmd = new ArrayList<>(List.of(promtool, "check", "rules"));
        for (String topology : MonitoringAssets.TOPOLOGIES) {
            Path f = tmp.resolve("rules-" + topology + ".yaml");
            Files.writeString(f, ruleFile(topology, MonitoringAssets.alerts(topology, SELECTOR), true));
            cmd.add(f.toString());
        }
        // The dashboard's queries, Grafana variables replaced by values, as recording rules.
        Path dash = tmp.resolve("dashboard-queries.yaml");
        Files.writeString(dash, dashboardQueriesAsRecordingRules());
        cmd.add(dash.toString());
        Result r = run(tmp, cmd, 30);
        assertThat(r.code).as(r.output).isZero();
        assertThat(r.output).doesNotContain("FAILED");
    }

    @Test
    void promtoolUnitTestsForDownMemoryReplicaAndSentinelAlerts(@TempDir Path tmp) throws Exception {
        String promtool = requireBinary("promtool");
        String sel = "namespace=\"redis-system\",service=\"redis-metrics\"";
        Files.writeString(tmp.resolve("cluster.yaml"), ruleFile("cluster", MonitoringAssets.alerts("cluster", sel), false));
        Files.writeString(tmp.resolve("sentinel.yaml"), ruleFile("sentinel", MonitoringAssets.alerts("sentinel", sel), false));
        String l = "namespace=\"redis-system\",service=\"redis-metrics\"";
        String test = """
                rule_files: [cluster.yaml]
                evaluation_interval: 1m
                tests:
                  - interval: 1m
                    input_series:
                      - series: 'redis_up{L,instance="a:9121"}'
                        values: '1 1 0x12'
                      - series: 'redis_up{L,instance="b:9121"}'
                        values: '1 0 0 1 0 0 1x10'
                      - series: 'redis_up{namespace="other",service="redis-metrics",instance="c:9121"}'
                        values: '0x14'
                      - series: 'redis_memory_used_bytes{L,instance="a:9121"}'
                        values: '96x14'
                      - series: 'redis_memory_max_bytes{L,instance="a:9121"}'
                        values: '100x14'
                      - series: 'redis_memory_used_bytes{L,instance="b:9121"}'
                        values: '91x14'
                      - series: 'redis_memory_max_bytes{L,instance="b:9121"}'
                        values: '100x14'
                      - series: 'redis_memory_used_bytes{L,instance="c:9121"}'
                        values: '5000x14'
                      - series: 'redis_memory_max_bytes{L,instance="c:9121"}'
                        values: '0x14'
                      - series: 'redis_connected_slaves{L,instance="a:9121"}'
                        values: '0x14'
                      - series: 'redis_instance_info{L,instance="a:9121",role="master",run_id="x"}'
                        values: '1x14'
                      - series: 'redis_connected_slaves{L,instance="b:9121"}'
                        values: '0x14'
                      - series: 'redis_instance_info{L,instance="b:9121",role="slave",run_id="y"}'
                        values: '1x14'
                      - series: 'redis_connected_slaves{L,instance="c:9121"}'
                        values: '1x14'
                      - series: 'redis_instance_info{L,instance="c:9121",role="master",run_id="z"}'
                        values: '1x14'
                    alert_rule_test:
                      - eval_time: 6m
                        alertname: RedisDown
                        exp_alerts: []
                      - eval_time: 8m
                        alertname: RedisDown
                        exp_alerts:
                          - exp_labels: {severity: critical, L, instance: "a:9121"}
                      - eval_time: 10m
                        alertname: RedisMemoryCritical
                        exp_alerts:
                          - exp_labels: {severity: critical, L, instance: "a:9121"}
                      - eval_time: 10m
                        alertname: RedisMemoryHigh
                        exp_alerts:
                          - exp_labels: {severity: warning, L, instance: "a:9121"}
                          - exp_labels: {severity: warning, L, instance: "b:9121"}
                      - eval_time: 10m
                        alertname: RedisNoReplicasConnected
                        exp_alerts:
                          - exp_labels: {severity: critical, L, instance: "a:9121"}
                """.replace("{L,", "{" + l + ",").replace(", L,", ", namespace: redis-system, service: redis-metrics,");
        Files.writeString(tmp.resolve("cluster-test.yaml"), test);
        String sentinelTest = """
                rule_files: [sentinel.yaml]
                evaluation_interval: 1m
                tests:
                  - interval: 1m
                    input_series:
                      - series: 'redis_sentinel_master_status{L,instance="s0:9355",master_name="mymaster",master_address="redis-0.redis-headless:6379",master_status="ok"}'
                        values: '1x5 _x20'
                      - series: 'redis_sentinel_master_status{L,instance="s0:9355",master_name="mymaster",master_address="redis-1.redis-headless:6379",master_status="ok"}'
                        values: '_x6 1x20'
                      - series: 'redis_sentinel_master_ckquorum_status{L,instance="s0:9355",master_name="mymaster",message="NOQUORUM 1 usable Sentinels"}'
                        values: '1 1 0x20'
                      - series: 'redis_instance_info{L,instance="r0:9121",role="master",run_id="p"}'
                        values: '1x5 _x20'
                      - series: 'redis_instance_info{L,instance="r1:9121",role="master",run_id="q"}'
                        values: '_x3 1x20'
                    alert_rule_test:
                      - eval_time: 10m
                        alertname: RedisSentinelMasterChanged
                        exp_alerts:
                          - exp_labels: {severity: warning, namespace: redis-system, master_name: mymaster}
                      - eval_time: 25m
                        alertname: RedisSentinelMasterChanged
                        exp_alerts: []
                      - eval_time: 10m
                        alertname: RedisSentinelQuorumLost
                        exp_alerts:
                          - exp_labels: {severity: critical, L, instance: "s0:9355", master_name: mymaster, message: "NOQUORUM 1 usable Sentinels"}
                      - eval_time: 5m
                        alertname: RedisMultipleMasters
                        exp_alerts:
                          - exp_labels: {severity: critical, namespace: redis-system}
                      - eval_time: 12m
                        alertname: RedisMultipleMasters
                        exp_alerts: []
                      - eval_time: 12m
                        alertname: RedisNoMaster
                        exp_alerts: []
                """.replace("{L,", "{" + l + ",").replace(", L,", ", namespace: redis-system, service: redis-metrics,");
        Files.writeString(tmp.resolve("sentinel-test.yaml"), sentinelTest);
        Result r = run(tmp, List.of(promtool, "test", "rules", "cluster-test.yaml", "sentinel-test.yaml"), 30);
        assertThat(r.code).as(r.output).isZero();
    }

    // ---------------------------------------------------------------- real exporter

    /**
     * Scrapes a real redis_exporter pointed at real Redis processes and checks that every
     * metric name in the rules and the dashboard exists.
     *
     * <p>The exporter is Debian bookworm's prometheus-redis-exporter, 1.45.0, older than the
     * v1.55.0 image redisgen deploys. Metrics used here must therefore exist in 1.45.0; a
     * metric only a newer exporter serves fails this test instead of being accepted silently.
     * The version seen is printed and checked against {@code redis_exporter_build_info}.
     */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class AgainstRealExporter {
        final List<Process> processes = new ArrayList<>();
        /** scrape name -> metric names. */
        final Map<String, Set<String>> scrapes = new LinkedHashMap<>();
        String exporterVersion = "?";
        Path dir;

        @BeforeAll
        void startRedisesAndExporters() throws Exception {
            String redisServer = requireBinary("redis-server");
            String exporter = requireBinary("prometheus-redis-exporter");
            dir = Files.createTempDirectory("redisgen-monitoring");
            try {
                int master = freePort(false), replica = freePort(false), sentinel = freePort(false);
                int clusterA = freePort(true), clusterB = freePort(true);
                start("master", redisServer, "--port", "" + master, "--bind", "127.0.0.1", "--save", "",
                        "--appendonly", "yes", "--maxmemory", "64mb", "--dir", mkdir("master"));
                start("replica", redisServer, "--port", "" + replica, "--bind", "127.0.0.1", "--save", "",
                        "--dir", mkdir("replica"), "--replicaof", "127.0.0.1", "" + master);
                Path sconf = dir.resolve("sentinel.conf");
                Files.writeString(sconf, "port " + sentinel + "\nbind 127.0.0.1\ndir " + mkdir("sentinel") + "\n"
                        + "sentinel monitor mymaster 127.0.0.1 " + master + " 1\n"
                        + "sentinel down-after-milliseconds mymaster 5000\n");
                start("sentinel", redisServer, sconf.toString(), "--sentinel");
                for (int[] c : new int[][] {{clusterA, 'a'}, {clusterB, 'b'}}) {
                    String d = mkdir("cluster-" + (char) c[1]);
                    start("cluster-" + (char) c[1], redisServer, "--port", "" + c[0], "--bind", "127.0.0.1",
                            "--save", "", "--appendonly", "yes", "--dir", d, "--cluster-enabled", "yes",
                            "--cluster-config-file", d + "/nodes.conf");
                }
                for (int p : new int[] {master, replica, sentinel, clusterA, clusterB}) {
                    int port = p;
                    waitFor("redis on " + port, () -> "PONG".equals(tryCmd(port, "PING")));
                }
                // A two-node Redis Cluster: A serves all slots, B replicates A.
                assertThat(cmd(clusterA, "CLUSTER", "ADDSLOTSRANGE", "0", "16383")).isEqualTo("OK");
                String idA = cmd(clusterA, "CLUSTER", "MYID");
                assertThat(cmd(clusterB, "CLUSTER", "MEET", "127.0.0.1", "" + clusterA)).isEqualTo("OK");
                waitFor("cluster meet", () -> {
                    String nodes = tryCmd(clusterB, "CLUSTER", "NODES");
                    return nodes != null && nodes.contains(idA) && !nodes.contains("handshake");
                });
                waitFor("cluster replicate", () -> "OK".equals(tryCmd(clusterB, "CLUSTER", "REPLICATE", idA)));
                waitFor("replicas attached", () -> info(master).contains("connected_slaves:1")
                        && info(clusterA).contains("connected_slaves:1")
                        && info(replica).contains("role:slave") && info(clusterB).contains("role:slave"));

                Map<String, Integer> targets = new LinkedHashMap<>();
                targets.put("master", master);
                targets.put("replica", replica);
                targets.put("sentinel", sentinel);
                targets.put("cluster-a", clusterA);
                targets.put("cluster-b", clusterB);
                Map<String, Integer> web = new LinkedHashMap<>();
                for (var t : targets.entrySet()) {
                    int w = freePort(false);
                    web.put(t.getKey(), w);
                    start("exporter-" + t.getKey(), exporter, "--redis.addr", "redis://127.0.0.1:" + t.getValue(),
                            "--web.listen-address", "127.0.0.1:" + w);
                }
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
                for (var w : web.entrySet()) {
                    String[] body = new String[1];
                    waitFor("exporter " + w.getKey(), () -> {
                        body[0] = scrape(http, w.getValue());
                        return body[0] != null && body[0].contains("redis_up 1");
                    });
                    scrapes.put(w.getKey(), metricNamesOf(body[0]));
                    Matcher m = Pattern.compile("redis_exporter_build_info\\{[^}]*version=\"([^\"]+)\"").matcher(body[0]);
                    if (m.find()) {
                        exporterVersion = m.group(1);
                    }
                }
                System.out.println("[MonitoringAssetsTest] scraped redis_exporter " + exporterVersion
                        + " (deployed image is v1.55.0): " + scrapes.keySet());
            } catch (Throwable t) {
                stopAll();
                throw t;
            }
        }

        @AfterAll
        void stopAll() {
            for (Process p : processes) {
                p.destroy();
            }
            for (Process p : processes) {
                try {
                    if (!p.waitFor(3, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    p.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
            processes.clear();
            if (dir != null) {
                try (var paths = Files.walk(dir)) {
                    paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException e) {
                    // best effort: a temp dir
                }
            }
        }

        @Test
        void everyRuleMetricIsServedByTheExporter() {
            Map<String, List<String>> scrapesFor = Map.of(
                    "standalone", List.of("master"),
                    "sentinel", List.of("master", "replica", "sentinel"),
                    "cluster", List.of("cluster-a", "cluster-b"));
            List<String> missing = new ArrayList<>();
            Set<String> checked = new TreeSet<>();
            for (String topology : MonitoringAssets.TOPOLOGIES) {
                Set<String> served = new TreeSet<>();
                scrapesFor.get(topology).forEach(s -> served.addAll(scrapes.get(s)));
                for (AlertRule r : MonitoringAssets.alerts(topology, SELECTOR)) {
                    for (String metric : metricRefs(r.expr())) {
                        checked.add(metric);
                        if (!served.contains(metric) && !PROMETHEUS_SYNTHETIC.contains(metric)) {
                            missing.add(topology + "/" + r.alert() + ": " + metric);
                        }
                    }
                }
            }
            assertThat(missing).as("metrics not served by redis_exporter " + exporterVersion).isEmpty();
            assertThat(checked).contains("redis_cluster_state", "redis_sentinel_master_ckquorum_status",
                    "redis_master_link_up", "redis_connected_slaves");
        }

        @Test
        void everyDashboardMetricIsServedByTheExporter() throws IOException {
            Set<String> served = new TreeSet<>();
            scrapes.values().forEach(served::addAll);
            List<String> missing = new ArrayList<>();
            for (String expr : dashboardExprs()) {
                for (String metric : metricRefs(expr)) {
                    if (!served.contains(metric)) {
                        missing.add(metric + " in " + expr);
                    }
                }
            }
            assertThat(missing).as("metrics not served by redis_exporter " + exporterVersion).isEmpty();
        }

        @Test
        void exporterIsTheVersionTheCommentsTalkAbout() {
            // If the installed exporter changes, re-check the "1.45.0" notes in alerts.yaml and here.
            assertThat(exporterVersion).isNotEqualTo("?");
            System.out.println("[MonitoringAssetsTest] exporter version " + exporterVersion);
        }

        private String mkdir(String name) throws IOException {
            return Files.createDirectories(dir.resolve(name)).toString();
        }

        private void start(String name, String... command) throws IOException {
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve(name + ".log").toFile());
            processes.add(pb.start());
        }

        private String info(int port) {
            String s = tryCmd(port, "INFO", "replication");
            return s == null ? "" : s;
        }

        private String scrape(HttpClient http, int port) {
            try {
                HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                return res.statusCode() == 200 ? res.body() : null;
            } catch (IOException e) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    static List<String> alertNames(String topology) {
        return MonitoringAssets.alerts(topology, SELECTOR).stream().map(AlertRule::alert).toList();
    }

    static int count(Pattern p, String s) {
        Matcher m = p.matcher(s);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static final Pattern STRINGS = Pattern.compile("\"(\\\\.|[^\"\\\\])*\"|'(\\\\.|[^'\\\\])*'|`[^`]*`");
    private static final Pattern GROUPING =
            Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENT = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*(\\s*\\()?");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without",
            "on", "ignoring", "group_left", "group_right", "inf", "nan", "atan2");

    /** Metric names referenced by a PromQL expression, in order, with repeats. */
    static List<String> metricRefs(String expr) {
        String s = STRINGS.matcher(expr).replaceAll("\"\"");
        s = s.replaceAll("\\{[^}]*\\}", " ");
        s = s.replaceAll("\\[[^\\]]*\\]", " ");
        s = GROUPING.matcher(s).replaceAll(" ");
        List<String> out = new ArrayList<>();
        Matcher m = IDENT.matcher(s);
        while (m.find()) {
            if (m.group(1) != null) {
                continue; // function or aggregation
            }
            if (m.start() > 0 && Character.isDigit(s.charAt(m.start() - 1))) {
                continue; // 1e3, 5m
            }
            String id = m.group();
            if (!KEYWORDS.contains(id.toLowerCase())) {
                out.add(id);
            }
        }
        return out;
    }

    /** A Prometheus rule file (what a PrometheusRule's spec holds) for one topology. */
    static String ruleFile(String topology, List<AlertRule> rules, boolean annotations) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (AlertRule r : rules) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("alert", r.alert());
            m.put("expr", r.expr());
            m.put("for", r.forDuration());
            m.put("labels", Map.of("severity", r.severity()));
            if (annotations) {
                Map<String, Object> a = new LinkedHashMap<>();
                a.put("summary", r.summary());
                a.put("description", r.description());
                m.put("annotations", a);
            }
            out.add(m);
        }
        Map<String, Object> group = new LinkedHashMap<>();
        group.put("name", "redisgen-" + topology);
        group.put("rules", out);
        return yaml().dump(Map.of("groups", List.of(group)));
    }

    static List<String> dashboardExprs() throws IOException {
        JsonNode d = JSON.readTree(MonitoringAssets.dashboard("t", "u"));
        List<String> exprs = new ArrayList<>();
        for (JsonNode p : d.get("panels")) {
            for (JsonNode t : p.get("targets")) {
                exprs.add(t.get("expr").asText());
            }
        }
        for (JsonNode v : d.get("templating").get("list")) {
            if (v.has("definition")) {
                Matcher m = Pattern.compile("label_values\\((.*), *[a-z_]+\\)").matcher(v.get("definition").asText());
                assertThat(m.matches()).as(v.toString()).isTrue();
                exprs.add(m.group(1));
            }
        }
        return exprs;
    }

    static String dashboardQueriesAsRecordingRules() throws IOException {
        List<Map<String, Object>> rules = new ArrayList<>();
        int i = 0;
        for (String expr : dashboardExprs()) {
            String e = expr.replace("$__rate_interval", "5m").replace("$namespace", "redis-system")
                    .replace("$service", ".+").replace("$instance", ".+");
            assertThat(e).doesNotContain("$");
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("record", "redisgen:dashboard_query:" + (i++));
            m.put("expr", e);
            rules.add(m);
        }
        return yaml().dump(Map.of("groups", List.of(Map.of("name", "redisgen-dashboard", "rules", rules))));
    }

    static Yaml yaml() {
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        o.setWidth(4096);
        return new Yaml(o);
    }

    static Set<String> metricNamesOf(String metricsText) {
        Set<String> names = new TreeSet<>();
        for (String line : metricsText.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int end = 0;
            while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
                end++;
            }
            names.add(line.substring(0, end));
        }
        return names;
    }

    /** Path of a binary on PATH; skips the test if absent, fails it when CI=true. */
    static String requireBinary(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            File f = new File(d, name);
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(name + " not on PATH (CI=true); install Debian's prometheus / prometheus-redis-exporter / redis-server");
        }
        Assumptions.abort(name + " not on PATH");
        return null;
    }

    record Result(int code, String output) {
    }

    static Result run(Path dir, List<String> command, int timeoutSeconds) throws Exception {
        Path log = Files.createTempFile(dir, "out", ".log");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                fail(command + " did not finish in " + timeoutSeconds + " s");
            }
            return new Result(p.exitValue(), Files.readString(log));
        } finally {
            p.destroyForcibly();
        }
    }

    static void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    /** A loopback port that is free now (and, for cluster nodes, whose bus port +10000 is free too). */
    static int freePort(boolean clusterBus) throws IOException {
        InetAddress lo = InetAddress.getLoopbackAddress();
        for (int i = 0; i < 50; i++) {
            try (ServerSocket s = new ServerSocket(0, 1, lo)) {
                int p = s.getLocalPort();
                if (!clusterBus) {
                    return p;
                }
                if (p + 10000 > 65535) {
                    continue;
                }
                try (ServerSocket bus = new ServerSocket(p + 10000, 1, lo)) {
                    return p;
                } catch (IOException busTaken) {
                    // try another
                }
            }
        }
        throw new IOException("no free loopback port");
    }

    static String tryCmd(int port, String... args) {
        try {
            return cmd(port, args);
        } catch (IOException e) {
            return null;
        }
    }

    /** One RESP command on a fresh loopback connection; the reply as text (errors throw). */
    static String cmd(int port, String... args) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            s.setSoTimeout(3000);
            OutputStream out = s.getOutputStream();
            StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
            for (String a : args) {
                b.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
            }
            out.write(b.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return readReply(new BufferedInputStream(s.getInputStream()));
        }
    }

    private static String readReply(InputStream in) throws IOException {
        String line = readLine(in);
        char type = line.charAt(0);
        String rest = line.substring(1);
        switch (type) {
            case '+', ':':
                return rest;
            case '-':
                throw new IOException("redis error: " + rest);
            case '$': {
                int n = Integer.parseInt(rest);
                if (n < 0) {
                    return null;
                }
                byte[] data = in.readNBytes(n + 2);
                return new String(data, 0, n, StandardCharsets.UTF_8);
            }
            case '*': {
                int n = Integer.parseInt(rest);
                List<String> items = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    items.add(readReply(in));
                }
                return String.join("\n", items);
            }
            default:
                throw new IOException("unexpected reply " + line);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\r') {
                in.read();
                break;
            }
            b.write(c);
        }
        if (c == -1 && b.size() == 0) {
            throw new IOException("connection closed");
        }
        return b.toString(StandardCharsets.UTF_8);
    }
}
