package dev.redisgen.explain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.redisgen.explain.Explanation.Deployment;
import dev.redisgen.explain.Explanation.Prerequisite;
import dev.redisgen.explain.Explanation.Route;
import dev.redisgen.explain.Explanation.Row;
import dev.redisgen.pipeline.Pipeline;
import dev.redisgen.plan.PodPlan;
import dev.redisgen.profile.Cpu;
import dev.redisgen.profile.Memory;
import dev.redisgen.profile.ProfileLoader;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What explain derives from the render: totals, prerequisites and routes agree with the objects and the plan. */
class ExplainTest {
    static Stream<String> profiles() {
        return SnippetsTest.profiles();
    }

    static Explanation explain(Pipeline.Result r) {
        return Explainer.explain(r.plan(), r.objects(), r.source().displayName(), r.source().profile().description());
    }

    @ParameterizedTest
    @MethodSource("profiles")
    void thePeakIsWhatTheQuotaRuleCountsFromThePlan(String profile) {
        Pipeline.Result r = Pipeline.render(profile);
        Row peak = explain(r).resources().peak();
        long pods = 0, cpuReq = 0, cpuLim = 0, memReq = 0, memLim = 0;
        for (PodPlan p : r.plan().pods()) {
            pods += p.maxPods();
            cpuReq += p.effectiveCpu(false).millis() * p.maxPods();
            cpuLim += p.effectiveCpu(true).millis() * p.maxPods();
            memReq += p.effectiveMemory(false).bytes() * p.maxPods();
            memLim += p.effectiveMemory(true).bytes() * p.maxPods();
        }
        assertThat(peak.pods()).isEqualTo(pods);
        assertThat(peak.total().cpuRequests()).isEqualTo(Cpu.ofMillis(cpuReq).toString());
        assertThat(peak.total().cpuLimits()).isEqualTo(Cpu.ofMillis(cpuLim).toString());
        assertThat(peak.total().memoryRequests()).isEqualTo(Memory.ofBytes(memReq).toString());
        assertThat(peak.total().memoryLimits()).isEqualTo(Memory.ofBytes(memLim).toString());
    }

    @Test
    void aClusterSaysHowLongAFailoverTakesFromItsNodeTimeout() {
        // 15 s node-timeout: failing after about 15 to 22.5 s, then 2 to 3 s to the replica's election and state (drill master-kill).
        assertThat(explain(Pipeline.render("analytics-cluster")).deployments().get(0).facts())
                .anyMatch(f -> f.startsWith("cluster-node-timeout 15000 ms: a master that dies is replaced by its replica in about 17 to 26.5 s"));
        assertThat(explain(Pipeline.render("app/src/test/resources/drill/cluster-4x2.yaml")).deployments().get(0).facts())
                .anyMatch(f -> f.startsWith("cluster-node-timeout 5000 ms: a master that dies is replaced by its replica in about 7 to 11.5 s"));
    }

    @Test
    void totalsOfTheSeedsTables() {
        // airflow: 3 Redis pods of redis 250m + sentinel 50m + two exporters 50m each, and 2 HAProxy pods of 50m; 10Gi each.
        Explanation.Resources airflow = explain(Pipeline.render("airflow")).resources();
        assertThat(airflow.steady().pods()).isEqualTo(5);
        assertThat(airflow.steady().total().cpuRequests()).isEqualTo("1300m");
        assertThat(airflow.components().get(0).perPod().cpuRequests()).isEqualTo("400m");
        assertThat(airflow.steady().storage()).isEqualTo("30Gi");
        assertThat(airflow.peak().pods()).as("a surge HAProxy pod").isEqualTo(6);
        // analytics-cluster (seed 003): 6 x (2 CPU + 100m exporter), 6 x 100Gi + a 200Gi backup volume, quota 24 CPU / 1Ti.
        Explanation.Resources analytics = explain(Pipeline.render("analytics-cluster")).resources();
        assertThat(analytics.steady().total().cpuRequests()).isEqualTo("12600m");
        assertThat(analytics.steady().storage()).isEqualTo("800Gi");
        assertThat(analytics.steady().claims()).isEqualTo(7);
        assertThat(analytics.peak().pods()).as("the create Job and both backup CronJobs").isEqualTo(9);
        assertThat(analytics.quota().requestsCpu()).isEqualTo("24");
        assertThat(analytics.quota().requestsStorage()).isEqualTo("1Ti");
    }

