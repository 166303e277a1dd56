package dev.redisgen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What render, lint and check read: -f/--values, --set, --profile - (stdin), several --profile options and
 * directories of profiles, and the layout of --output-dir for several profiles.
 */
class CliInputsTest {
    @TempDir
    Path tmp;

    static String golden(String profile) throws IOException {
        return Files.readString(Path.of("golden", profile + ".yaml"), StandardCharsets.UTF_8);
    }

    static String builtin(String profile) throws IOException {
        return Files.readString(Path.of("profiles", profile + ".yaml"), StandardCharsets.UTF_8);
    }

    private Path write(String name, String text) throws IOException {
        Path file = tmp.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    // ---- overrides ------------------------------------------------------------------------------------

    @Test
    void valuesAndSetRenderExactlyWhatTheEditedProfileRenders() throws IOException {
        String text = builtin("airflow");
        assertThat(text).contains("downAfterMilliseconds: 5000 ");
        Path edited = write("edited.yaml", text.replace("downAfterMilliseconds: 5000 ", "downAfterMilliseconds: 7000 "));
        // The whole deployments list again (lists are replaced whole), with another value the --set then overrides.
        Path values = write("values.yaml", text.substring(text.indexOf("deployments:\n")).replace("downAfterMilliseconds: 5000 ", "downAfterMilliseconds: 6000 "));
        CliRun overridden = CliRun.of("render", "--profile", "airflow", "-f", values.toString(),
                "--set", "deployments[0].sentinel.downAfterMilliseconds=7000");
        assertThat(overridden.exit()).as("%s", overridden).isZero();
        assertThat(overridden.out()).isEqualTo(CliRun.of("render", "--profile", edited.toString()).out())
                .isNotEqualTo(golden("airflow"));
    }

    @Test
    void laterValuesFilesWin() throws IOException {
        Path a = write("a.yaml", "namespace: {labels: {env: prod, team: a}}\n");
        Path b = write("b.yaml", "namespace:\n  labels:\n    env: staging\n");
        CliRun run = CliRun.of("render", "--profile", "airflow", "-f", a.toString(), "--values", b.toString());
        assertThat(run.exit()).as("%s", run).isZero();
        String namespace = run.out().substring(0, run.out().indexOf("\n---", 1));
        assertThat(namespace).contains("\n    env: staging\n").contains("\n    team: a\n").doesNotContain("prod");
    }

    @Test
    void aBadSetIsBadInputLocatedAtTheOption() {
        CliRun run = CliRun.of("render", "--profile", "airflow", "--set", "deployments[0].replicas=three");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("--set deployments[0].replicas: error[wrong-type]: expected an integer at deployments[0].replicas, "
                + "got the string 'three'\n  fix: write a whole number without quotes, e.g. `--set deployments[0].replicas=2`\n");
    }

    @Test
    void aRuleBrokenThroughSetPointsAtTheOption() {
        CliRun run = CliRun.of("lint", "--profile", "airflow", "--set", "deployments[0].sentinel.quorum=4");
        assertThat(run.exit()).isEqualTo(1);
        // After the profile's own findings: overrides come after the profile, in the order given.
        assertThat(run.out()).contains("\n--set deployments[0].sentinel.quorum: error[quorum-range]: quorum 4 is above the 3 Sentinels");
    }

    @Test
    void aMissingValuesFileIsBadInput() {
        CliRun run = CliRun.of("render", "--profile", "airflow", "-f", tmp.resolve("nope.yaml").toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo(tmp.resolve("nope.yaml") + ": error[no-such-file]: no such file: " + tmp.resolve("nope.yaml")
                + "\n  fix: check the path\n");
    }

    // ---- stdin ----------------------------------------------------------------------------------------

    @Test
    void profileFromStdin() throws IOException {
        CliRun run = CliRun.withStdin(builtin("airflow"), "render", "--profile", "-");
        assertThat(run.exit()).as("%s", run).isZero();
        assertThat(run.out()).isEqualTo(golden("airflow"));
        CliRun broken = CliRun.withStdin(builtin("airflow").replace("quorum: 2", "quorum: 4"), "render", "--profile", "-");
        assertThat(broken.exit()).isEqualTo(2);
        assertThat(broken.out()).isEmpty();
        assertThat(broken.err()).matches("(?s)<stdin>:\\d+:\\d+: error\\[quorum-range\\]: quorum 4 .*");
    }

    @Test
    void valuesFromStdin() {
        CliRun run = CliRun.withStdin("deployments: [{name: redis, topology: sentinel, replicas: x}]\n",
                "render", "--profile", "airflow", "-f", "-");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).startsWith("<stdin>:1:59: error[wrong-type]: expected an integer at deployments[0].replicas");
        // lint tells it in its one pass, with the findings on the rest (CliLintInputsTest).
        CliRun lint = CliRun.withStdin("deployments: [{name: redis, topology: sentinel, replicas: x}]\n",
                "lint", "--profile", "airflow", "-f", "-");
        assertThat(lint.exit()).isEqualTo(1);
        assertThat(lint.out()).contains("<stdin>:1:59: error[wrong-type]: expected an integer at deployments[0].replicas");
    }

    @Test
    void stdinIsReadOnce() {
        CliRun run = CliRun.withStdin("name: x\n", "render", "--profile", "-", "-f", "-");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("redisgen: standard input ('-') can be read only once, but --profile and --values name it 2 times\n"
                + "Try 'redisgen render --help' for more information.\n");
    }

    /** The 4 MiB limit of a profile holds for every input: standard input and values files too, each named as what it is. */
    @Test
    void stdinAndValuesFilesOverTheSizeLimitAreRefused() throws IOException {
        String over = "name: x\n" + "#".repeat(4 << 20) + "\n";
        CliRun profile = CliRun.withStdin(over, "lint", "--profile", "-");
        assertThat(profile.exit()).isEqualTo(2);
        assertThat(profile.out()).isEmpty();
        assertThat(profile.err()).startsWith("<stdin>:2:" + ((4 << 20) - 7) + ": error[profile-too-large]: the profile passes the limit "
                + "of 4 MiB (4194304 bytes) here; a profile is a few KiB\n");
        CliRun values = CliRun.withStdin(over, "lint", "--profile", "airflow", "-f", "-");
        assertThat(values.exit()).isEqualTo(2);
        assertThat(values.err()).startsWith("<stdin>:2:" + ((4 << 20) - 7) + ": error[profile-too-large]: the values file passes the limit");
        Path file = write("big-values.yaml", over);
        CliRun fromFile = CliRun.of("render", "--profile", "airflow", "-f", file.toString());
        assertThat(fromFile.exit()).isEqualTo(2);
        assertThat(fromFile.out()).isEmpty();
        assertThat(fromFile.err()).isEqualTo(file + ":2:" + ((4 << 20) - 7) + ": error[profile-too-large]: the values file passes the limit "
                + "of 4 MiB (4194304 bytes) here; a profile is a few KiB\n  fix: check that this is the values file you meant; keep large "
                + "data (certificates, scripts, dashboards) out of it\n");
    }

    @Test
    void emptyStdinIsAnEmptyProfile() {
        CliRun run = CliRun.withStdin("", "lint", "--profile", "-");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).startsWith("<stdin>:1:1: error[empty-profile]: the profile is empty");
    }

