package dev.redisgen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code redisgen diff} end to end (stdout, stderr, exit code), and {@code render --output-dir}'s check of its earlier
 * output: against a directory, a golden file and a fake kubectl for --live.
 */
class DiffCliTest {
    /** The objects airflow renders (every count below follows from it; the kustomization.yaml is one file more). */
    static final int AIRFLOW_OBJECTS = dev.redisgen.pipeline.Pipeline.render("airflow").objects().size();

    private static final String QUORUM = "deployments[0].sentinel.quorum=3";
    private static final String DISK = "deployments[0].persistence.size=20Gi";

    @TempDir
    Path tmp;

    private Path rendered(String profile, String... sets) {
        Path dir = tmp.resolve("deploy-" + profile);
        List<String> args = new ArrayList<>(List.of("render", "--profile", profile, "--output-dir", dir.toString()));
        for (String set : sets) {
            args.addAll(List.of("--set", set));
        }
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertThat(run.exit()).as("%s", run).isZero();
        return dir;
    }

    @Test
    void sameProfileAgainChangesNothing() {
        Path dir = rendered("airflow");
        CliRun run = CliRun.of("diff", "--profile", "airflow", "--from", dir.toString());
        assertThat(run.exit()).as("%s", run).isZero();
        assertThat(run.out()).isEqualTo("Compared with " + dir + ": 0 changed, 0 added, 0 removed, " + AIRFLOW_OBJECTS + " unchanged\nNothing changes.\n");
        assertThat(run.err()).isEmpty();
        CliRun golden = CliRun.of("diff", "--profile", "analytics-cluster", "--from", "golden/analytics-cluster.yaml");
        assertThat(golden.exit()).as("%s", golden).isZero();
    }

    @Test
    void quorumChangeIsRuntimeReconciledWithAVerdict() {
        CliRun run = CliRun.of("diff", "--profile", "airflow", "--set", QUORUM, "--from", "golden/airflow.yaml");
        assertThat(run.exit()).as("%s", run).isEqualTo(1);
        assertThat(run.out())
                .contains("CHANGES of deployment redis\n")
                .contains("  rollout: StatefulSet redis: restarts redis-2, redis-1, redis-0 one at a time, highest ordinal first")
                .contains("  quorum 2→3 with 3 Sentinels: caution (every Sentinel must see the master down: while one is away, as during "
                        + "this roll, no failover can start; applied when each Sentinel restarts); pods roll one at a time; failover "
                        + "expected once; proxy pods replaced one at a time\n")
                .contains("  changed    ConfigMap/airflow/redis-config\n"
                        + "               data[sentinel.conf] sentinel monitor: mymaster @MASTER_HOST@ 6379 2 → mymaster @MASTER_HOST@ 6379 3\n")
                .contains("  unchanged  Namespace/airflow, ");
        assertThat(run.out()).doesNotContain("REFUSED");
    }

    @Test
    void moreShardsWaitForTheCreationJobAndFewerAreRefusedWithTheDrainProcedure() {
        CliRun out = CliRun.of("diff", "--profile", "analytics-cluster", "--set", "deployments[0].cluster.shards=4", "--from",
                "golden/analytics-cluster.yaml");
        assertThat(out.exit()).as("%s", out).isEqualTo(1);
        assertThat(out.out()).contains("  shards 3→4: caution (the new pods start empty; the creation Job of the new spec (a new name) makes "
                + "them the new shards' masters and replicas and moves an even share of the slots to them")
                .contains("kubectl -n redis-system wait --for=condition=complete job -l app.kubernetes.io/component=create-cluster,"
                        + "app.kubernetes.io/instance=redis-cluster --timeout=1h");

        Path four = rendered("analytics-cluster", "deployments[0].cluster.shards=4");
        CliRun in = CliRun.of("diff", "--profile", "analytics-cluster", "--from", four.toString());
        assertThat(in.exit()).as("%s", in).isEqualTo(2);
        assertThat(in.out()).contains("1 unsafe change")
                .contains("  shards 4→3: unsafe (the StatefulSet removes pods redis-cluster-6 and up with every slot and key their masters hold;")
                .contains("drain them first, with the old output still applied: redisgen drain with the profile and options of this diff "
                        + "| kubectl create -f -, then kubectl -n redis-system wait --for=condition=complete job -l "
                        + "app.kubernetes.io/component=drain-cluster,app.kubernetes.io/instance=redis-cluster --timeout=1h",
                        "the healers forget the removed nodes");
    }

