package dev.redisgen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check} as a user's GitOps CI runs it: a directory of profiles, a golden directory, drift shown per
 * object, orphan golden files, and runs from another working directory (a real process started there).
 */
class CheckRepositoryTest {
    @TempDir
    Path tmp;
    Path profiles;
    Path golden;

    @BeforeEach
    void repository() throws IOException {
        profiles = Files.createDirectories(tmp.resolve("redis/profiles"));
        golden = Files.createDirectories(tmp.resolve("redis/golden"));
        Files.writeString(profiles.resolve("airflow.yaml"), CliInputsTest.builtin("airflow"), StandardCharsets.UTF_8);
        Files.writeString(profiles.resolve("gateway-ha.yaml"), CliInputsTest.builtin("gateway-ha"), StandardCharsets.UTF_8);
    }

    private CliRun check(String... more) {
        List<String> args = new ArrayList<>(List.of("check", "--profile", profiles.toString(), "--golden-dir", golden.toString()));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void newProfilesThenUpdateThenClean() throws IOException {
        CliRun first = check();
        assertThat(first.exit()).isEqualTo(1);
        assertThat(first.err()).isEqualTo(golden.resolve("airflow.yaml") + ": differs from the rendered output; if the change is intended, run with --update\n"
                + golden.resolve("gateway-ha.yaml") + ": differs from the rendered output; if the change is intended, run with --update\n");
        assertThat(check("--update").exit()).isZero();
        assertThat(golden.resolve("airflow.yaml")).content(StandardCharsets.UTF_8).isEqualTo(CliInputsTest.golden("airflow"));
        CliRun clean = check();
        assertThat(clean.exit()).as("%s", clean).isZero();
        assertThat(clean.out()).isEmpty();
        assertThat(clean.err()).isEqualTo(golden.resolve("airflow.yaml") + ": up to date\n" + golden.resolve("gateway-ha.yaml") + ": up to date\n");
    }

    @Test
    void driftIsAUnifiedDiffWhoseHunksNameTheObject() throws IOException {
        assertThat(check("--update").exit()).isZero();
        Path airflow = profiles.resolve("airflow.yaml");
        Files.writeString(airflow, Files.readString(airflow).replace("downAfterMilliseconds: 5000 ", "downAfterMilliseconds: 6000 "));
        CliRun drift = check();
        assertThat(drift.exit()).isEqualTo(1);
        Path file = golden.resolve("airflow.yaml");
        assertThat(drift.out()).startsWith("--- " + file + "\n+++ " + file + " (rendered)\n@@ ")
                .containsPattern("\n@@ -\\d+,\\d+ \\+\\d+,\\d+ @@ ConfigMap/airflow/redis-config\n")
                .contains("\n-    sentinel down-after-milliseconds mymaster 5000\n+    sentinel down-after-milliseconds mymaster 6000\n")
                .containsPattern("\n@@ -\\d+,\\d+ \\+\\d+,\\d+ @@ StatefulSet/airflow/redis\n")
                .doesNotContain(golden.resolve("gateway-ha.yaml").toString());
        assertThat(drift.err()).isEqualTo(file + ": differs from the rendered output; if the change is intended, run with --update\n"
                + golden.resolve("gateway-ha.yaml") + ": up to date\n");
    }

    @Test
    void anOrphanGoldenFileIsAProblemAndUpdateDeletesIt() throws IOException {
        assertThat(check("--update").exit()).isZero();
        Files.writeString(golden.resolve("retired.yaml"), "---\nkind: Namespace\n");
        Files.writeString(golden.resolve("README.md"), "golden files\n");
        Files.writeString(golden.resolve(".keep.yaml"), "");
        CliRun orphan = check();
        assertThat(orphan.exit()).isEqualTo(1);
        assertThat(orphan.out()).isEqualTo("orphan golden file " + golden.resolve("retired.yaml") + ": no profile renders it\n");
        assertThat(orphan.err()).endsWith(golden.resolve("retired.yaml") + ": no profile renders this golden file; delete it, or run with --update\n");

        CliRun update = check("--update");
        assertThat(update.exit()).isZero();
        assertThat(update.err()).endsWith(golden.resolve("retired.yaml") + ": deleted (no profile renders it)\n");
        assertThat(golden.resolve("retired.yaml")).doesNotExist();
        assertThat(golden.resolve("README.md")).exists();
        assertThat(golden.resolve(".keep.yaml")).exists();
        assertThat(check().exit()).isZero();
    }

    @Test
    void profilesNamedOneByOneAreNotAWholeSetSoOtherGoldenFilesAreNoOrphans() throws IOException {
        assertThat(check("--update").exit()).isZero();
        // The issue's `check --profile a.yaml --profile b.yaml`, once a picocli error.
        CliRun two = CliRun.of("check", "--profile", profiles.resolve("airflow.yaml").toString(), "--profile",
                profiles.resolve("gateway-ha.yaml").toString(), "--golden-dir", golden.toString());
        assertThat(two.exit()).as("%s", two).isZero();
        CliRun one = CliRun.of("check", "--profile", profiles.resolve("airflow.yaml").toString(), "--golden-dir", golden.toString());
        assertThat(one.exit()).as("%s", one).isZero();
        assertThat(one.err()).isEqualTo(golden.resolve("airflow.yaml") + ": up to date\n");
    }

    @Test
    void overridesApplyToEveryProfileChecked() throws IOException {
        assertThat(check("--update").exit()).isZero();
        CliRun run = check("--set", "deployments[0].image=redis:7.2.5-alpine");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("+        image: redis:7.2.5-alpine\n").contains("@@ StatefulSet/airflow/redis")
                .contains("@@ StatefulSet/kubernaut-system/redis-gateway");
    }

    @Test
    void twoProfilesWithOneNameCannotShareAGoldenFile() throws IOException {
        Files.writeString(profiles.resolve("copy.yaml"), CliInputsTest.builtin("airflow"));
        CliRun run = check();
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo(profiles.resolve("copy.yaml") + ":3:7: error[unique-names]: profiles " + profiles.resolve("airflow.yaml")
                + " and " + profiles.resolve("copy.yaml") + " are both named 'airflow'; each needs its own golden file\n"
                + "  fix: give each profile its own `name`\n");
    }

    @Test
    void aMissingGoldenDirectoryIsOneErrorNotADiffOfEveryFile() throws IOException {
        Path missing = tmp.resolve("nowhere");
        CliRun run = CliRun.of("check", "--profile", profiles.toString(), "--golden-dir", missing.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo(missing + ": error[no-such-file]: golden directory " + missing + " does not exist\n"
                + "  fix: give --golden-dir DIR (relative to the current directory), or run with --update to create it\n");
        assertThat(CliRun.of("check", "--profile", profiles.toString(), "--golden-dir", missing.toString(), "--update").exit()).isZero();
        assertThat(missing.resolve("gateway-ha.yaml")).isRegularFile();
    }

    // ---- from another working directory -----------------------------------------------------------------

    @Test
    void checkAllFromAnotherDirectoryIsOneErrorNotTwelveThousandLinesOfDiff() throws Exception {
        Proc run = Proc.in(tmp, "check", "--all");
        assertThat(run.exit()).as("%s", run).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("golden: error[no-such-file]: golden directory golden does not exist in " + tmp.toRealPath() + "\n"
                + "  fix: give --golden-dir DIR (relative to the current directory), or run with --update to create it\n");
    }

    @Test
    void checkOfAUserRepositoryWorksFromItsRootWithRelativePaths() throws Exception {
        Path root = tmp.resolve("redis");
        assertThat(Proc.in(root, "check", "--profile", "profiles/", "--golden-dir", "golden", "--update").exit()).isZero();
        Proc run = Proc.in(root, "check", "--profile", "profiles/", "--golden-dir", "golden");
        assertThat(run.exit()).as("%s", run).isZero();
        assertThat(run.err()).isEqualTo("golden/airflow.yaml: up to date\ngolden/gateway-ha.yaml: up to date\n");
        // The built-ins' golden files of this repository, checked from a user's directory.
        Proc builtins = Proc.in(root, "check", "--all", "--golden-dir", Path.of("golden").toAbsolutePath().toString());
        assertThat(builtins.exit()).as("%s", builtins).isZero();
    }

    @Test
    void aFileNamedLikeABuiltinInTheCurrentDirectoryDoesNotShadowIt() throws Exception {
        Files.writeString(tmp.resolve("airflow"), CliInputsTest.builtin("gateway-ha"));
        Proc ambiguous = Proc.in(tmp, "render", "--profile", "airflow");
        assertThat(ambiguous.exit()).isEqualTo(2);
        assertThat(ambiguous.out()).isEmpty();
        assertThat(ambiguous.err()).isEqualTo("airflow: error[ambiguous-profile]: 'airflow' is both a built-in profile and a file in the current "
                + "directory\n  fix: write ./airflow to read the file, or builtin:airflow for the built-in profile\n");
        Proc builtin = Proc.in(tmp, "render", "--profile", "builtin:airflow");
        assertThat(builtin.out()).isEqualTo(CliInputsTest.golden("airflow"));
        Proc file = Proc.in(tmp, "render", "--profile", "./airflow");
        assertThat(file.out()).isEqualTo(CliInputsTest.golden("gateway-ha"));
        // --all means the built-ins whatever lies in the current directory.
        Proc all = Proc.in(tmp, "lint", "--all");
        assertThat(all.exit()).as("%s", all).isZero();
        // A word that is no built-in but a file here is not read behind the user's back either.
        Files.writeString(tmp.resolve("mine"), CliInputsTest.builtin("airflow"));
        Proc word = Proc.in(tmp, "render", "--profile", "mine");
        assertThat(word.exit()).isEqualTo(2);
        assertThat(word.err()).isEqualTo("mine: error[no-such-profile]: no built-in profile 'mine' (a word names a built-in profile; the file "
                + "'mine' here is read only as a path)\n  fix: write ./mine to read the file\n");
    }

    /**
     * The README's GitHub Actions and GitLab CI snippets are YAML their CI reads (the GitLab one once lacked its
     * closing fence), and every redisgen command in them, run as written from the root of a repository laid out as
     * they assume, passes on a clean checkout and fails on drift.
     */
    @Test
    void theReadmesCiSnippetsAreYamlAndTheirCommandsRunAsWrittenInAUsersRepository() throws Exception {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        int section = readme.indexOf("\n### GitOps CI for your repository\n");
        assertThat(section).isNotNegative();
        String text = readme.substring(section, readme.indexOf("\n## ", section + 1));
        java.util.regex.Matcher block = java.util.regex.Pattern.compile("(?s)\n```yaml\n(.*?)\n```\n").matcher(text);
        List<List<String>> commands = new ArrayList<>();
        int blocks = 0;
        while (block.find()) {
            blocks++;
            Object doc = new org.yaml.snakeyaml.Yaml().load(block.group(1));
            assertThat(doc).as("snippet %d parses as a YAML mapping", blocks).isInstanceOf(java.util.Map.class);
            // setup-java's `cache: maven` fails a job whose repository has no pom.xml, as a repository of profiles has not.
            assertThat(block.group(1)).as("snippet %d", blocks).doesNotContainPattern("setup-java@.*\\n.*cache:");
            for (String line : block.group(1).lines().map(String::strip).toList()) {
                // GitHub's step wraps the jar in a shell function named redisgen; GitLab calls the jar.
                String command = line.startsWith("redisgen ") ? line.substring("redisgen ".length())
                        : line.contains("redisgen.jar ") ? line.substring(line.indexOf("redisgen.jar ") + "redisgen.jar ".length()) : null;
                if (command != null) {
                    assertThat(command).as("a command the test can run without a shell").doesNotContain("\"", "'", "$", "|");
                    commands.add(List.of(command.strip().split("\\s+")));
                }
            }
        }
        assertThat(blocks).as("the GitHub Actions and the GitLab CI snippets").isEqualTo(2);
        assertThat(commands).as("their redisgen commands").hasSize(4).allMatch(c -> c.contains("deploy/redis/profiles/"));

        Path root = tmp.resolve("repository");
        Path mine = Files.createDirectories(root.resolve("deploy/redis/profiles"));
        Files.writeString(mine.resolve("airflow.yaml"), CliInputsTest.builtin("airflow"), StandardCharsets.UTF_8);
        Files.writeString(mine.resolve("gateway-ha.yaml"), CliInputsTest.builtin("gateway-ha"), StandardCharsets.UTF_8);
        Proc update = Proc.in(root, "check", "--profile", "deploy/redis/profiles/", "--golden-dir", "deploy/redis/golden", "--update");
        assertThat(update.exit()).as("%s", update).isZero();
        for (List<String> command : commands) {
            Proc run = Proc.in(root, command.toArray(String[]::new));
            assertThat(run.exit()).as("redisgen %s on a clean checkout: %s", String.join(" ", command), run).isZero();
        }
        Path airflow = mine.resolve("airflow.yaml");
        Files.writeString(airflow, Files.readString(airflow).replace("downAfterMilliseconds: 5000 ", "downAfterMilliseconds: 6000 "));
        for (List<String> command : commands.stream().filter(c -> c.get(0).equals("check")).toList()) {
            Proc run = Proc.in(root, command.toArray(String[]::new));
            assertThat(run.exit()).as("redisgen %s after a change to a profile: %s", String.join(" ", command), run).isEqualTo(1);
            assertThat(run.out()).contains("@@ ConfigMap/airflow/redis-config");
        }
    }

    /** redisgen's Main in a new JVM with this test's class path, started in {@code dir}. */
    record Proc(int exit, String out, String err) {
        static Proc in(Path dir, String... args) throws Exception {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
            command.addAll(List.of(args));
            Path stdout = Files.createTempFile("redisgen-out", ".txt");
            Path stderr = Files.createTempFile("redisgen-err", ".txt");
            try {
                Process p = new ProcessBuilder(command).directory(dir.toFile())
                        .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
                p.getOutputStream().close();
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError("redisgen " + String.join(" ", args) + " did not finish in 120 s");
                }
                return new Proc(p.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8), Files.readString(stderr, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(stdout);
                Files.deleteIfExists(stderr);
            }
        }
    }
}
