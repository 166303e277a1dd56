package dev.redisgen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.redisgen.profile.ProfileLoader;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
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
        assertThat(none.err()).contains("Missing required option: '--profile=NAME|FILE'", "Try 'redisgen explain --help'");
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
    }
}
