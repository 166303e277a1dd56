package dev.redisgen.diff;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.redisgen.emit.YamlWriter;
import dev.redisgen.pipeline.Pipeline;
import dev.redisgen.profile.LoadedProfile;
import dev.redisgen.profile.LoadedText;
import dev.redisgen.profile.Overrides;
import dev.redisgen.profile.ProfileLoader;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The judging test of {@code redisgen diff}: for each built-in profile and each typical change, the old and the new
 * output are rendered in-process, and diff's prediction of which objects {@code kubectl apply} of the new output over
 * the old one fails on must equal the answer of {@link ApiServerModel}, an offline model of the API server's update
 * validation written apart from diff's own rules. No API server is at hand here (no kind, no kube-apiserver binary);
 * with one, the same cases would apply old and new for real.
 */
class DiffJudgedByApiServerModelTest {

    /** A typical change: the overrides of the old and of the new render, and which profiles it applies to. */
    record Change(String name, Set<String> profiles, List<String> oldSets, List<String> newSets) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final Set<String> SENTINEL = Set.of("jewelry-shop", "gateway-ha", "airflow");
    private static final Set<String> CO_LOCATED = Set.of("gateway-ha", "airflow");
    private static final Set<String> CLUSTER = Set.of("analytics-cluster");
    private static final Set<String> ALL = Set.of("jewelry-shop", "gateway-ha", "airflow", "analytics-cluster");
    private static final List<String> EXPORTER_OFF = List.of("deployments[0].exporter=", "deployments[0].monitoring=");
    private static final String TLS_ON = "deployments[0].tls={}";
    private static final String ACL_ON = "deployments[0].auth.users={}";

    static final List<Change> CHANGES = List.of(
            new Change("image tag", ALL, List.of(), List.of("deployments[0].image=redis:7.4-alpine")),
            new Change("resources", SENTINEL, List.of(), List.of(
                    "deployments[0].resources.redis={requests: {cpu: 200m, memory: 256Mi}, limits: {cpu: \"1\", memory: 768Mi}}")),
            new Change("resources", CLUSTER, List.of(), List.of(
                    "deployments[0].resources.redis={requests: {cpu: \"2\", memory: 10Gi}, limits: {cpu: \"4\", memory: 16Gi}}")),
            new Change("maxmemory", SENTINEL, List.of(), List.of("deployments[0].redis.maxmemory=200mb")),
            new Change("maxmemory", CLUSTER, List.of(), List.of("deployments[0].redis.maxmemory=5gb")),
            new Change("disk size", SENTINEL, List.of(), List.of("deployments[0].persistence.size=20Gi")),
            new Change("disk size", CLUSTER, List.of(), List.of("deployments[0].persistence.size=120Gi")),
            new Change("replicas", Set.of("jewelry-shop"), List.of(), List.of("deployments[0].replicas=5")),
            new Change("replicas", CO_LOCATED, List.of(), List.of("deployments[0].replicas=5", "deployments[0].sentinel.quorum=3")),
            new Change("replicas", CLUSTER, List.of(), List.of("deployments[0].cluster.replicasPerShard=2",
                    "namespace.resourceQuota.requestsStorage=2Ti")),
            new Change("shards", CLUSTER, List.of(), List.of("deployments[0].cluster.shards=4")),
            new Change("quorum", SENTINEL, List.of(), List.of("deployments[0].sentinel.quorum=3")),
            new Change("down-after", SENTINEL, List.of(), List.of("deployments[0].sentinel.downAfterMilliseconds=10000")),
            new Change("exporter off", ALL, List.of(), EXPORTER_OFF),
            new Change("exporter on", ALL, EXPORTER_OFF, List.of()),
            new Change("TLS on", ALL, List.of(), List.of(TLS_ON)),
            new Change("TLS off", ALL, List.of(TLS_ON), List.of()),
            new Change("ACL users on", ALL, List.of(), List.of(ACL_ON)),
            new Change("ACL users off", ALL, List.of(ACL_ON), List.of()));

