package dev.redisgen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Table-driven CLI tests in the style of helm's {@code template_test.go}: every case pins the exit code,
 * stdout and stderr. The working directory is the repository root (see the surefire configuration).
 */
class CliTest {
    static final String CLI = "app/src/test/resources/cli/";
    static final String INVALID = "app/src/test/resources/profiles/invalid/";
    static final String STREAM_START = "---\napiVersion: v1\nkind: Namespace\n";

    record Case(String name, String args, int exit, Consumer<String> out, Consumer<String> err) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                // render
                new Case("render airflow", "render --profile airflow", 0, startsWith(STREAM_START), empty()),
                new Case("render analytics-cluster", "render --profile analytics-cluster", 0, startsWith(STREAM_START), empty()),
                new Case("render gateway-ha", "render --profile gateway-ha", 0, startsWith(STREAM_START), empty()),
                new Case("render jewelry-shop", "render --profile jewelry-shop", 0, startsWith(STREAM_START), empty()),
                new Case("render a built-in by its file path", "render --profile profiles/airflow.yaml", 0, startsWith(STREAM_START), empty()),
                new Case("render a missing file", "render --profile " + CLI + "no-such-profile.yaml", 2, empty(),
                        contains(CLI + "no-such-profile.yaml: error[no-such-file]: no such file")),
                new Case("render an unknown built-in suggests the nearest", "render --profile airflw", 2, empty(),
                        contains("airflw: error[no-such-profile]: no built-in profile 'airflw'; did you mean 'airflow'?", "  fix: ")),
                new Case("render a profile with a typo'd key", "render --profile " + INVALID + "unknown-key-typo.yaml", 2, empty(),
                        contains(INVALID + "unknown-key-typo.yaml:8:7: error[unknown-field]: unknown field 'qurom'")),
                new Case("render a profile with a YAML syntax error", "render --profile " + INVALID + "yaml-syntax-error.yaml", 2, empty(),
                        matches("(?s)" + INVALID + "yaml-syntax-error\\.yaml:\\d+:\\d+: error\\[yaml-syntax\\]: .*")),
                new Case("render a profile that fails a rule", "render --profile " + CLI + "quorum-above-sentinels.yaml", 2, empty(),
                        equalTo(CLI + "quorum-above-sentinels.yaml:13:15: error[quorum-range]: quorum 4 is above the 3 Sentinels of 'redis':"
                                + " no failover can ever be agreed\n  fix: set `quorum: 2` (a majority of 3)\n")),
                new Case("render prints warnings on stderr", "render --profile " + CLI + "no-auth.yaml", 0, startsWith(STREAM_START),
                        matches("(?s)" + CLI + "no-auth\\.yaml:7:5: warning\\[auth\\]: [^\n]*\n  fix: [^\n]*\n")),
                new Case("render with an empty profile name", "render --profile=", 2, empty(),
                        equalTo("--profile: error[no-such-file]: the profile name is empty\n  fix: name a built-in profile (airflow, "
                                + "analytics-cluster, gateway-ha, jewelry-shop), a profile file, a directory of profiles, or - for standard input\n")),
                new Case("render without --profile", "render", 2, empty(),
                        equalTo("redisgen: Missing required option: '--profile=NAME|FILE|DIR|-' or '--all'\n"
                                + "Try 'redisgen render --help' for more information.\n")),
                new Case("render with an unknown option", "render --profile airflow --bogus", 2, empty(),
                        equalTo("redisgen: Unknown option: '--bogus'\nTry 'redisgen render --help' for more information.\n")),

