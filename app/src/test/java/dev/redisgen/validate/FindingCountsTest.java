package dev.redisgen.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisgen.diff.Manifest;
import dev.redisgen.diff.Previous;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The finding counts of issue 9's "before and after": every check of {@link BestPracticesTest} (kube-score, kube-linter and
 * Polaris defaults decidable offline, and kube-score pod-networkpolicy) and {@link PodSecurityRestrictedTest}, counted per
 * profile and check, plus issue 9's own items no tool flags by default (topology spread: Polaris topologySpreadConstraint;
 * a Job without ttlSecondsAfterFinished; TLS; ACL users), over objects read back from rendered YAML: so the output of an
 * older redisgen can be judged by today's checks. {@code -Dredisgen.findings.dirs=before=DIR,after=DIR} prints the table
 * for directories of {@code <profile>.yaml} files (what `redisgen render --profile <profile>` printed); without it the test
 * proves the YAML path: the built-ins' output read back gives the findings of the objects rendered in process.
 */
class FindingCountsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> BUILTINS = List.of("jewelry-shop", "gateway-ha", "airflow", "analytics-cluster");

    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of("StatefulSet", StatefulSet.class, "Deployment",
            Deployment.class, "Job", Job.class, "CronJob", CronJob.class, "Service", Service.class, "NetworkPolicy", NetworkPolicy.class,
            "PodDisruptionBudget", PodDisruptionBudget.class, "ConfigMap", ConfigMap.class);

    /** The objects of a rendered YAML stream that the checks read (other kinds are left out). */
    static List<HasMetadata> read(String yaml, String origin) {
        List<HasMetadata> out = new ArrayList<>();
        for (Manifest m : Previous.parse(yaml, origin)) {
            Class<? extends HasMetadata> type = KINDS.get(m.kind());
            if (type != null) {
                out.add(JSON.convertValue(m.tree(), type));
            }
        }
        return out;
    }

    /** Findings per check of the objects registered (or rendered) under KEY. */
    static Map<String, Integer> counts(String key) {
        Map<String, Integer> out = new TreeMap<>();
        Findings f = BestPracticesTest.linterFindings(key);
        BestPracticesTest.networkPolicyFindings(key).all().forEach((k, v) -> f.all().put(k, v));
        Findings pss = new Findings();
        for (Rendered.Workload w : Rendered.workloads(key)) {
            PodSecurityRestrictedTest.check(key, w, pss);
        }
        pss.all().keySet().forEach(k -> out.merge("pss:" + check(k), 1, Integer::sum));
        f.all().keySet().forEach(k -> out.merge(check(k), 1, Integer::sum));
        for (Rendered.Workload w : Rendered.workloads(key)) {
            if (!w.isBatch() && Rendered.nonNull(w.spec().getTopologySpreadConstraints()).isEmpty()) {
                out.merge("secure-by-default:topology-spread", 1, Integer::sum);
            }
        }
        for (Job j : Rendered.of(key, Job.class)) {
            if (j.getSpec().getTtlSecondsAfterFinished() == null) {
                out.merge("secure-by-default:job-ttl", 1, Integer::sum);
            }
        }
        for (ConfigMap cm : Rendered.of(key, ConfigMap.class)) {
            String conf = Rendered.nonNull(cm.getData()).get("redis.conf");
            if (conf != null) {
                out.merge("secure-by-default:no-tls", conf.contains("\ntls-port ") ? 0 : 1, Integer::sum);
                out.merge("secure-by-default:no-acl-users", cm.getData().containsKey("users.acl") ? 0 : 1, Integer::sum);
            }
        }
        out.values().removeIf(n -> n == 0);
        return out;
    }

    private static String check(String findingKey) {
        return findingKey.substring(findingKey.lastIndexOf(": ") + 2);
    }

    @Test
    void theBuiltinsReadBackFromYamlHaveTheFindingsOfTheRenderedObjects() {
        for (String p : BUILTINS) {
            String key = "yaml:" + p;
            Rendered.register(key, read(Rendered.yaml(p), p));
            try {
                Map<String, Integer> fromYaml = counts(key);
                assertThat(fromYaml).as(p).isEqualTo(counts(p));
                // The checks ran: every built-in keeps plain text and one password on purpose (README "TLS", "ACL users").
                assertThat(fromYaml).as(p).containsKey("secure-by-default:no-tls").containsKey("secure-by-default:no-acl-users");
            } finally {
                Rendered.forget(key);
            }
        }
    }

    /** The table for the directories named by -Dredisgen.findings.dirs (label=DIR,...); nothing without it. */
    @Test
    void printsTheTableForRenderedDirectories() throws IOException {
        String dirs = System.getProperty("redisgen.findings.dirs");
        if (dirs == null || dirs.isBlank()) {
            return;
        }
        Map<String, Map<String, Map<String, Integer>>> table = new TreeMap<>(); // profile -> check -> label -> count
        List<String> labels = new ArrayList<>();
        for (String entry : dirs.split(",")) {
            String label = entry.substring(0, entry.indexOf('='));
            Path dir = Path.of(entry.substring(entry.indexOf('=') + 1));
            labels.add(label);
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                    String profile = file.getFileName().toString().replaceFirst("\\.yaml$", "");
                    String key = label + ":" + profile;
                    Rendered.register(key, read(Files.readString(file), file.toString()));
                    try {
                        counts(key).forEach((check, n) -> table.computeIfAbsent(profile, x -> new TreeMap<>())
                                .computeIfAbsent(check, x -> new TreeMap<>()).put(label, n));
                    } finally {
                        Rendered.forget(key);
                    }
                }
            }
        }
        StringBuilder b = new StringBuilder("| profile | check | " + String.join(" | ", labels) + " |\n|---|---|"
                                            + "---|".repeat(labels.size()) + "\n");
        table.forEach((profile, checks) -> checks.forEach((check, byLabel) -> {
            b.append("| ").append(profile).append(" | ").append(check);
            labels.forEach(l -> b.append(" | ").append(byLabel.getOrDefault(l, 0)));
            b.append(" |\n");
        }));
        System.out.println("[finding counts]\n" + b);
        assertThat(table).isNotEmpty();
    }
}