    static Stream<Arguments> typicalChanges() {
        List<Arguments> out = new ArrayList<>();
        for (String profile : ProfileLoader.builtinNames()) {
            for (Change change : CHANGES) {
                if (change.profiles().contains(profile)) {
                    out.add(Arguments.of(profile, change));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("typicalChanges")
    void diffPredictsExactlyTheAppliesTheApiServerRefuses(String profile, Change change) {
        List<Manifest> before = render(profile, change.oldSets());
        List<Manifest> after = render(profile, change.newSets());
        DiffReport report = Differ.compare("old", before, after);
        assertThat(report.exitCode()).as("the change changes something").isPositive();

        Set<String> judged = refusedByModel(before, after);
        Set<String> predicted = new TreeSet<>();
        report.objects().stream().filter(DiffReport.ObjectResult::refused).forEach(o -> predicted.add(o.id()));
        assertThat(predicted).as("objects diff says the API server refuses, against the model").isEqualTo(judged);

        // The model itself, on what Kubernetes is known to do with these outputs: a StatefulSet refuses exactly the disk
        // size change (its claim template), and a Job only a changed template under the same name.
        Set<String> statefulSets = new TreeSet<>(judged.stream().filter(id -> id.startsWith("StatefulSet/")).toList());
        if (change.name().equals("disk size")) {
            assertThat(statefulSets).hasSize(1);
        } else {
            assertThat(statefulSets).isEmpty();
        }
        assertThat(judged.stream().filter(id -> !id.startsWith("StatefulSet/") && !id.startsWith("Job/"))).isEmpty();
        boolean refusedOrUnsafe = !judged.isEmpty() || report.changes().stream().anyMatch(c -> c.verdict().equals(Verdicts.UNSAFE));
        assertThat(report.exitCode()).isEqualTo(refusedOrUnsafe ? 2 : 1);

        // TLS and ACL users on or off: nothing the API server refuses, but no pod speaks both ways to its peers, so the
        // one-at-a-time roll stops at its first pod: unsafe as is (exit 2), with the procedure; closing the plain-text
        // port cuts off the clients still on it, and the verdict names tls.plainPort, the way to keep one.
        if (change.name().startsWith("TLS") || change.name().startsWith("ACL")) {
            String setting = change.name().startsWith("TLS") ? "redis.conf tls-port" : "ACL users";
            assertThat(report.changes()).filteredOn(c -> c.setting().equals(setting)).singleElement()
                    .satisfies(c -> assertThat(c.verdict()).isEqualTo(Verdicts.UNSAFE))
                    .satisfies(c -> assertThat(c.line()).contains("cannot roll one at a time", "delete pod -l app.kubernetes.io/instance="));
            assertThat(report.exitCode()).isEqualTo(2);
        }
        if (change.name().equals("TLS on")) {
            assertThat(report.changes()).filteredOn(c -> c.setting().equals("redis.conf port")).singleElement()
                    .satisfies(c -> assertThat(c.verdict()).isEqualTo(Verdicts.UNSAFE))
                    .satisfies(c -> assertThat(c.line()).contains("plain-text port closes", "plainPort"));
        }
    }

    /**
     * Changes no profile makes today, on real rendered objects, so every rule of diff and of the model is exercised:
     * whether the API server refuses it, what the model answers and what diff predicts must all agree.
     */
    static Stream<Arguments> editedObjects() {
        return Stream.of(
                edit("airflow", "StatefulSet", "podManagementPolicy OrderedReady", true, o -> spec(o).put("podManagementPolicy", "OrderedReady")),
                edit("airflow", "StatefulSet", "serviceName", true, o -> spec(o).put("serviceName", "redis-other")),
                edit("airflow", "StatefulSet", "selector", true, o -> ((ObjectNode) spec(o).path("selector").path("matchLabels")).put("tier", "x")),
                edit("airflow", "StatefulSet", "revisionHistoryLimit 10 (the default)", false, o -> spec(o).put("revisionHistoryLimit", 10)),
                edit("airflow", "StatefulSet", "revisionHistoryLimit 5", true, o -> spec(o).put("revisionHistoryLimit", 5)),
                edit("airflow", "StatefulSet", "minReadySeconds", false, o -> spec(o).put("minReadySeconds", 10)),
                edit("airflow", "StatefulSet", "claim retention", false,
                        o -> ((ObjectNode) spec(o).path("persistentVolumeClaimRetentionPolicy")).put("whenScaled", "Delete")),
                edit("airflow", "StatefulSet", "updateStrategy partition", false,
                        o -> ((ObjectNode) spec(o).path("updateStrategy")).putObject("rollingUpdate").put("partition", 1)),
                edit("airflow", "StatefulSet", "claim storage class", true,
                        o -> ((ObjectNode) spec(o).path("volumeClaimTemplates").path(0).path("spec")).put("storageClassName", "fast")),
                edit("airflow", "StatefulSet", "claim shrink", true, o -> ((ObjectNode) spec(o).path("volumeClaimTemplates").path(0)
                        .path("spec").path("resources").path("requests")).put("storage", "5Gi")),
                edit("airflow", "Service", "headless client Service", true, o -> spec(o).put("clusterIP", "None"), "redis"),
                edit("airflow", "Service", "headless Service made ClusterIP (stays headless)", false, o -> spec(o).remove("clusterIP"),
                        "redis-headless"),
                edit("airflow", "Service", "type LoadBalancer", false, o -> spec(o).put("type", "LoadBalancer"), "redis"),
                edit("airflow", "Service", "headless LoadBalancer", true, o -> spec(o).put("type", "LoadBalancer"), "redis-headless"),
                edit("airflow", "Deployment", "proxy selector", true,
                        o -> ((ObjectNode) spec(o).path("selector").path("matchLabels")).put("tier", "x")),
                edit("airflow", "Deployment", "proxy strategy", false, o -> ((ObjectNode) spec(o).path("strategy").path("rollingUpdate"))
                        .put("maxSurge", 2)),
                edit("airflow", "PodDisruptionBudget", "budget", false, o -> spec(o).put("maxUnavailable", 2)),
                edit("analytics-cluster", "PersistentVolumeClaim", "backup claim grows", false,
                        o -> ((ObjectNode) spec(o).path("resources").path("requests")).put("storage", "300Gi")),
                edit("analytics-cluster", "PersistentVolumeClaim", "backup claim shrinks", true,
                        o -> ((ObjectNode) spec(o).path("resources").path("requests")).put("storage", "100Gi")),
                edit("analytics-cluster", "PersistentVolumeClaim", "backup claim access mode", true,
                        o -> spec(o).putArray("accessModes").add("ReadWriteMany")),
                edit("analytics-cluster", "Job", "Job backoffLimit", false, o -> spec(o).put("backoffLimit", 3)),
                edit("analytics-cluster", "Job", "Job completions", true, o -> spec(o).put("completions", 2)),
                edit("analytics-cluster", "Job", "Job template", true, o -> ((ObjectNode) spec(o).path("template").path("spec"))
                        .put("restartPolicy", "Never")),
                edit("analytics-cluster", "CronJob", "CronJob template", false,
                        o -> ((ObjectNode) spec(o).path("jobTemplate").path("spec")).put("backoffLimit", 1)));
    }

    private static ObjectNode spec(ObjectNode o) {
        return (ObjectNode) o.path("spec");
    }

    private static Arguments edit(String profile, String kind, String what, boolean refused, Consumer<ObjectNode> change) {
        return edit(profile, kind, what, refused, change, null);
    }

    private static Arguments edit(String profile, String kind, String what, boolean refused, Consumer<ObjectNode> change, String name) {
        return Arguments.of(profile, kind, name, what, refused, change);
    }

    @ParameterizedTest(name = "{0} {1}: {3}")
    @MethodSource("editedObjects")
    void modelAndDiffAgreeOnEveryRule(String profile, String kind, String name, String what, boolean refused, Consumer<ObjectNode> change) {
        List<Manifest> before = render(profile, List.of());
        Manifest target = before.stream().filter(m -> m.kind().equals(kind) && (name == null || m.name().equals(name))).findFirst()
                .orElseThrow();
        ObjectNode edited = target.tree().deepCopy();
        change.accept(edited);
        assertThat(edited).as("the edit changes the object").isNotEqualTo(target.tree());
        Manifest next = new Manifest(target.kind(), target.namespace(), target.name(), edited, "edited");
        assertThat(!ApiServerModel.apply(target.tree(), edited).isEmpty()).as("the model refuses %s", what).isEqualTo(refused);
        DiffReport report = Differ.compare("old", List.of(target), List.of(next));
        assertThat(report.objects().get(0).refused()).as("diff refuses %s", what).isEqualTo(refused);
        if (refused) {
            assertThat(report.objects().get(0).refusalText()).as("a procedure").hasSizeGreaterThan(1);
            assertThat(report.exitCode()).isEqualTo(2);
        }
    }

    static Set<String> refusedByModel(List<Manifest> before, List<Manifest> after) {
        Map<String, Manifest> old = new LinkedHashMap<>();
        before.forEach(m -> old.put(m.id(), m));
        Set<String> refused = new TreeSet<>();
        for (Manifest m : after) {
            Manifest was = old.get(m.id());
            if (was != null && !ApiServerModel.apply(was.tree(), m.tree()).isEmpty()) {
                refused.add(m.id());
            }
        }
        return refused;
    }

    private static final Map<String, List<Manifest>> RENDERED = new java.util.concurrent.ConcurrentHashMap<>();

    /** A built-in profile rendered in-process with {@code --set} overrides, as parsed objects (each render once per run). */
    static List<Manifest> render(String profile, List<String> sets) {
        return RENDERED.computeIfAbsent(profile + " " + sets, k -> renderNow(profile, sets));
    }

    private static List<Manifest> renderNow(String profile, List<String> sets) {
        LoadedText text = ProfileLoader.read("builtin:" + profile, InputStream.nullInputStream()).get(0);
        LoadedProfile loaded = ProfileLoader.load(text, Overrides.of(List.of(), sets));
        Pipeline.Result result = Pipeline.render(loaded);
        return Previous.parse(YamlWriter.write(result.objects()), profile);
    }

}