    // ---- several profiles -----------------------------------------------------------------------------

    @Test
    void severalProfilesRenderOneStreamInTheOrderGiven() throws IOException {
        CliRun run = CliRun.of("render", "--profile", "gateway-ha", "--profile", "airflow");
        assertThat(run.exit()).as("%s", run).isZero();
        assertThat(run.out()).isEqualTo(golden("gateway-ha") + golden("airflow"));
        assertThat(CliRun.of("render", "--profile", "airflow", "--profile", "gateway-ha").out()).isEqualTo(golden("airflow") + golden("gateway-ha"));
        assertThat(CliRun.of("render", "--all").out()).isEqualTo(golden("airflow") + golden("analytics-cluster") + golden("gateway-ha")
                + golden("jewelry-shop"));
    }

    @Test
    void aDirectoryIsEveryYamlFileInItSortedByName() throws IOException {
        Path dir = tmp.resolve("profiles");
        write("profiles/z-airflow.yaml", builtin("airflow"));
        write("profiles/a-gateway.yml", builtin("gateway-ha"));
        write("profiles/.swap.yaml", "not: a profile\n");
        write("profiles/notes.txt", "not a profile\n");
        write("profiles/nested/jewelry-shop.yaml", builtin("jewelry-shop"));
        CliRun run = CliRun.of("render", "--profile", dir + "/");
        assertThat(run.exit()).as("%s", run).isZero();
        assertThat(run.out()).isEqualTo(golden("gateway-ha") + golden("airflow"));
        write("profiles/m-no-auth.yaml", Files.readString(Path.of(CliTest.CLI + "no-auth.yaml"), StandardCharsets.UTF_8));
        CliRun lint = CliRun.of("lint", "--profile", dir.toString(), "--strict");
        assertThat(lint.exit()).as("%s", lint).isEqualTo(1);
        assertThat(lint.out()).matches("(?s)" + dir.resolve("m-no-auth.yaml") + ":7:5: warning\\[auth\\].*\n" + dir.resolve("z-airflow.yaml")
                + ":.*\n0 errors, 1 warning, 1 note\n");
    }

