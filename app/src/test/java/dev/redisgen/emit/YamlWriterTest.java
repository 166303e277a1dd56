package dev.redisgen.emit;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

class YamlWriterTest {

    private static List<HasMetadata> realistic() {
        return ApplyOrder.sort(List.of(Fixtures.prometheusRule(), Fixtures.statefulSet(), Fixtures.cronJob(), Fixtures.service(),
                Fixtures.serviceMonitor(), Fixtures.configMap(), Fixtures.networkPolicy(), Fixtures.podDisruptionBudget()));
    }

    @Test
    void smallObjectIsExactlyThisText() {
        HasMetadata service = new ServiceBuilder()
                .withNewMetadata().withName("redis").withNamespace("cache")
                .addToLabels("b", "on").addToLabels("a", "1").addToAnnotations("note", "").endMetadata()
                .withNewSpec().addToSelector("app", "redis")
                .addNewPort().withName("redis").withPort(6379).withTargetPort(new IntOrString(6379)).endPort()
                .addNewPort().withName("tls").withPort(6380).withTargetPort(new IntOrString("tls")).endPort()
                .endSpec().build();
        assertThat(YamlWriter.write(List.of(service))).isEqualTo("""
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  annotations:
                    note: ""
                  labels:
                    a: "1"
                    b: "on"
                  name: redis
                  namespace: cache
                spec:
                  ports:
                  - name: redis
                    port: 6379
                    targetPort: 6379
                  - name: tls
                    port: 6380
                    targetPort: tls
                  selector:
                    app: redis
                """);
        assertThat(YamlWriter.write(service)).isEqualTo(YamlWriter.write(List.of(service)).substring("---\n".length()));
    }

    @Test
    void everyDocumentStartsWithOneMarkerAndTheStreamEndsWithOneNewline() {
        List<HasMetadata> objects = realistic();
        String yaml = YamlWriter.write(objects);
        assertThat(yaml).startsWith("---\napiVersion: ").endsWith("\n").doesNotEndWith("\n\n").doesNotContain("\r", "\t");
        assertThat(yaml.lines().filter(l -> l.equals("---")).count()).isEqualTo(objects.size());
        assertThat(yaml).doesNotContain("...\n");
    }

    @Test
    void noEmptyCollectionNoise() {
        String yaml = YamlWriter.write(realistic());
        List<String> noise = yaml.lines().filter(l -> l.endsWith("{}") || l.endsWith("[]")).toList();
        // Empty objects that mean something stay: a volume's emptyDir and a deny-all podSelector.
        assertThat(noise).containsExactly("      - emptyDir: {}", "  podSelector: {}");
        assertThat(yaml).doesNotContain("additionalProperties", "managedFields", "status:", "creationTimestamp", "null");
    }

    @Test
    void stringsThatYamlWouldReadAsSomethingElseAreQuoted() {
        Map<String, String> data = new LinkedHashMap<>();
        for (String s : List.of("yes", "no", "on", "off", "y", "n", "true", "False", "1", "0.5", "1.0", "1e3", "0755", "0x1F",
                "~", "null", "", "1:30", ".inf", "2024-01-01", "-1", "+1", "<<")) {
            data.put("k" + data.size(), s);
        }
        String yaml = YamlWriter.write(new ConfigMapBuilder().withNewMetadata().withName("q").endMetadata().withData(data).build());
        for (String s : data.values()) {
            assertThat(yaml).as("quoted %s", s).contains(": \"" + s + "\"\n");
        }
        assertThat(reparse(yaml).get("data")).isEqualTo(data);
    }

    @Test
    void awkwardStringsRoundTripExactly() {
        Map<String, String> data = new LinkedHashMap<>();
        List<String> values = List.of("trailing spaces   ", " leading space", "tab\there", "key: value", "a #comment", "#hash",
                "- dash", "* star", "& amp", "! bang", "% pct", "@at", "`tick", "'single'", "\"double\"", "{flow}", "[seq]",
                "multi\nline\n", "no final newline\nline", "trailing spaces  \nin block\n", "\n\nleading newlines\n",
                "extra final newlines\n\n\n", "  indented first line\nthen\n", "tab\tin\nblock\n", "unicode ü €", "0 * * * *",
                "redis_up == 0", "a very long line " + "x".repeat(300));
        for (String value : values) {
            data.put("k" + String.format(Locale.ROOT, "%02d", data.size()), value);
        }
        ConfigMap configMap = new ConfigMapBuilder().withNewMetadata().withName("awkward").endMetadata().withData(data).build();
        String yaml = YamlWriter.write(configMap);
        assertThat(reparse(yaml).get("data")).isEqualTo(data);
        assertThat(YamlWriter.mapper().convertValue(reparse(yaml), ConfigMap.class).getData()).isEqualTo(data);
        assertThat(yaml).contains("x".repeat(300)); // no line folding
    }

    @Test
    void configMapScriptsAreLiteralBlocks() {
        String yaml = YamlWriter.write(Fixtures.configMap());
        assertThat(yaml).contains("  redis.conf: |\n    port 6379\n    appendonly yes\n");
        assertThat(yaml).contains("  start.sh: |\n    #!/bin/sh\n    set -eu\n");
    }

    @Test
    void quantitiesAndIntOrStringsKeepTheirKubernetesForm() {
        String yaml = YamlWriter.write(Fixtures.statefulSet());
        assertThat(yaml).contains("cpu: 100m\n", "memory: 1Gi\n", "cpu: \"2\"\n", "storage: 10Gi\n");
        assertThat(YamlWriter.write(Fixtures.service())).contains("targetPort: redis\n", "targetPort: 9121\n");
        assertThat(YamlWriter.write(Fixtures.podDisruptionBudget())).contains("maxUnavailable: 1\n");
    }

    @Test
    void realisticObjectsParseBackToTheSameModel() {
        for (HasMetadata object : realistic()) {
            HasMetadata back = YamlWriter.mapper().convertValue(reparse(YamlWriter.write(object)), object.getClass());
            assertThat(YamlWriter.write(back)).isEqualTo(YamlWriter.write(object));
            assertThat(back).isEqualTo(object);
        }
    }

    @Test
    void sameBytesAcrossCallsAndDefaultLocales() {
        String first = YamlWriter.write(realistic());
        assertThat(YamlWriter.write(realistic())).isEqualTo(first);
        Locale saved = Locale.getDefault();
        try {
            for (Locale locale : List.of(new Locale("tr", "TR"), Locale.GERMANY, new Locale("ar", "EG"), new Locale("hi", "IN"))) {
                Locale.setDefault(locale);
                assertThat(YamlWriter.write(realistic())).as("under %s", locale).isEqualTo(first);
            }
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void streamParsesBackAsOneDocumentPerObject() {
        List<HasMetadata> objects = realistic();
        List<Object> documents = new ArrayList<>();
        new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(YamlWriter.write(objects)).forEach(documents::add);
        assertThat(documents).hasSize(objects.size());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> reparse(String yaml) {
        // SnakeYAML's SafeConstructor resolves YAML 1.1 implicit types: the strict reader here.
        return (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    }
}