                // lint
                new Case("lint a profile without auth warns and exits 0", "lint --profile " + CLI + "no-auth.yaml", 0,
                        matches("(?s)" + CLI + "no-auth\\.yaml:7:5: warning\\[auth\\]: .*\n0 errors, 1 warning, 0 notes\n"), empty()),
                new Case("lint --strict fails on a warning", "lint --strict --profile " + CLI + "no-auth.yaml", 1,
                        matches("(?s)" + CLI + "no-auth\\.yaml:7:5: warning\\[auth\\]: .*\n0 errors, 1 warning, 0 notes\n"), empty()),
                new Case("lint a profile that fails a rule", "lint --profile " + CLI + "quorum-above-sentinels.yaml", 1,
                        matches("(?s)" + CLI + "quorum-above-sentinels\\.yaml:13:15: error\\[quorum-range\\]: .*\n1 error, 0 warnings, 0 notes\n"),
                        empty()),
                new Case("lint a built-in", "lint --profile airflow", 0,
                        matches("(?s)(profiles/airflow\\.yaml:\\d+:\\d+: note\\[[a-z-]+\\]: .*\n)?0 errors, 0 warnings, \\d+ notes?\n"), empty()),
                new Case("lint every built-in", "lint --all", 0, matches("(?s).*\n?0 errors, 0 warnings, \\d+ notes?\n"), empty()),
                new Case("lint a profile with a load error reports it with the rule findings", "lint --profile " + INVALID + "unknown-key-typo.yaml", 1,
                        matches("(?s)" + INVALID + "unknown-key-typo\\.yaml:5:5: warning\\[auth\\]: .*\n"
                                + INVALID + "unknown-key-typo\\.yaml:8:7: error\\[unknown-field\\]: .*\n1 error, 1 warning, 0 notes\n"), empty()),
                new Case("lint a profile that cannot be bound at all is bad input", "lint --profile " + INVALID + "yaml-syntax-error.yaml", 2, empty(),
                        matches("(?s)" + INVALID + "yaml-syntax-error\\.yaml:\\d+:\\d+: error\\[yaml-syntax\\]: .*")),
                new Case("lint needs --profile or --all", "lint", 2, empty(),
                        contains("Missing required option: '--profile=NAME|FILE|DIR|-' or '--all'", "Try 'redisgen lint --help'")),

                // check
                new Case("check with both --profile and --all", "check --profile airflow --all", 2, empty(),
                        contains("mutually exclusive", "Try 'redisgen check --help'")),

                // drill (the runs themselves are DrillTest's)
                new Case("drill a profile without Sentinel or Cluster", "drill --profile app/src/test/resources/profiles/valid/standalone-persistent.yaml", 2, empty(),
                        equalTo("redisgen: profile 'store' has no Sentinel deployment or Redis Cluster to drill; a"
                                + " standalone cache does not fail over\n")),
                new Case("drill an unknown scenario", "drill --profile airflow --scenario 20", 2, empty(),
                        contains("redisgen: unknown scenario '20' (1-19 or bootstrap, master-kill", "Try 'redisgen drill --help'")),
                new Case("drill a Sentinel scenario on a Redis Cluster", "drill --profile analytics-cluster --scenario freeze", 2, empty(),
                        contains("scenario freeze does not apply to Redis Cluster (its scenarios: bootstrap, master-kill, master-prestop,"
                                 + " reboot, partition, upgrade, volume-wipe, backup-restore, scale)")),
                new Case("drill a Cluster scenario on a Sentinel profile", "drill --profile airflow --scenario volume-wipe", 2, empty(),
                        contains("scenario volume-wipe does not apply to Sentinel deployments")),
                new Case("drill zero rounds", "drill --profile airflow --rounds 0", 2, empty(), contains("--rounds must be 1 or more")),
                new Case("drill a broken profile", "drill --profile " + INVALID + "unknown-key-typo.yaml", 2, empty(),
                        contains("unknown-key-typo.yaml:8:7: error[unknown-field]")),

                // profiles
                new Case("profiles lists the built-ins", "profiles", 0,
                        matches("airflow {12}\\S.*\nanalytics-cluster  \\S.*\ngateway-ha {9}\\S.*\njewelry-shop {7}\\S.*\n"), empty()),
                new Case("profiles show an unknown name", "profiles show airflw", 2, empty(), contains("did you mean 'airflow'?")),
                new Case("profiles show without a name", "profiles show", 2, empty(), contains("Missing required parameter: 'NAME'")),