    @Test
    void aDirectoryWithoutProfilesIsBadInput() throws IOException {
        Files.createDirectories(tmp.resolve("empty"));
        CliRun run = CliRun.of("lint", "--profile", tmp.resolve("empty") + "/");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).isEqualTo(tmp.resolve("empty") + "/: error[no-such-file]: " + tmp.resolve("empty")
                + "/ holds no profile (no *.yaml or *.yml file)\n  fix: put profile files in it, or name a profile file\n");
    }

    @Test
    void lintOfSeveralProfilesPrintsAllFindingsAndOneSummary() {
        CliRun run = CliRun.of("lint", "--profile", "airflow", "--profile", CliTest.CLI + "no-auth.yaml");
        // A warning alone exits 0, unless --strict; in any of the profiles.
        assertThat(run.exit()).isZero();
        assertThat(CliRun.of("lint", "--profile", "airflow", "--profile", CliTest.CLI + "no-auth.yaml", "--strict").exit()).isEqualTo(1);
        assertThat(run.out()).matches("(?s)profiles/airflow\\.yaml:.*\n" + CliTest.CLI + "no-auth\\.yaml:7:5: warning\\[auth\\]: .*"
                + "\n0 errors, 1 warning, \\d+ notes?\n");
    }

    @Test
    void everyBrokenProfileIsReportedAndAnOverrideProblemSaysOverWhichProfile() {
        // render: bad input; lint prints the same problems with its findings (CliLintInputsTest).
        CliRun run = CliRun.of("render", "--profile", "airflow", "--profile", CliTest.INVALID + "unknown-key-typo.yaml", "--profile", "gateway-ha",
                "--set", "deployments[2].name=x");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("--set deployments[2].name: error[invalid-value]: --set deployments[2].name: deployments has 1 item, "
                        + "so there is no item [2] (over profiles/airflow.yaml)\n")
                .contains(CliTest.INVALID + "unknown-key-typo.yaml:8:7: error[unknown-field]")
                .contains("--set deployments[2].name: error[missing-field]: missing required field 'topology' in deployments[2] "
                        + "(over profiles/gateway-ha.yaml)");
    }

    @Test
    void twoProfilesRenderingTheSameObjectAreRefusedInOneStreamAndInOneOutputDirectory() throws IOException {
        Path copy = write("copy.yaml", builtin("airflow").replace("name: airflow\ndescription", "name: airflow-copy\ndescription"));
        CliRun run = CliRun.of("render", "--profile", "airflow", "--profile", copy.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith(copy + ":6:9: error[unique-names]: profiles/airflow.yaml and " + copy
                + " both render 17 objects: Namespace airflow, ConfigMap airflow/redis-config, ConfigMap airflow/redis-proxy-config and 14 more;"
                + " applied together the second would silently replace the first\n");
        CliRun dir = CliRun.of("render", "--profile", "airflow", "--profile", copy.toString(), "--output-dir", tmp.resolve("out").toString());
        assertThat(dir.exit()).isEqualTo(2);
        assertThat(dir.err()).isEqualTo(run.err());
        assertThat(tmp.resolve("out")).doesNotExist();
        CliRun twice = CliRun.of("render", "--profile", "airflow", "--profile", "airflow");
        assertThat(twice.exit()).isEqualTo(2);
        assertThat(twice.err()).startsWith("profiles/airflow.yaml: error[unique-names]: profiles/airflow.yaml is selected twice");
    }

    @Test
    void severalProfilesInOneNamespaceRenderWhenOnlyOneCreatesIt() throws IOException {
        Path second = write("second.yaml", """
                name: second
                namespace: {name: airflow, create: false}
                deployments:
                  - {name: cache, topology: standalone, auth: {secretName: cache-auth}}
                """);
        CliRun run = CliRun.of("render", "--profile", "airflow", "--profile", second.toString());
        assertThat(run.exit()).as("%s", run).isZero();
        assertThat(run.out()).startsWith(golden("airflow")).contains("\n  name: cache\n  namespace: airflow\n");
    }

    // ---- --output-dir with several profiles -----------------------------------------------------------

    @Test
    void outputDirForSeveralProfilesHasOneSubdirectoryEachAndAKustomizationOfThem() throws IOException {
        Path out = tmp.resolve("deploy");
        CliRun run = CliRun.of("render", "--profile", "gateway-ha", "--profile", "airflow", "--output-dir", out.toString());
        assertThat(run.exit()).as("%s", run).isZero();
        assertThat(run.out()).isEmpty();
        try (Stream<Path> entries = Files.list(out)) {
            assertThat(entries.map(p -> p.getFileName().toString()).sorted())
                    .containsExactly(".redisgen.sha256", "airflow", "gateway-ha", "kustomization.yaml");
        }
        assertThat(out.resolve("kustomization.yaml")).content(StandardCharsets.UTF_8).isEqualTo("""
                # Generated by redisgen. Do not edit; re-render instead.
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                sortOptions:
                  order: fifo
                resources:
                - gateway-ha
                - airflow
                """);
        // Each subdirectory is exactly what --output-dir writes for that profile alone.
        for (String profile : new String[] {"airflow", "gateway-ha"}) {
            Path alone = tmp.resolve("alone-" + profile);
            assertThat(CliRun.of("render", "--profile", profile, "--output-dir", alone.toString()).exit()).isZero();
            assertThat(listing(out.resolve(profile))).isEqualTo(listing(alone));
        }
        int files = listing(out.resolve("airflow")).split("\n").length + listing(out.resolve("gateway-ha")).split("\n").length + 1;
        assertThat(run.err()).isEqualTo("wrote " + files + " files for 2 profiles to " + out + "\n");

        // One record at the top names the profiles in order.
        assertThat(out.resolve(".redisgen.sha256")).content(StandardCharsets.UTF_8).contains("\n# profile: gateway-ha\n# profile: airflow\n");

        // A later render that drops a profile would remove its output: refused as for one profile, unless --force.
        String[] dropping = {"render", "--profile", "airflow", "--profile", "jewelry-shop", "--output-dir", out.toString()};
        CliRun refused = CliRun.of(dropping);
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.out()).isEmpty();
        assertThat(refused.err()).isEqualTo(out + ": error[output-dir-other-profile]: " + out + " holds the output of profile 'gateway-ha', "
                + "which this render (of 'airflow', 'jewelry-shop') would remove\n  fix: render it too, give this render its own "
                + "--output-dir, or add --force to remove gateway-ha's output\n");
        CliRun again = CliRun.of(Stream.concat(Stream.of(dropping), Stream.of("--force")).toArray(String[]::new));
        assertThat(again.exit()).as("%s", again).isZero();
        try (Stream<Path> entries = Files.list(out)) {
            assertThat(entries.map(p -> p.getFileName().toString()).sorted())
                    .containsExactly(".redisgen.sha256", "airflow", "jewelry-shop", "kustomization.yaml");
        }
        // One profile alone may take over a grouped output (with --force: jewelry-shop's output goes), and the
        // other way round (no --force: adding profiles removes nobody's output).
        assertThat(CliRun.of("render", "--profile", "airflow", "--output-dir", out.toString()).exit()).isEqualTo(2);
        assertThat(CliRun.of("render", "--profile", "airflow", "--output-dir", out.toString(), "--force").exit()).isZero();
        assertThat(out.resolve("kustomization.yaml")).content(StandardCharsets.UTF_8).contains("- namespace-airflow.yaml\n");
        assertThat(CliRun.of("render", "--all", "--output-dir", out.toString()).exit()).isZero();
        assertThat(out.resolve("analytics-cluster/kustomization.yaml")).isRegularFile();
    }

    @Test
    void aDirectoryOfOneProfileStillGetsItsSubdirectory() throws IOException {
        write("p/airflow.yaml", builtin("airflow"));
        Path out = tmp.resolve("out");
        CliRun run = CliRun.of("render", "--profile", tmp.resolve("p").toString(), "--output-dir", out.toString());
        assertThat(run.exit()).as("%s", run).isZero();
        assertThat(out.resolve("airflow/statefulset-redis.yaml")).isRegularFile();
    }

    @Test
    void groupedOutputIsAllOrNothing() throws IOException {
        Path out = tmp.resolve("deploy");
        assertThat(CliRun.of("render", "--profile", "airflow", "--profile", "gateway-ha", "--output-dir", out.toString()).exit()).isZero();
        String before = listing(out);
        // A broken second profile: nothing of the first is written either.
        CliRun broken = CliRun.of("render", "--profile", "jewelry-shop", "--profile", CliTest.CLI + "quorum-above-sentinels.yaml",
                "--output-dir", out.toString());
        assertThat(broken.exit()).isEqualTo(2);
        assertThat(listing(out)).isEqualTo(before);
        // A hand-made file inside a profile's subdirectory: not replaced without --force.
        write("deploy/airflow/extra.yaml", "kind: ConfigMap\n");
        CliRun refused = CliRun.of("render", "--profile", "airflow", "--profile", "gateway-ha", "--output-dir", out.toString());
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err()).startsWith(out + ": error[output-dir-edited]: " + out + " has files that differ from what redisgen wrote "
                + "there: airflow/extra.yaml (added)\n");
        assertThat(out.resolve("airflow/extra.yaml")).hasContent("kind: ConfigMap");
    }

    @Test
    void twoProfilesWithOneNameCannotShareASubdirectory() throws IOException {
        Path other = write("other.yaml", builtin("gateway-ha").replace("name: gateway-ha\n", "name: airflow\n"));
        CliRun run = CliRun.of("render", "--profile", "airflow", "--profile", other.toString(), "--output-dir", tmp.resolve("out").toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).isEqualTo(other + ":3:7: error[unique-names]: profiles profiles/airflow.yaml and " + other
                + " are both named 'airflow'; each profile gets the subdirectory of its name\n  fix: give each profile its own `name`\n");
        assertThat(tmp.resolve("out")).doesNotExist();
    }

    @Test
    void emptyNamesAreNamedAsEmpty() {
        CliRun profile = CliRun.of("lint", "--profile=");
        assertThat(profile.exit()).isEqualTo(2);
        assertThat(profile.err()).startsWith("--profile: error[no-such-file]: the profile name is empty\n");
        CliRun values = CliRun.of("lint", "--profile", "airflow", "--values=");
        assertThat(values.exit()).isEqualTo(2);
        assertThat(values.err()).isEqualTo("--values: error[no-such-file]: the values file name is empty\n  fix: name a values file, or - for standard input\n");
    }

    @Test
    void profileAndAllTogetherIsBadUsage() {
        CliRun run = CliRun.of("render", "--profile", "airflow", "--all");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("redisgen: --profile and --all are mutually exclusive; give one or the other\n"
                + "Try 'redisgen render --help' for more information.\n");
    }

    @Test
    void helpExamplesOfTheCommandsThatReadProfilesStayOnOneLine() {
        for (String command : new String[] {"render", "lint", "check"}) {
            String help = CliRun.of(command, "--help").out();
            String examples = help.substring(help.indexOf("\nExamples:\n") + "\nExamples:\n".length());
            assertThat(examples.lines()).as("redisgen %s --help", command).allSatisfy(line -> assertThat(line).startsWith("  redisgen "));
            assertThat(help).contains("--profile=NAME|FILE|DIR|-", "-f, --values=FILE", "--set=PATH=VALUE", "--all");
        }
    }

    /** Every file under {@code dir} with its content, sorted: equal listings are equal trees. */
    /** The files under {@code dir} with a hash of each, but the record of --output-dir (only the top of a grouped output has one). */
    static String listing(Path dir) throws IOException {
        StringBuilder out = new StringBuilder();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().equals(".redisgen.sha256")).sorted().toList()) {
                out.append(dir.relativize(f)).append(' ').append(Files.readString(f, StandardCharsets.UTF_8).hashCode()).append('\n');
            }
        }
        return out.toString();
    }
}