    /** Secret name -> keys every non-optional secretKeyRef of the rendered pods reads. */
    static Map<String, Set<String>> secretRefs(List<HasMetadata> objects) {
        Map<String, Set<String>> refs = new TreeMap<>();
        for (HasMetadata o : objects) {
            if (Manifests.isWorkload(o)) {
                Stream.concat(Manifests.initContainers(Manifests.pod(o)).stream(), Manifests.containers(Manifests.pod(o)).stream())
                        .flatMap(c -> c.getEnv().stream())
                        .filter(v -> v.getValueFrom() != null && v.getValueFrom().getSecretKeyRef() != null
                                && !Boolean.TRUE.equals(v.getValueFrom().getSecretKeyRef().getOptional()))
                        .forEach(v -> refs.computeIfAbsent(v.getValueFrom().getSecretKeyRef().getName(), k -> new TreeSet<>())
                                .add(v.getValueFrom().getSecretKeyRef().getKey()));
            }
        }
        return refs;
    }

    private static final Pattern LITERAL = Pattern.compile("--from-literal=([^=\\s]+)=\"\\$\\(openssl rand -hex 32\\)\"");

    @ParameterizedTest
    @MethodSource("profiles")
    void theKubectlLinesCreateExactlyTheSecretKeysThePodsRead(String profile) {
        Pipeline.Result r = Pipeline.render(profile);
        String ns = r.plan().namespace().name();
        Map<String, Set<String>> created = new TreeMap<>();
        for (Prerequisite p : explain(r).prerequisites()) {
            if (p.kind().equals("Secret")) {
                // one shell word per generated password: `--from-literal=KEY="$(openssl rand -hex 32)"`
                List<String> words = List.of(LITERAL.matcher(p.create()).replaceAll("--from-literal=$1=GENERATED").split(" "));
                assertThat(words.subList(0, 7)).containsExactly("kubectl", "create", "secret", "generic", p.name(), "-n", ns);
                Set<String> keys = new TreeSet<>();
                Matcher m = LITERAL.matcher(p.create());
                while (m.find()) {
                    keys.add(m.group(1));
                }
                assertThat(words).hasSize(7 + keys.size());
                created.put(p.name(), keys);
            }
        }
        assertThat(created).isEqualTo(secretRefs(r.objects()));
    }

    @Test
    void storageClassesAndCrdsAreTheRenderedOnes() {
        assertThat(kinds("airflow")).containsExactly("Namespace airflow", "Secret redis-secret", "StorageClass local-path",
                "CustomResourceDefinition servicemonitors.monitoring.coreos.com", "NetworkPolicy redis");
        assertThat(kinds("jewelry-shop")).containsExactly("Namespace jewelry-shop", "Secret redis-auth", "StorageClass local-path",
                "NetworkPolicy redis");
        assertThat(kinds("analytics-cluster")).containsExactly("Namespace redis-system", "Secret redis-auth", "StorageClass (default)",
                "CustomResourceDefinition prometheusrules.monitoring.coreos.com", "CustomResourceDefinition servicemonitors.monitoring.coreos.com",
                "NetworkPolicy redis-cluster", "Grafana redis-cluster-dashboard");
        assertThat(kinds(SnippetsTest.FIXTURES + "every-client-standalone.yaml")).containsExactly("Namespace single", "Secret store-auth",
                "StorageClass (default)", "NetworkPolicy store");
        Prerequisite ns = explain(Pipeline.render(SnippetsTest.FIXTURES + "every-client-standalone.yaml")).prerequisites().get(0);
        assertThat(ns.what()).startsWith("not rendered (namespace.create: false)");
    }

    /** Issue 11's fields reach explain: the profile's cluster domain, the Service types and the image pull Secrets. */
    @Test
    void theClusterDomainServiceTypesAndPullSecretsOfTheProfileAreExplained() {
        String profile = "app/src/test/resources/profiles/valid/scheduling-and-exposure.yaml";
        Explanation e = explain(Pipeline.render(profile));
        assertThat(e.clusterDomain()).isEqualTo("corp.internal");
        String text = TextReport.text(e);
        assertThat(text).contains("DNS domain corp.internal\n")
                .contains("redis-0.redis-headless.redis-scheduling.svc.corp.internal")
                .contains("each Sentinel monitors redis-0.redis-headless.redis-scheduling.svc.corp.internal at the first start")
                .contains("redis-sentinel.redis-scheduling.svc.corp.internal:26379")
                .doesNotContain("cluster.local");
        Map<String, String> types = new TreeMap<>();
        e.deployments().forEach(d -> d.routes().forEach(r -> types.put(r.service(), r.type())));
        assertThat(types).containsEntry("redis", "LoadBalancer").containsEntry("redis-replicas", "LoadBalancer")
                .containsEntry("cache", "NodePort").containsEntry("redis-sentinel", "ClusterIP").containsEntry("redis-headless", "ClusterIP");
        assertThat(text).containsPattern("\n    redis :6379 \\(LoadBalancer\\) +<- clients without Sentinel support\n")
                .containsPattern("\n    cache :6379 \\(NodePort\\) +<- clients\n")
                .containsPattern("\n    redis-sentinel :26379 +<- ");
        assertThat(kinds(profile)).containsSubsequence("Secret regcred", "Service cache", "Service redis", "Service redis-replicas",
                "NetworkPolicy redis", "NetworkPolicy cache");
        Prerequisite pull = e.prerequisites().stream().filter(p -> p.name().equals("regcred")).findFirst().orElseThrow();
        assertThat(pull.what()).startsWith("image pull secret (type kubernetes.io/dockerconfigjson); used by CronJob redis-backup-daily, "
                + "Deployment redis-proxy, StatefulSet redis, StatefulSet redis-sentinel");
        assertThat(pull.create()).startsWith("kubectl create secret docker-registry regcred -n redis-scheduling ");
        assertThat(text).contains("clients of redis must run in namespace app or come from address range 10.20.0.0/16")
                .contains("clients of cache must run in namespace redis-scheduling or come from address range 2001:db8::/32");
    }