    @Test
    void biggerDiskIsRefusedWithTheProcedure() {
        Path dir = rendered("airflow");
        CliRun run = CliRun.of("diff", "--profile", "airflow", "--set", DISK, "--from", dir.toString());
        assertThat(run.exit()).as("%s", run).isEqualTo(2);
        assertThat(run.out())
                .contains("; 1 object the API server refuses to update\n")
                .contains("  disk redis/data 10Gi→20Gi: refused")
                .contains("REFUSED by the API server: the API server refuses to update StatefulSet spec fields other than replicas")
                .contains("spec.volumeClaimTemplates[data].spec.resources.requests.storage: 10Gi → 20Gi")
                .contains("kubectl get storageclass local-path -o jsonpath='{.allowVolumeExpansion}'")
                .contains("kubectl patch pvc data-redis-2 -n airflow -p '{\"spec\":{\"resources\":{\"requests\":{\"storage\":\"20Gi\"}}}}'")
                .contains("kubectl delete statefulset redis -n airflow --cascade=orphan")
                .contains("kubectl delete pvc data-redis-N -n airflow --wait=false && kubectl delete pod redis-N -n airflow");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void jsonHasTheDocumentedFields() throws IOException {
        CliRun run = CliRun.of("diff", "--profile", "airflow", "--set", DISK, "--set", QUORUM, "--from", "golden/airflow.yaml", "--json");
        assertThat(run.exit()).as("%s", run).isEqualTo(2);
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(fieldNames(json)).containsExactly("from", "exitCode", "summary", "rollouts", "changes", "objects");
        assertThat(json.path("exitCode").asInt()).isEqualTo(2);
        assertThat(fieldNames(json.path("summary"))).containsExactly("added", "removed", "changed", "unchanged", "refused", "unsafe");
        assertThat(json.path("summary").path("refused").asInt()).isEqualTo(1);
        JsonNode quorum = null;
        for (JsonNode c : json.path("changes")) {
            assertThat(fieldNames(c)).containsExactly("deployment", "setting", "before", "after", "effect", "verdict", "reason", "line");
            if (c.path("setting").asText().equals("quorum")) {
                quorum = c;
            }
        }
        assertThat(quorum).isNotNull();
        assertThat(quorum.path("effect").asText()).isEqualTo("runtime");
        assertThat(quorum.path("before").asText() + "→" + quorum.path("after").asText()).isEqualTo("2→3");
        JsonNode sts = null;
        for (JsonNode o : json.path("objects")) {
            assertThat(fieldNames(o)).containsExactly("object", "kind", "namespace", "name", "status", "fields", "rollout", "refused",
                    "refusals", "notes");
            if (o.path("object").asText().equals("StatefulSet/airflow/redis")) {
                sts = o;
            }
        }
        assertThat(sts.path("refused").asBoolean()).isTrue();
        assertThat(sts.path("rollout").path("restarts").toString()).isEqualTo("[\"redis-2\",\"redis-1\",\"redis-0\"]");
        assertThat(sts.path("refusals").path(0).path("procedure").toString()).contains("--cascade=orphan");
        assertThat(CliRun.of("diff", "--profile", "airflow", "--set", DISK, "--set", QUORUM, "--from", "golden/airflow.yaml", "--json").out())
                .as("the same bytes every run").isEqualTo(run.out());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void patchHunksNameTheirObjects() {
        CliRun file = CliRun.of("diff", "--profile", "airflow", "--set", DISK, "--from", "golden/airflow.yaml", "--patch");
        assertThat(file.exit()).isEqualTo(2);
        assertThat(file.out()).startsWith("--- golden/airflow.yaml\n+++ golden/airflow.yaml (rendered)\n")
                .containsPattern("(?m)^@@ -\\d+,\\d+ \\+\\d+,\\d+ @@ StatefulSet/airflow/redis$")
                .contains("-          storage: 10Gi\n+          storage: 20Gi\n");
        Path dir = rendered("airflow");
        CliRun files = CliRun.of("diff", "--profile", "airflow", "--set", QUORUM, "--from", dir.toString(), "--patch");
        assertThat(files.exit()).isEqualTo(1);
        assertThat(files.out()).contains("--- " + dir + "/configmap-redis-config.yaml\n+++ " + dir + "/configmap-redis-config.yaml (rendered)\n")
                .containsPattern("(?m)^@@ .* @@ ConfigMap/airflow/redis-config$")
                .contains("+    sentinel monitor mymaster @MASTER_HOST@ 6379 3\n");
    }

    @Test
    void aGroupedOutputIsReadFromTheProfilesSubdirectory() {
        Path dir = tmp.resolve("all");
        assertThat(CliRun.of("render", "--profile", "airflow", "--profile", "gateway-ha", "--output-dir", dir.toString()).exit()).isZero();
        CliRun one = CliRun.of("diff", "--profile", "airflow", "--from", dir.toString());
        assertThat(one.exit()).as("%s", one).isZero();
        CliRun both = CliRun.of("diff", "--profile", "airflow", "--profile", "gateway-ha", "--set", QUORUM, "--from", dir.toString());
        assertThat(both.exit()).as("%s", both).isEqualTo(1);
        assertThat(both.out()).contains("ConfigMap/kubernaut-system/redis-gateway-config").doesNotContain("removed ");
    }

    @Test
    void badUsageAndBadInputAreExit2WithNothingOnStdout() throws IOException {
        CliRun neither = CliRun.of("diff", "--profile", "airflow");
        assertThat(neither.exit()).isEqualTo(2);
        assertThat(neither.err()).contains("Missing required option: '--from=PREVIOUS' or '--live'");
        CliRun both = CliRun.of("diff", "--profile", "airflow", "--from", "golden/airflow.yaml", "--live");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("--from and --live are mutually exclusive");
        CliRun missing = CliRun.of("diff", "--profile", "airflow", "--from", tmp.resolve("nope").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.out()).isEmpty();
        assertThat(missing.err()).startsWith(tmp.resolve("nope") + ": error[no-such-file]: the previous output " + tmp.resolve("nope")
                + " does not exist\n  fix: ");
        Path broken = Files.writeString(tmp.resolve("broken.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\nkind: [\n");
        CliRun yaml = CliRun.of("diff", "--profile", "airflow", "--from", broken.toString());
        assertThat(yaml.exit()).isEqualTo(2);
        assertThat(yaml.out()).isEmpty();
        assertThat(yaml.err()).startsWith(broken + ":6:").contains("error[yaml-syntax]").doesNotContain("Exception");
        Path notObject = Files.writeString(tmp.resolve("list.yaml"), "- a\n- b\n");
        CliRun object = CliRun.of("diff", "--profile", "airflow", "--from", notObject.toString());
        assertThat(object.exit()).isEqualTo(2);
        assertThat(object.err()).startsWith(notObject + ":1:1: error[previous-output]:");
    }

    @Test
    void liveNeedsKubectl() {
        CliRun run = CliRun.withEnv(Map.of("PATH", tmp.toString()), "diff", "--profile", "airflow", "--live");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("--live: error[live-cluster]: --live needs kubectl, and there is none on PATH\n  fix: ");
    }

    @Test
    void liveReadsWhatKubectlGetPrints() throws IOException {
        // A stand-in for kubectl: prints the golden objects as `kubectl get -o yaml` would, one List, and records its arguments.
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path args = tmp.resolve("args");
        Path objects = tmp.resolve("objects.yaml");
        String golden = Files.readString(Path.of("golden/airflow.yaml"));
        StringBuilder list = new StringBuilder("apiVersion: v1\nkind: List\nitems:\n");
        for (String doc : golden.split("(?m)^---\n")) {
            if (!doc.isBlank()) {
                list.append("- ").append(doc.strip().replace("\n", "\n  ")).append('\n');
            }
        }
        Files.writeString(objects, list.toString());
        Path kubectl = bin.resolve("kubectl");
        Files.writeString(kubectl, "#!/bin/sh\necho \"$@\" >> '" + args + "'\ncat '" + objects + "'\n");
        Files.setPosixFilePermissions(kubectl, PosixFilePermissions.fromString("rwx------"));
        CliRun same = CliRun.withEnv(Map.of("PATH", bin + ":/usr/bin:/bin"), "diff", "--profile", "airflow", "--live");
        assertThat(same.exit()).as("%s", same).isZero();
        assertThat(same.out()).startsWith("Compared with the cluster (kubectl get): 0 changed, 0 added, 0 removed, " + AIRFLOW_OBJECTS + " unchanged\n");
        assertThat(Files.readString(args)).contains("get --ignore-not-found -o yaml -n airflow configmap/redis-config ")
                .contains(" statefulset.apps/redis ").contains(" servicemonitor.monitoring.coreos.com/redis");
        CliRun disk = CliRun.withEnv(Map.of("PATH", bin + ":/usr/bin:/bin"), "diff", "--profile", "airflow", "--set", DISK, "--live");
        assertThat(disk.exit()).as("%s", disk).isEqualTo(2);
        assertThat(disk.out()).contains("kubectl delete statefulset redis -n airflow --cascade=orphan");

        Files.writeString(kubectl, "#!/bin/sh\necho 'The connection to the server localhost:8080 was refused' >&2\nexit 1\n");
        CliRun down = CliRun.withEnv(Map.of("PATH", bin + ":/usr/bin:/bin"), "diff", "--profile", "airflow", "--live");
        assertThat(down.exit()).isEqualTo(2);
        assertThat(down.out()).isEmpty();
        assertThat(down.err()).startsWith("--live: error[live-cluster]: kubectl get failed (exit 1): The connection to the server "
                + "localhost:8080 was refused\n");
    }

    @Test
    void renderWarnsOfAChangeTheApiServerRefusesAndRefusesItOnRequest() throws IOException {
        Path dir = rendered("airflow");
        String before = Files.readString(dir.resolve("statefulset-redis.yaml"));
        CliRun refuse = CliRun.of("render", "--profile", "airflow", "--set", DISK, "--output-dir", dir.toString(), "--refuse-immutable");
        assertThat(refuse.exit()).isEqualTo(2);
        assertThat(refuse.out()).isEmpty();
        assertThat(refuse.err()).startsWith(dir.resolve("statefulset-redis.yaml") + ": error[immutable-field]: StatefulSet/airflow/redis: "
                + "the API server refuses to update StatefulSet spec fields")
                .contains("kubectl delete statefulset redis -n airflow --cascade=orphan");
        assertThat(dir.resolve("statefulset-redis.yaml")).as("nothing written").hasContent(before);

        CliRun warn = CliRun.of("render", "--profile", "airflow", "--set", DISK, "--output-dir", dir.toString());
        assertThat(warn.exit()).as("%s", warn).isZero();
        assertThat(warn.err()).contains(": warning[immutable-field]: StatefulSet/airflow/redis: ")
                .contains("kubectl patch pvc data-redis-0 -n airflow").endsWith("wrote " + (AIRFLOW_OBJECTS + 1) + " files to " + dir + "\n");
        assertThat(Files.readString(dir.resolve("statefulset-redis.yaml"))).contains("storage: 20Gi");

        CliRun quorum = CliRun.of("render", "--profile", "airflow", "--set", DISK, "--set", QUORUM, "--output-dir", dir.toString(),
                "--refuse-immutable");
        assertThat(quorum.exit()).as("a change that applies is not refused: %s", quorum).isZero();
        assertThat(quorum.err()).doesNotContain("immutable-field");
        CliRun stdout = CliRun.of("render", "--profile", "airflow", "--refuse-immutable");
        assertThat(stdout.exit()).isEqualTo(2);
        assertThat(stdout.err()).contains("--refuse-immutable works only with --output-dir");
    }

    /** render runs thousands of times a day: without an earlier output it must not even load the diff. */
    @Test
    void renderLoadsTheDiffOnlyOverAnEarlierOutput() throws Exception {
        Path dir = tmp.resolve("fresh");
        assertThat(loadedDiffClasses("render", "--profile", "airflow", "--output-dir", dir.toString())).isEmpty();
        assertThat(loadedDiffClasses("render", "--profile", "airflow")).isEmpty();
        assertThat(loadedDiffClasses("render", "--profile", "airflow", "--output-dir", dir.toString())).as("unchanged files are not parsed")
                .isEmpty();
        assertThat(loadedDiffClasses("render", "--profile", "airflow", "--set", QUORUM, "--output-dir", dir.toString()))
                .contains("dev.redisgen.diff.Differ");
    }

    /** The dev.redisgen.diff classes a run of the CLI in a JVM of its own loads. */
    private static List<String> loadedDiffClasses(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+load=info:stdout", "-cp", System.getProperty("java.class.path"), "dev.redisgen.cli.Main"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        p.getOutputStream().close();
        List<String> loaded = new ArrayList<>();
        for (String line : new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(" (dev\\.redisgen\\.diff\\.[A-Za-z$]+) ").matcher(line);
            if (m.find()) {
                loaded.add(m.group(1));
            }
        }
        assertThat(p.waitFor()).as("exit of %s", command).isZero();
        return loaded;
    }

    /** The README's text example is this very run's output. */
    @Test
    void readmeExampleIsTheRealOutput() throws IOException {
        CliRun run = CliRun.of("diff", "--profile", "airflow", "--set", QUORUM, "--set", "deployments[0].sentinel.downAfterMilliseconds=10000",
                "--from", "golden/airflow.yaml");
        assertThat(run.exit()).isEqualTo(1);
        String readme = Files.readString(Path.of("README.md"));
        assertThat(readme).contains("$ redisgen diff --profile airflow --set '" + QUORUM
                + "' --set 'deployments[0].sentinel.downAfterMilliseconds=10000' --from golden/airflow.yaml\n" + run.out() + "```\n");
    }

    @Test
    void helpShowsExamplesAndTheExitCodes() {
        CliRun help = CliRun.of("diff", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("--from=PREVIOUS", "--live", "--json", "--patch", "--profile=NAME|FILE|DIR|-", "--set=PATH=VALUE")
                .contains("  redisgen diff --profile my-team.yaml --from deploy/redis --json | jq '.objects[] | select(.refused)'\n")
                .contains("Exit codes: 0 nothing changes, 1 changes");
        try (Stream<String> lines = help.out().lines()) {
            assertThat(lines.filter(l -> l.startsWith("  redisgen diff"))).hasSize(5);
        }
        assertThat(new String(help.out().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).isEqualTo(help.out());
    }
}
