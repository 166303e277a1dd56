package dev.redisgen.render;

import dev.redisgen.plan.RedisPlan;
import java.util.Map;
import java.util.TreeMap;

/**
 * Selector and identity labels. Selectors use only instance and component: they are immutable on a
 * StatefulSet, so they must never depend on anything a profile edit could change.
 */
final class Labels {
    static final String NAME = "app.kubernetes.io/name";
    static final String INSTANCE = "app.kubernetes.io/instance";
    static final String COMPONENT = "app.kubernetes.io/component";
    static final String PART_OF = "app.kubernetes.io/part-of";
    static final String MANAGED_BY = "app.kubernetes.io/managed-by";

    private Labels() {
    }

    static Map<String, String> selector(RedisPlan d, String component) {
        Map<String, String> m = new TreeMap<>();
        m.put(INSTANCE, d.name());
        m.put(COMPONENT, component);
        return m;
    }

    /** Labels on objects and pod templates of a component; decorators add part-of and managed-by. */
    static Map<String, String> of(RedisPlan d, String component) {
        Map<String, String> m = selector(d, component);
        m.put(NAME, appName(component));
        return m;
    }

    /** The app a component runs: Redis and Sentinel pods are both "redis" (one metrics Service selects both). */
    static String appName(String component) {
        return switch (component) {
            case "proxy" -> "haproxy";
            // Job pods run redis-cli but serve nothing; a distinct name keeps them out of the metrics Service.
            case "backup", "create-cluster", "drain-cluster", "restore" -> "redis-job";
            default -> "redis";
        };
    }

    /** Pods whose exporters the metrics Service and ServiceMonitor cover. */
    static Map<String, String> metricsSelector(RedisPlan d) {
        Map<String, String> m = new TreeMap<>();
        m.put(INSTANCE, d.name());
        m.put(NAME, "redis");
        return m;
    }
}