    /**
     * A PriorityClass that does not exist makes the API server refuse every pod, and a nodeSelector no node matches
     * leaves them Pending: both are among what must exist first (explain listed neither).
     */
    @Test
    void thePriorityClassAndTheNodesANodeSelectorAsksForMustExistFirst() {
        String profile = "app/src/test/resources/profiles/valid/scheduling-and-exposure.yaml";
        Explanation e = explain(Pipeline.render(profile));
        assertThat(kinds(profile)).containsSubsequence("StorageClass fast-ssd", "PriorityClass redis-critical",
                "Nodes node-role.example.com/redis=true", "Service cache");
        assertThat(e.prerequisites()).filteredOn(p -> p.kind().equals("PriorityClass")).singleElement().satisfies(p -> {
            assertThat(p.what()).contains("named by CronJob redis-backup-daily, Deployment redis-proxy, StatefulSet redis, StatefulSet redis-sentinel");
            assertThat(p.check()).isEqualTo("kubectl get priorityclass redis-critical");
        });
        assertThat(e.prerequisites()).filteredOn(p -> p.kind().equals("Nodes")).singleElement().satisfies(p -> {
            assertThat(p.what()).startsWith("nodes with these labels (the nodeSelector of CronJob redis-backup-daily, Deployment redis-proxy,");
            assertThat(p.check()).isEqualTo("kubectl get nodes -l node-role.example.com/redis=true");
        });
        assertThat(kinds("airflow")).noneMatch(k -> k.startsWith("PriorityClass") || k.startsWith("Nodes"));
    }

    static List<String> kinds(String profile) {
        return explain(Pipeline.render(profile)).prerequisites().stream().map(p -> p.kind() + " " + p.name()).toList();
    }

    @ParameterizedTest
    @MethodSource("profiles")
    void everyRouteIsARenderedServiceWithItsPorts(String profile) {
        Pipeline.Result r = Pipeline.render(profile);
        String ns = r.plan().namespace().name();
        List<String> rendered = new ArrayList<>();
        for (HasMetadata o : r.objects()) {
            if (o instanceof Service s) {
                rendered.add(s.getMetadata().getName() + "." + ns + ".svc.cluster.local " + s.getSpec().getPorts().stream()
                        .map(p -> p.getName() + ":" + p.getPort()).toList());
            }
        }
        List<String> routes = new ArrayList<>();
        for (Deployment d : explain(r).deployments()) {
            for (Route route : d.routes()) {
                routes.add(route.host() + " " + route.ports().stream().map(p -> p.name() + ":" + p.port()).toList());
                assertThat(route.reaches()).doesNotContain("no pods");
            }
        }
        assertThat(routes).containsExactlyInAnyOrderElementsOf(rendered);
    }

    @ParameterizedTest
    @MethodSource("profiles")
    void theJsonHoldsWhatTheTextPrints(String profile) throws Exception {
        Explanation e = explain(Pipeline.render(profile));
        String text = TextReport.text(e);
        String json = JsonReport.json(e);
        assertThat(JsonReport.json(explain(Pipeline.render(profile)))).isEqualTo(json);
        JsonNode root = new ObjectMapper().readTree(json);
        for (JsonNode d : root.path("deployments")) {
            for (JsonNode c : d.path("connection").path("clients")) {
                for (JsonNode s : c.path("snippets")) {
                    assertThat(text).contains("```" + s.path("language").asText() + "\n" + s.path("code").asText() + "```\n");
                }
            }
            for (JsonNode route : d.path("routes")) {
                assertThat(text).contains(route.path("audience").asText());
            }
        }
        for (JsonNode p : root.path("prerequisites")) {
            if (!p.path("create").isNull()) {
                assertThat(text).contains(p.path("create").asText());
            }
        }
    }
}
