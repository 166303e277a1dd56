package dev.redisgen.render;

import dev.redisgen.conf.MonitoringAssets;
import dev.redisgen.plan.RedisPlan;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.openshift.api.model.monitoring.v1.Endpoint;
import io.fabric8.openshift.api.model.monitoring.v1.EndpointBuilder;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRuleBuilder;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;
import io.fabric8.openshift.api.model.monitoring.v1.RuleBuilder;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitorBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** ServiceMonitor over the metrics Service, and a PrometheusRule with the alerts for this topology. */
final class MonitoringRenderer {
    private MonitoringRenderer() {
    }

    static List<HasMetadata> render(RedisPlan d, String namespace) {
        List<HasMetadata> out = new ArrayList<>();
        if (d.exporter() == null) {
            return out;
        }
        Map<String, String> labels = new TreeMap<>(Labels.of(d, "metrics"));
        labels.putAll(d.monitoring().labels());
        if (d.monitoring().serviceMonitor()) {
            List<Endpoint> endpoints = new ArrayList<>();
            endpoints.add(new EndpointBuilder().withPort(Ports.METRICS).withInterval(d.monitoring().interval()).build());
            if (d.sentinel() != null) {
                endpoints.add(new EndpointBuilder().withPort(Ports.SENTINEL_METRICS).withInterval(d.monitoring().interval()).build());
            }
            out.add(new ServiceMonitorBuilder()
                    .withNewMetadata().withName(d.name()).withNamespace(namespace).withLabels(labels).endMetadata()
                    .withNewSpec()
                    .withNewSelector().withMatchLabels(Labels.selector(d, "metrics")).endSelector()
                    .withNewNamespaceSelector().withMatchNames(namespace).endNamespaceSelector()
                    .withEndpoints(endpoints)
                    .endSpec()
                    .build());
        }
        if (d.monitoring().prometheusRule()) {
            // Prometheus Operator adds namespace and service target labels: this selector scopes every alert
            // to this deployment's exporters (a second Redis in the namespace is not confused with it).
            String selector = "namespace=\"" + namespace + "\",service=\"" + d.names().metrics() + "\"";
            String topology = d.topology().name().toLowerCase(Locale.ROOT);
            List<Rule> rules = new ArrayList<>();
            for (var a : MonitoringAssets.alerts(topology, selector)) {
                Map<String, String> ruleLabels = new TreeMap<>();
                ruleLabels.put("severity", a.severity());
                Map<String, String> annotations = new TreeMap<>();
                annotations.put("summary", a.summary());
                annotations.put("description", a.description());
                rules.add(new RuleBuilder().withAlert(a.alert()).withExpr(new IntOrString(a.expr())).withFor(a.forDuration())
                        .withLabels(ruleLabels).withAnnotations(annotations).build());
            }
            out.add(new PrometheusRuleBuilder()
                    .withNewMetadata().withName(d.name()).withNamespace(namespace).withLabels(labels).endMetadata()
                    .withNewSpec().addNewGroup().withName("redisgen." + namespace + "." + d.name()).withRules(rules).endGroup().endSpec()
                    .build());
        }
        return out;
    }
}
