package dev.redisgen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.redisgen.profile.ProfileLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code redisgen explain}: exit codes, stdout and stderr, as CliTest pins them for the other commands. */
class ExplainCliTest {
    static Stream<String> builtins() {
        return ProfileLoader.builtinNames().stream();
    }

    @ParameterizedTest
    @MethodSource("builtins")
    void explainsEveryBuiltinTheSameWayTwice(String name) {
        CliRun run = CliRun.of("explain", "--profile", name);
        assertThat(run.exit()).as("%s", run).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).startsWith("profile " + name + " (profiles/" + name + ".yaml)\n")
                .contains("\n== TOPOLOGY ==\n", "\n== RESOURCES (summed from the rendered pod specs) ==\n", "\n== BEFORE YOU APPLY ==\n",
                        "\n== CONNECT ==\n")
                .doesNotContain("\r", "\t\t");
        assertThat(CliRun.of("explain", "--profile", name).out()).as("deterministic").isEqualTo(run.out());
    }

    @ParameterizedTest
    @MethodSource("builtins")
    void jsonParsesWithItsKeysInAFixedOrder(String name) throws Exception {
        CliRun run = CliRun.of("explain", "--profile", name, "--json");
        assertThat(run.exit()).as("%s", run).isZero();
        assertThat(run.err()).isEmpty();
        JsonNode root = new ObjectMapper().readTree(run.out());
        assertThat(root.fieldNames()).toIterable().containsExactly("profile", "source", "description", "namespace", "createsNamespace",
                "clusterDomain", "deployments", "resources", "prerequisites");
        assertThat(root.path("profile").asText()).isEqualTo(name);
        assertThat(root.path("deployments").get(0).path("connection").path("clients")).isNotEmpty();
        assertThat(run.out()).endsWith("}\n").doesNotContain("\r");
        assertThat(CliRun.of("explain", "--profile", name, "--json").out()).as("deterministic").isEqualTo(run.out());
    }

    @Test
    void aBrokenProfileIsBadInputWithItsLocation() {
        CliRun run = CliRun.of("explain", "--profile", CliTest.INVALID + "unknown-key-typo.yaml");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains(CliTest.INVALID + "unknown-key-typo.yaml:8:7: error[unknown-field]: unknown field 'qurom'")
                .doesNotContain("Exception", "\tat ");
    }

    @Test
    void aProfileThatFailsARuleIsRefusedAsByRender() {
        CliRun run = CliRun.of("explain", "--profile", CliTest.CLI + "quorum-above-sentinels.yaml");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith(CliTest.CLI + "quorum-above-sentinels.yaml:13:15: error[quorum-range]: ");
    }

    @Test
    void aMissingFileAndAMissingOptionAreBadUsage() {
        CliRun missing = CliRun.of("explain", "--profile", CliTest.CLI + "no-such-profile.yaml");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.out()).isEmpty();
        assertThat(missing.err()).contains("no-such-profile.yaml: error[no-such-file]");
        CliRun none = CliRun.of("explain");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.out()).isEmpty();
        assertThat(none.err()).contains("Missing required option: '--profile=NAME|FILE|DIR|-' or '--all'", "Try 'redisgen explain --help'");
    }

    // ---- the profile selection render, lint and check share (Selection) ------------------------------

    @Test
    void severalProfilesAreExplainedOneAfterTheOtherInTheOrderGiven() {
        String airflow = CliRun.of("explain", "--profile", "airflow").out();
        String gateway = CliRun.of("explain", "--profile", "gateway-ha").out();
        CliRun both = CliRun.of("explain", "--profile", "gateway-ha", "--profile", "airflow");
        assertThat(both.exit()).as("%s", both).isZero();
        assertThat(both.out()).isEqualTo(gateway + "\n" + airflow);
        CliRun all = CliRun.of("explain", "--all");
        assertThat(all.exit()).as("%s", all).isZero();
        assertThat(all.out().lines().filter(l -> l.startsWith("profile ")).map(l -> l.substring(0, l.indexOf(" (")))).containsExactly(
                "profile airflow", "profile analytics-cluster", "profile gateway-ha", "profile jewelry-shop");
    }

    @Test
    void jsonOfSeveralProfilesIsOneArrayAndOfADirectoryAlwaysAnArray(@TempDir Path tmp) throws Exception {
        JsonNode both = new ObjectMapper().readTree(CliRun.of("explain", "--profile", "gateway-ha", "--profile", "airflow", "--json").out());
        assertThat(both.isArray()).isTrue();
        assertThat(both.get(0).path("profile").asText()).isEqualTo("gateway-ha");
        assertThat(both.get(1).path("profile").asText()).isEqualTo("airflow");
        assertThat(both.get(1)).isEqualTo(new ObjectMapper().readTree(CliRun.of("explain", "--profile", "airflow", "--json").out()));
        // A directory can name several profiles: an array even when it holds one, so a script needs one shape.
        Files.writeString(Files.createDirectory(tmp.resolve("profiles")).resolve("airflow.yaml"), ProfileLoader.loadBuiltin("airflow").text());
        CliRun dir = CliRun.of("explain", "--profile", tmp.resolve("profiles") + "/", "--json");
        assertThat(dir.exit()).as("%s", dir).isZero();
        JsonNode one = new ObjectMapper().readTree(dir.out());
        assertThat(one.isArray()).isTrue();
        assertThat(one).hasSize(1);
        assertThat(one.get(0).path("source").asText()).isEqualTo(tmp.resolve("profiles").resolve("airflow.yaml").toString());
    }

    @Test
    void overridesAndStandardInputAreReadAsByRender() {
        CliRun set = CliRun.of("explain", "--profile", "airflow", "--set", "deployments[0].replicas=5", "--set",
                "deployments[0].sentinel.quorum=3");
        assertThat(set.exit()).as("%s", set).isZero();
        assertThat(set.out()).contains("StatefulSet redis x5");
        String text = ProfileLoader.loadBuiltin("airflow").text();
        CliRun stdin = CliRun.withStdin(text, "explain", "--profile", "-");
        assertThat(stdin.exit()).as("%s", stdin).isZero();
        assertThat(stdin.out()).startsWith("profile airflow (<stdin>)\n")
                .isEqualTo(CliRun.of("explain", "--profile", "airflow").out().replace("(profiles/airflow.yaml)", "(<stdin>)"));
        CliRun values = CliRun.withStdin("namespace:\n  name: airflow-eu\n", "explain", "--profile", "airflow", "-f", "-");
        assertThat(values.exit()).as("%s", values).isZero();
        assertThat(values.out()).contains("\nnamespace airflow-eu ", "redis-sentinel.airflow-eu.svc.cluster.local");
        CliRun typo = CliRun.of("explain", "--profile", "airflow", "--set", "deployments[0].replicsa=5");
        assertThat(typo.exit()).isEqualTo(2);
        assertThat(typo.out()).isEmpty();
        assertThat(typo.err()).startsWith("--set deployments[0].replicsa: error[unknown-field]: unknown field 'replicsa'");
    }

    @Test
    void oneBrokenProfileAmongSeveralPrintsNothing() {
        CliRun run = CliRun.of("explain", "--profile", "airflow", "--profile", CliTest.CLI + "quorum-above-sentinels.yaml");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith(CliTest.CLI + "quorum-above-sentinels.yaml:13:15: error[quorum-range]: ");
    }

    @Test
    void warningsGoToStderrAndTheExplanationToStdout() {
        CliRun run = CliRun.of("explain", "--profile", CliTest.CLI + "no-auth.yaml");
        assertThat(run.exit()).isZero();
        assertThat(run.err()).matches("(?s)" + CliTest.CLI + "no-auth\\.yaml:7:5: warning\\[auth\\]: [^\n]*\n  fix: [^\n]*\n");
        assertThat(run.out()).startsWith("profile no-auth (").contains("no AUTH: the snippets carry no password");
    }

    @Test
    void helpListsTheCommandWithOneLineExamples() {
        assertThat(CliRun.of("--help").out()).contains("\n  explain ");
        CliRun help = CliRun.of("explain", "--help");
        assertThat(help.exit()).isZero();
        List<String> examples = help.out().substring(help.out().indexOf("Examples:\n")).lines().skip(1).toList();
        assertThat(examples).isNotEmpty().allSatisfy(l -> assertThat(l).startsWith("  redisgen explain --profile "));
        assertThat(help.out()).contains("--all", "-f, --values=FILE", "--set=PATH=VALUE", "--json");
    }
}
