package dev.redisgen.conf;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Monitoring assets shipped as resources: PrometheusRule alert definitions
 * ({@code redisgen/monitoring/alerts.yaml}) and a Grafana dashboard
 * ({@code redisgen/monitoring/dashboard.json}), both over the metric names of
 * oliver006/redis_exporter.
 *
 * <p><b>Alerts.</b> Every expression contains the placeholder {@value #SELECTOR_PLACEHOLDER}
 * inside each vector selector's braces; {@link #alerts(String, String)} replaces it with
 * a label-matcher list (e.g. {@code namespace="redis-system",service="redis-cluster-metrics"})
 * that scopes the alert to one deployment. The matcher must be non-empty, because
 * {@code redis_up{}} and {@code x{,role="master"}} are not valid PromQL, and it must select
 * the Redis and (for Sentinel) the Sentinel exporter targets of the deployment.
 *
 * <p><b>Dashboard.</b> The JSON holds two placeholders inside string values:
 * {@value #TITLE_PLACEHOLDER} and {@value #UID_PLACEHOLDER}. {@link #dashboard(String, String)}
 * replaces them (the title JSON-escaped, the uid checked against Grafana's uid rules).
 * Use {@link #dashboardUid(String)} to derive a stable uid from a fixed string such as
 * {@code namespace/name}. Everything else in the dashboard is fixed text: no timestamps,
 * no random ids. The Prometheus datasource is the dashboard variable {@code DS_PROMETHEUS}.
 */
public final class MonitoringAssets {

    public static final String SELECTOR_PLACEHOLDER = "{{selector}}";
    public static final String TITLE_PLACEHOLDER = "{{title}}";
    public static final String UID_PLACEHOLDER = "{{uid}}";
    public static final List<String> TOPOLOGIES = List.of("sentinel", "cluster", "standalone");
    public static final List<String> SEVERITIES = List.of("critical", "warning");

    static final String ALERTS_RESOURCE = "/redisgen/monitoring/alerts.yaml";
    static final String DASHBOARD_RESOURCE = "/redisgen/monitoring/dashboard.json";

    private static final List<String> KEYS =
            List.of("alert", "expr", "for", "severity", "summary", "description", "topologies");
    private static final Pattern ALERT_NAME = Pattern.compile("[A-Z][A-Za-z0-9]*");
    private static final Pattern DURATION = Pattern.compile("0|([0-9]+(ms|s|m|h|d|w|y))+");
    private static final Pattern GRAFANA_UID = Pattern.compile("[A-Za-z0-9_-]{1,40}");

    /** One alert rule; {@code expr} holds either the placeholder or the injected selector. */
    public record AlertRule(String alert, String expr, String forDuration, String severity,
                            String summary, String description, List<String> topologies) {
        public AlertRule {
            Objects.requireNonNull(alert, "alert");
            Objects.requireNonNull(expr, "expr");
            Objects.requireNonNull(forDuration, "forDuration");
            Objects.requireNonNull(severity, "severity");
            Objects.requireNonNull(summary, "summary");
            Objects.requireNonNull(description, "description");
            topologies = List.copyOf(topologies);
        }

        AlertRule withExpr(String newExpr) {
            return new AlertRule(alert, newExpr, forDuration, severity, summary, description, topologies);
        }
    }

    private MonitoringAssets() {
    }

    /** All rules in file order, with the {@value #SELECTOR_PLACEHOLDER} placeholder still in place. */
    public static List<AlertRule> templates() {
        return Holder.RULES;
    }

    /**
     * The rules that apply to {@code topology} (one of {@link #TOPOLOGIES}), in file order,
     * with {@value #SELECTOR_PLACEHOLDER} replaced by {@code selector}.
     */
    public static List<AlertRule> alerts(String topology, String selector) {
        if (!TOPOLOGIES.contains(topology)) {
            throw new IllegalArgumentException("unknown topology '" + topology + "', expected one of " + TOPOLOGIES);
        }
        if (selector == null || selector.isBlank()) {
            throw new IllegalArgumentException("selector must be a non-empty label matcher list");
        }
        String s = selector.strip();
        if (s.startsWith("{") || s.endsWith("}") || s.startsWith(",") || s.endsWith(",")) {
            throw new IllegalArgumentException(
                    "selector is the inside of a label matcher list, without braces or edge commas: " + selector);
        }
        List<AlertRule> out = new ArrayList<>();
        for (AlertRule r : Holder.RULES) {
            if (r.topologies().contains(topology)) {
                out.add(r.withExpr(r.expr().replace(SELECTOR_PLACEHOLDER, s)));
            }
        }
        return List.copyOf(out);
    }

    /** The dashboard JSON with its title and uid placeholders filled in. */
    public static String dashboard(String title, String uid) {
        Objects.requireNonNull(title, "title");
        if (uid == null || !GRAFANA_UID.matcher(uid).matches()) {
            throw new IllegalArgumentException("Grafana uid must match " + GRAFANA_UID + ": " + uid);
        }
        // uid first: a title that happens to contain "{{uid}}" stays literal.
        return dashboardTemplate()
                .replace(UID_PLACEHOLDER, uid)
                .replace(TITLE_PLACEHOLDER, jsonEscape(title));
    }

    /** The dashboard resource text as stored, placeholders included. */
    public static String dashboardTemplate() {
        return Dashboard.TEMPLATE;
    }

    /**
     * A stable Grafana uid derived from a fixed string (e.g. {@code "redis-system/redis-cluster"}):
     * {@code redisgen-} plus the first 24 hex digits of its SHA-256.
     */
    public static String dashboardUid(String key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return "redisgen-" + HexFormat.of().formatHex(d).substring(0, 24);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class Holder {
        static final List<AlertRule> RULES = parse(read(ALERTS_RESOURCE));
    }

    /** Read once per process, like the rules: every dashboard of a batch starts from it. */
    private static final class Dashboard {
        static final String TEMPLATE = read(DASHBOARD_RESOURCE);
    }

    static List<AlertRule> parse(String yamlText) {
        Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yamlText);
        if (!(root instanceof List<?> items)) {
            throw new IllegalStateException("alerts.yaml: top level must be a list of rules");
        }
        List<AlertRule> rules = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Object item : items) {
            if (!(item instanceof Map<?, ?> m)) {
                throw new IllegalStateException("alerts.yaml: every entry must be a mapping, got " + item);
            }
            for (Object k : m.keySet()) {
                if (!KEYS.contains(k)) {
                    throw new IllegalStateException("alerts.yaml: unknown key '" + k + "' in " + m.get("alert"));
                }
            }
            String alert = text(m, "alert", null);
            if (!ALERT_NAME.matcher(alert).matches() || !names.add(alert)) {
                throw new IllegalStateException("alerts.yaml: bad or duplicate alert name '" + alert + "'");
            }
            String expr = text(m, "expr", alert);
            if (!expr.contains(SELECTOR_PLACEHOLDER)) {
                throw new IllegalStateException("alerts.yaml: " + alert + ": expr lacks " + SELECTOR_PLACEHOLDER);
            }
            String forDuration = text(m, "for", alert);
            if (!DURATION.matcher(forDuration).matches()) {
                throw new IllegalStateException("alerts.yaml: " + alert + ": bad duration '" + forDuration + "'");
            }
            String severity = text(m, "severity", alert);
            if (!SEVERITIES.contains(severity)) {
                throw new IllegalStateException("alerts.yaml: " + alert + ": severity must be one of " + SEVERITIES);
            }
            if (!(m.get("topologies") instanceof List<?> tl) || tl.isEmpty()) {
                throw new IllegalStateException("alerts.yaml: " + alert + ": topologies must be a non-empty list");
            }
            List<String> topologies = new ArrayList<>();
            for (Object t : tl) {
                if (!TOPOLOGIES.contains(t) || topologies.contains(t)) {
                    throw new IllegalStateException("alerts.yaml: " + alert + ": bad topology '" + t + "'");
                }
                topologies.add((String) t);
            }
            rules.add(new AlertRule(alert, expr, forDuration, severity,
                    text(m, "summary", alert), text(m, "description", alert), topologies));
        }
        return List.copyOf(rules);
    }

    private static String text(Map<?, ?> m, String key, String alert) {
        Object v = m.get(key);
        if (!(v instanceof String s) || s.isBlank()) {
            throw new IllegalStateException("alerts.yaml: " + (alert == null ? "" : alert + ": ")
                    + "'" + key + "' must be a non-empty string, got " + v);
        }
        return s;
    }

    private static String read(String resource) {
        try (InputStream in = MonitoringAssets.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String jsonEscape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
