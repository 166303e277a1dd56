package dev.redisgen.profile;

import java.util.Map;

@Doc("Prometheus Operator and Grafana objects.")
public record MonitoringSpec(
        @Default("false") @Doc("Render a ServiceMonitor for the exporters.") boolean serviceMonitor,
        @Default("false") @Doc("Render a PrometheusRule with the alerts for this topology.") boolean prometheusRule,
        @Default("false") @Doc("Render a Grafana dashboard ConfigMap (label `grafana_dashboard: \"1\"`).") boolean dashboard,
        @Default("30s") @Doc("Scrape interval.") String interval,
        @Doc("Extra labels on the ServiceMonitor and PrometheusRule (e.g. the Prometheus `release` selector).") Map<String, String> labels) {
}
