package dev.redisgen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands that write files (render --output-dir, check --update) and the exit-code mapping of failures. */
class CliFilesTest {
    @TempDir
    Path tmp;

    @Test
    void outputDirGetsOneFilePerObjectAndNothingOnStdout() throws IOException {
        Path dir = tmp.resolve("deploy/redis");
        CliRun run = CliRun.of("render", "--profile", "airflow", "--output-dir", dir.toString());
        assertThat(run.exit()).as("%s", run).isZero();
        assertThat(run.out()).isEmpty();
        long documents = CliRun.of("render", "--profile", "airflow").out().lines().filter("---"::equals).count();
        assertThat(run.err()).isEqualTo("wrote " + (documents + 1) + " files to " + dir + "\n");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.filter(f -> !f.getFileName().toString().startsWith("."))).hasSize((int) documents + 1);
        }
        assertThat(dir.resolve("kustomization.yaml")).isRegularFile();
        assertThat(dir.resolve(".redisgen.sha256")).content(StandardCharsets.UTF_8).contains("\n# profile: airflow\n");
        assertThat(dir.resolve("namespace-airflow.yaml")).content(StandardCharsets.UTF_8).startsWith("apiVersion: v1\nkind: Namespace\n");

        CliRun again = CliRun.of("render", "--profile", "airflow", "--output-dir", dir.toString());
        assertThat(again.exit()).as("an earlier output is replaced: %s", again).isZero();
    }

    @Test
    void foreignNonEmptyOutputDirIsLeftAlone() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("mine"));
        Files.writeString(dir.resolve("notes.txt"), "keep me\n");
        CliRun run = CliRun.of("render", "--profile", "airflow", "--output-dir", dir.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith(dir + ": error[output-dir-not-ours]: " + dir + " is not empty and not a previous redisgen output")
                .contains("\n  fix: ").doesNotContain("Exception");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(dir.resolve("notes.txt"));
        }
        assertThat(dir.resolve("notes.txt")).hasContent("keep me");
    }

    @Test
    void unwritableOutputDirIsAnErrorWithoutStackTrace() throws IOException {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        Path dir = file.resolve("out");
        CliRun run = CliRun.of("render", "--profile", "airflow", "--output-dir", dir.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo(dir + ": error[output-dir-unwritable]: cannot write " + dir + ": " + file
                + " exists and is not a directory\n  fix: choose another --output-dir, or fix " + file + "\n");
    }

    /** A parent the user cannot write: the message named redisgen's temporary directory (".out.redisgen-new-…"). */
    @Test
    void anUnwritableParentPrintsTheDirectoryNamedNotATemporaryName() throws IOException {
        Path parent = unwritableDirectory();
        Path dir = parent.resolve("redisgen-out");
        CliRun run = CliRun.of("render", "--profile", "airflow", "--output-dir", dir.toString());
        assertThat(run.exit()).as("%s", run).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith(dir + ": error[output-dir-unwritable]: cannot write " + dir + ": ")
                .contains(" in " + parent + "\n  fix: ").doesNotContain(".redisgen-", "Exception");
        assertThat(dir).doesNotExist();
    }

    /** The same for `check --update`: the golden file is named, not the temporary file beside it. */
    @Test
    void checkUpdateIntoAnUnwritableDirectoryNamesTheGoldenFile() throws IOException {
        Path parent = unwritableDirectory();
        CliRun run = CliRun.of("check", "--profile", "airflow", "--golden-dir", parent.toString(), "--update");
        assertThat(run.exit()).as("%s", run).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("redisgen: ").contains(parent.resolve("airflow.yaml").toString())
                .doesNotContain(".redisgen-", "Exception");
        assertThat(parent.resolve("airflow.yaml")).doesNotExist();
    }

    /** A directory this user cannot create entries in: read-only mode without root; root writes anywhere, but not into sysfs. */
    private Path unwritableDirectory() throws IOException {
        if (ProcessHandle.current().info().user().orElse("").equals("root")) {
            Path sysfs = Path.of("/sys/kernel");
            org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(sysfs), "no sysfs at /sys/kernel");
            return sysfs;
        }
        Path dir = Files.createDirectory(tmp.resolve("read-only"));
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("r-xr-xr-x"));
        return dir;
    }

    @Test
    void anEmptyOutputDirNameIsAUsageError() {
        for (String[] args : List.of(new String[] {"render", "--profile", "airflow", "--output-dir="},
                new String[] {"render", "--profile", "airflow", "--output-dir", ""},
                new String[] {"check", "--all", "--golden-dir="})) {
            CliRun run = CliRun.of(args);
            assertThat(run.exit()).as("%s", run).isEqualTo(2);
            assertThat(run.out()).isEmpty();
            assertThat(run.err()).matches("redisgen: Invalid value for option '--(output|golden)-dir': the directory name is empty; "
                    + "name a directory \\(\\. for this one\\)\nTry 'redisgen (render|check) --help' for more information\\.\n");
        }
    }

    @Test
    void anotherProfilesOutputDirIsRefusedUnlessForced() throws IOException {
        Path dir = tmp.resolve("deploy");
        assertThat(CliRun.of("render", "--profile", "airflow", "--output-dir", dir.toString()).exit()).isZero();
        CliRun other = CliRun.of("render", "--profile", "gateway-ha", "--output-dir", dir.toString());
        assertThat(other.exit()).isEqualTo(2);
        assertThat(other.out()).isEmpty();
        assertThat(other.err()).isEqualTo(dir + ": error[output-dir-other-profile]: " + dir + " holds the output of profile 'airflow', "
                + "not of 'gateway-ha'\n  fix: give gateway-ha its own --output-dir, or add --force to replace airflow's output\n");
        assertThat(dir.resolve("namespace-airflow.yaml")).exists();

        CliRun forced = CliRun.of("render", "--profile", "gateway-ha", "--output-dir", dir.toString(), "--force");
        assertThat(forced.exit()).as("%s", forced).isZero();
        assertThat(dir.resolve("namespace-airflow.yaml")).doesNotExist();
        assertThat(dir.resolve("namespace-kubernaut-system.yaml")).exists();
    }

    @Test
    void handEditsInTheOutputDirAreRefusedUnlessForced() throws IOException {
        Path dir = tmp.resolve("deploy");
        assertThat(CliRun.of("render", "--profile", "airflow", "--output-dir", dir.toString()).exit()).isZero();
        Path edited = dir.resolve("namespace-airflow.yaml");
        String rendered = Files.readString(edited);
        Files.writeString(edited, rendered.replace("name: airflow", "name: airflow-by-hand"));
        CliRun run = CliRun.of("render", "--profile", "airflow", "--output-dir", dir.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).startsWith(dir + ": error[output-dir-edited]: " + dir
                + " has files that differ from what redisgen wrote there: namespace-airflow.yaml (edited)\n  fix: ");
        assertThat(edited).content().contains("airflow-by-hand");
        assertThat(CliRun.of("render", "--profile", "airflow", "--output-dir", dir.toString(), "--force").exit()).isZero();
        assertThat(edited).content().isEqualTo(rendered);
    }

    @Test
    void aGitkeepInTheOutputDirIsAcceptedAndKept() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("deploy"));
        Files.writeString(dir.resolve(".gitkeep"), "");
        CliRun run = CliRun.of("render", "--profile", "airflow", "--output-dir", dir.toString());
        assertThat(run.exit()).as("%s", run).isZero();
        assertThat(dir.resolve(".gitkeep")).exists();
        assertThat(dir.resolve("kustomization.yaml")).exists();
    }

    @Test
    void forceWithoutOutputDirIsAUsageError() {
        CliRun run = CliRun.of("render", "--profile", "airflow", "--force");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("redisgen: --force works only with --output-dir");
    }

    @Test
    void checkReportsAMissingGoldenFileThenUpdateThenAChangedByte() throws IOException {
        Path golden = Files.createDirectory(tmp.resolve("golden"));
        String dir = golden.toString();
        Path file = golden.resolve("airflow.yaml");

        CliRun missing = CliRun.of("check", "--profile", "airflow", "--golden-dir", dir);
        assertThat(missing.exit()).as("%s", missing).isEqualTo(1);
        assertThat(missing.out()).startsWith("golden file " + file + " does not exist; run with --update to create it\n--- " + file + "\n+++ ")
                .contains("\n@@ -0,0 +1,");
        assertThat(missing.err()).isEqualTo(file + ": differs from the rendered output; if the change is intended, run with --update\n");
        assertThat(file).doesNotExist();

        CliRun created = CliRun.of("check", "--profile", "airflow", "--golden-dir", dir, "--update");
        assertThat(created.exit()).isZero();
        assertThat(created.out()).isEmpty();
        assertThat(created.err()).isEqualTo(file + ": created\n");
        assertThat(file).content(StandardCharsets.UTF_8).isEqualTo(CliRun.of("render", "--profile", "airflow").out());

        CliRun clean = CliRun.of("check", "--profile", "airflow", "--golden-dir", dir);
        assertThat(clean.exit()).isZero();
        assertThat(clean.out()).isEmpty();
        assertThat(clean.err()).isEqualTo(file + ": up to date\n");

        String text = Files.readString(file, StandardCharsets.UTF_8);
        Files.writeString(file, text.replaceFirst("name: airflow\n", "name: airfloW\n"), StandardCharsets.UTF_8);
        CliRun drift = CliRun.of("check", "--profile", "airflow", "--golden-dir", dir);
        assertThat(drift.exit()).isEqualTo(1);
        assertThat(drift.out()).startsWith("--- " + file + "\n+++ " + file + " (rendered)\n@@ ")
                .contains("\n-  name: airfloW\n+  name: airflow\n");

        CliRun updated = CliRun.of("check", "--profile", "airflow", "--golden-dir", dir, "--update");
        assertThat(updated.exit()).isZero();
        assertThat(updated.err()).isEqualTo(file + ": updated\n");
        assertThat(file).content(StandardCharsets.UTF_8).isEqualTo(text);
    }

    @Test
    void checkAllCoversEveryBuiltinAndAProfileFileIsNamedByItsNameField() throws IOException {
        String dir = tmp.resolve("g").toString();
        assertThat(CliRun.of("check", "--all", "--golden-dir", dir, "--update").exit()).isZero();
        CliRun all = CliRun.of("check", "--all", "--golden-dir", dir);
        assertThat(all.exit()).isZero();
        assertThat(all.err()).isEqualTo(Stream.of("airflow", "analytics-cluster", "gateway-ha", "jewelry-shop")
                .map(n -> Path.of(dir, n + ".yaml") + ": up to date\n").reduce("", String::concat));

        CliRun file = CliRun.of("check", "--profile", CliTest.CLI + "no-auth.yaml", "--golden-dir", dir, "--update");
        assertThat(file.exit()).isZero();
        assertThat(file.err()).isEqualTo(Path.of(dir, "no-auth.yaml") + ": created\n");
    }

    @Test
    void checkOfABrokenProfileIsBadInput() {
        CliRun run = CliRun.of("check", "--profile", CliTest.CLI + "quorum-above-sentinels.yaml", "--golden-dir", tmp.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("error[quorum-range]");
        assertThat(tmp.resolve("quorum-above-sentinels.yaml")).doesNotExist();
    }

    @Test
    void internalErrorIsOneLineUnlessDebugging() {
        StringWriter err = new StringWriter();
        int exit = Cli.failed(new IllegalStateException("boom"), new PrintWriter(err), Map.of());
        assertThat(exit).isEqualTo(70);
        assertThat(err.toString()).isEqualTo("redisgen: internal error: java.lang.IllegalStateException: boom\n"
                + "please report this (set REDISGEN_DEBUG=1 to see the stack trace)\n");

        StringWriter debug = new StringWriter();
        Cli.failed(new IllegalStateException("boom"), new PrintWriter(debug), Map.of("REDISGEN_DEBUG", "1"));
        assertThat(debug.toString()).startsWith("redisgen: internal error: java.lang.IllegalStateException: boom\nplease report this\n")
                .contains("\tat dev.redisgen.cli.CliFilesTest");
    }

    @Test
    void writerIsUtf8WithUnixLineEnds() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintWriter w = Cli.writer(bytes);
        w.println("é");
        w.flush();
        assertThat(bytes.toByteArray()).containsExactly(0xc3, 0xa9, '\n');
    }

    /** The launcher's staleness rule, in Java: any file under its inputs newer than the jar. */
    static final class Launcher {
        static boolean stale(Path jar) throws IOException {
            long built = Files.getLastModifiedTime(jar).toMillis();
            for (Path input : List.of(Path.of("app/src/main"), Path.of("profiles"), Path.of("pom.xml"), Path.of("app/pom.xml"))) {
                try (Stream<Path> files = Files.walk(input)) {
                    if (files.anyMatch(f -> modified(f) > built)) {
                        return true;
                    }
                }
            }
            return false;
        }

        private static long modified(Path f) {
            try {
                return Files.getLastModifiedTime(f).toMillis();
            } catch (IOException e) {
                return Long.MAX_VALUE;
            }
        }
    }
}