                // the top command
                new Case("--version", "--version", 0, matches("redisgen \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\n"), empty()),
                new Case("render --version", "render --version", 0, matches("redisgen \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\n"), empty()),
                new Case("no command", "", 2, empty(), contains("redisgen: missing command", "Usage: redisgen [-hV] [COMMAND]")),
                new Case("unknown command", "rendr --profile airflow", 2, empty(),
                        contains("Unmatched arguments from index 0: 'rendr', '--profile', 'airflow'", "Did you mean: redisgen render", "Try 'redisgen --help'")),
                new Case("help for a command", "help render", 0, contains("Usage: redisgen render"), empty()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void run(Case c) {
        CliRun run = CliRun.of(c.args().isEmpty() ? new String[0] : c.args().split(" "));
        assertThat(run.exit()).as("exit code of %s", run).isEqualTo(c.exit());
        c.out().accept(run.out());
        c.err().accept(run.err());
    }

    static Stream<String> commands() {
        return Stream.of("", "render", "check", "lint", "drill", "profiles", "profiles show");
    }

    @ParameterizedTest(name = "redisgen {0} --help")
    @MethodSource("commands")
    void everyCommandHasHelpWithExamples(String command) {
        List<String> args = new ArrayList<>(command.isEmpty() ? List.of() : List.of(command.split(" ")));
        args.add("--help");
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertThat(run.exit()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).startsWith("Usage: redisgen" + (command.isEmpty() ? "" : " " + command))
                .contains("\nExamples:\n  redisgen ")
                .doesNotContain("\r");
    }

    /**
     * Examples are copied into a terminal, so each must be printed on one line, whole: picocli wrapped the footer
     * at 80 columns and split `drill --help`'s examples mid-argument. Every command of the tree, so a new one is
     * covered too; every example line (a footer line that starts with a space) must appear as a line of its own.
     */
    /** Issue 9's profile: exit 0 before, then 4 objects rejected by the API server; now refused, every value at its line. */
    @Test
    void valuesTheApiServerRejectedAreRefusedAtTheirLines() {
        String file = "app/src/test/resources/profiles/refused/values-the-api-server-rejected.yaml";
        CliRun run = CliRun.of("render", "--profile", file);
        assertThat(run.exit()).as("%s", run).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines().filter(l -> l.contains(": error[")).map(l -> l.substring(0, l.indexOf(": error[") + 1)
                + " " + l.substring(l.indexOf("error[") + 6, l.indexOf(']')) + " " + l.substring(l.indexOf("]: ") + 3, l.indexOf("]: ") + 23)).toList())
                .containsExactly(
                        file + ":5:38: kubernetes-values label key 'bad key!'",
                        file + ":5:50: kubernetes-values label value 'x y' of",
                        file + ":9:12: kubernetes-values image '' is not an i",
                        file + ":17:23: kubernetes-values image 'not an image!",
                        file + ":18:39: kubernetes-values 'Not A NS' is not a ",
                        file + ":19:49: kubernetes-values label key 'release '");
    }

    @Test
    void everyHelpExampleIsPrintedOnOneLine() {
        List<CommandLine> commands = CliRun.commandTree();
        assertThat(commands).hasSizeGreaterThan(7);
        for (CommandLine command : commands) {
            List<String> args = new ArrayList<>(List.of(command.getCommandSpec().qualifiedName(" ").split(" ")));
            args.remove(0);
            args.add("--help");
            CliRun run = CliRun.of(args.toArray(String[]::new));
            assertThat(run.exit()).as("%s", run).isZero();
            List<String> printed = run.out().lines().toList();
            List<String> examples = Stream.of(command.getCommandSpec().usageMessage().footer()).filter(l -> l.startsWith(" ")).toList();
            if (!command.getCommandSpec().name().equals("help")) {
                assertThat(examples).as("examples of %s", args).isNotEmpty();
            }
            for (String example : examples) {
                assertThat(printed).as("`%s` prints the example on one line", String.join(" ", args)).contains(example);
            }
            int heading = printed.indexOf("Examples:");
            for (int i = heading + 1; heading >= 0 && i < printed.size() && !printed.get(i).isEmpty(); i++) {
                assertThat(printed.get(i)).as("line %d of `%s`", i + 1, String.join(" ", args)).startsWith("  ");
            }
        }
    }

    @Test
    void profilesShowPrintsTheFileExactly() throws IOException {
        CliRun run = CliRun.of("profiles", "show", "gateway-ha");
        assertThat(run.exit()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).isEqualTo(Files.readString(Path.of("profiles/gateway-ha.yaml"), StandardCharsets.UTF_8));
    }

    static Consumer<String> empty() {
        return s -> assertThat(s).isEmpty();
    }

    static Consumer<String> equalTo(String expected) {
        return s -> assertThat(s).isEqualTo(expected);
    }

    static Consumer<String> startsWith(String prefix) {
        return s -> assertThat(s).startsWith(prefix);
    }

    static Consumer<String> contains(String... parts) {
        return s -> assertThat(s).contains(parts);
    }

    @Test
    void drillScenarioUpgradeNeedsAValidTargetBeforeAnythingRuns() {
        CliRun none = CliRun.of("drill", "--profile", "jewelry-shop", "--scenario", "upgrade");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.out()).isEmpty();
        assertThat(none.err()).contains("scenario upgrade needs --upgrade-to NAME|FILE");

        CliRun missing = CliRun.of("drill", "--profile", "jewelry-shop", "--upgrade-to", "no-such-profile.yaml");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.out()).isEmpty();
        assertThat(missing.err()).contains("no-such-profile.yaml").doesNotContain("Exception", "\tat ");
    }

    static Consumer<String> matches(String regex) {
        return s -> assertThat(s).matches(regex);
    }
}
