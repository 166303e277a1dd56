package dev.redisgen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Render's hand-written fast path ({@link FastRender}) against picocli: every invocation gives the same exit code,
 * stdout and stderr (and the same output directory) whichever parses it; what the fast path does not take is left
 * to picocli; and a fast render does not build picocli's command model.
 */
class FastRenderTest {
    @TempDir
    Path tmp;

    /** One run through {@link Cli#run} (the fast path where it applies) and one through picocli alone. */
    private record Both(CliRun fast, CliRun picocli) {
    }

    private static CliRun runFast(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Cli.UnixPrintWriter o = new Cli.UnixPrintWriter(out);
        Cli.UnixPrintWriter e = new Cli.UnixPrintWriter(err);
        int exit = Cli.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), o, e, Map.of());
        o.flush();
        e.flush();
        return new CliRun(exit, out.toString(), err.toString());
    }

    private static CliRun runPicocli(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Cli.UnixPrintWriter o = new Cli.UnixPrintWriter(out);
        Cli.UnixPrintWriter e = new Cli.UnixPrintWriter(err);
        int exit = Cli.commandLine(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), o, e, Map.of()).execute(args);
        o.flush();
        e.flush();
        return new CliRun(exit, out.toString(), err.toString());
    }

    /**
     * Runs both ways; {@code dir} (when not null) is emptied before each, so that both meet the same directory, and
     * its files after each run are compared too.
     */
    private Both both(String stdin, Path dir, String... args) throws IOException {
        delete(dir);
        CliRun fast = runFast(stdin, args);
        List<String> fastFiles = files(dir);
        delete(dir);
        CliRun picocli = runPicocli(stdin, args);
        assertThat(fast).as("%s", String.join(" ", args)).isEqualTo(picocli);
        assertThat(fastFiles).isEqualTo(files(dir));
        return new Both(fast, picocli);
    }

    private static void delete(Path dir) throws IOException {
        if (dir != null && Files.exists(dir)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static List<String> files(Path dir) throws IOException {
        List<String> all = new ArrayList<>();
        if (dir != null && Files.exists(dir)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted().toList()) {
                    all.add(dir.relativize(p) + (Files.isRegularFile(p) ? "\n" + Files.readString(p) : ""));
                }
            }
        }
        return all;
    }

    @Test
    void theCommonRendersAreTakenByTheFastPathAndPrintWhatPicocliPrints() throws IOException {
        Path values = Files.writeString(tmp.resolve("values.yaml"), "namespace:\n  name: airflow-eu\n");
        Path dir = Files.createDirectory(tmp.resolve("profiles"));
        Files.copy(Path.of("profiles/airflow.yaml"), dir.resolve("airflow.yaml"));
        Files.copy(Path.of("profiles/gateway-ha.yaml"), dir.resolve("gateway-ha.yml"));
        List<String[]> invocations = List.of(
                new String[] {"render", "--profile", "gateway-ha"},
                new String[] {"render", "--profile=airflow"},
                new String[] {"render", "--all"},
                new String[] {"render", "--profile", "jewelry-shop", "--profile", "analytics-cluster"},
                new String[] {"render", "--profile", "airflow", "-f", values.toString(), "--set", "namespace.name=airflow-us"},
                new String[] {"render", "--values=" + values, "--profile", "airflow", "--set=name=airflow-two"},
                new String[] {"render", "--profile", dir + "/"});
        for (String[] args : invocations) {
            assertThat(FastRender.parse(args)).as(String.join(" ", args)).isNotNull();
            Both run = both("", null, args);
            assertThat(run.fast().exit()).as(run.fast().toString()).isZero();
            assertThat(run.fast().out()).startsWith("---\n");
        }
    }

    @Test
    void badInputGivesPicocliRunsMessagesAndExitCodes() throws IOException {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        List<String[]> invocations = List.of(
                new String[] {"render", "--profile", "no-such-builtin"},
                new String[] {"render", "--profile", tmp.resolve("missing.yaml").toString()},
                new String[] {"render", "--profile", "app/src/test/resources/cli/quorum-above-sentinels.yaml"},
                new String[] {"render", "--profile", "app/src/test/resources/profiles/valid/"},
                new String[] {"render", "--profile", "airflow", "--set", "deployments[0"},
                new String[] {"render", "--profile", "airflow", "--set", "deployments[0].replicas=many"},
                new String[] {"render", "--profile", "airflow", "-f", tmp.resolve("nope.yaml").toString()},
                new String[] {"render", "--profile", "gateway-ha", "--profile", "gateway-ha"},
                new String[] {"render", "--profile", "airflow", "--output-dir", file.toString()});
        for (String[] args : invocations) {
            assertThat(FastRender.parse(args)).as(String.join(" ", args)).isNotNull();
            Both run = both("", null, args);
            assertThat(run.fast().exit()).as(run.fast().toString()).isEqualTo(2);
            assertThat(run.fast().out()).isEmpty();
            assertThat(run.fast().err()).doesNotContain("Exception", "\tat ");
        }
    }

    @Test
    void standardInput() throws IOException {
        String profile = runFast("", "profiles", "show", "airflow").out();
        for (String[] args : List.of(new String[] {"render", "--profile", "-"}, new String[] {"render", "--profile", "airflow", "-f", "-"})) {
            assertThat(FastRender.parse(args)).isNotNull();
            assertThat(both(args[2].equals("-") ? profile : "namespace:\n  name: airflow-eu\n", null, args).fast().exit()).isZero();
        }
        assertThat(both(profile.replace("quorum: 2", "quorum: 4"), null, "render", "--profile", "-").fast().exit()).isEqualTo(2);
    }

    @Test
    void outputDirectories() throws IOException {
        Path out = tmp.resolve("out");
        assertThat(both("", out, "render", "--profile", "airflow", "--output-dir", out.toString()).fast().exit()).isZero();
        assertThat(both("", out, "render", "--profile=airflow", "--output-dir=" + out, "--force").fast().exit()).isZero();
        assertThat(both("", out, "render", "--profile", "airflow", "--profile", "gateway-ha", "--output-dir", out.toString()).fast().exit()).isZero();
        // Over another profile's output: refused the same way, and --force replaces it the same way.
        for (boolean force : List.of(false, true)) {
            delete(out);
            runFast("", "render", "--profile", "gateway-ha", "--output-dir", out.toString());
            List<String> args = new ArrayList<>(List.of("render", "--profile", "airflow", "--output-dir", out.toString()));
            if (force) {
                args.add("--force");
            }
            CliRun fast = runFast("", args.toArray(String[]::new));
            delete(out);
            runFast("", "render", "--profile", "gateway-ha", "--output-dir", out.toString());
            assertThat(fast).isEqualTo(runPicocli("", args.toArray(String[]::new)));
            assertThat(fast.exit()).isEqualTo(force ? 0 : 2);
        }
    }

    /**
     * Several profiles are rendered on several threads and printed in the order given: a directory of 29 profiles
     * prints exactly what 29 single renders print, one after the other, whether the writer takes the bytes as they
     * are ({@link Cli#writer}, as {@link Main} makes it) or text, each time (the stream, ~5 MB, goes through the spool's
     * file, and more profiles than the render threads keep in flight); and --all the golden files in name order.
     */
    @Test
    void profilesRenderedTogetherPrintInTheOrderGiven() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("many"));
        List<String> base = List.of("jewelry-shop", "gateway-ha", "airflow", "analytics-cluster");
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 29; i++) {
            String name = base.get(i % 4);
            String id = String.format(java.util.Locale.ROOT, "%02d", i);
            String text = Files.readString(Path.of("profiles", name + ".yaml"))
                    .replaceFirst("(?m)^name: (\\S+)", "name: $1-" + id)
                    .replaceFirst("(?m)^(namespace:\\n  name: )(\\S+)", "$1$2-" + id);
            Path file = Files.writeString(dir.resolve("p" + id + ".yaml"), text);
            CliRun single = runFast("", "render", "--profile", file.toString());
            assertThat(single.exit()).as(single.toString()).isZero();
            expected.append(single.out());
        }
        assertThat(expected.length()).isGreaterThan(Spool.MEMORY_BYTES);
        CliRun together = runFast("", "render", "--profile", dir.toString());
        assertThat(together.exit()).as(together.toString()).isZero();
        assertThat(together.out()).isEqualTo(expected.toString());
        for (int run = 0; run < 2; run++) {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            java.io.PrintWriter out = Cli.writer(bytes);
            out.print("before\n");
            StringWriter err = new StringWriter();
            int exit = Cli.run(new String[] {"render", "--profile", dir.toString()}, InputStream.nullInputStream(), out,
                    new Cli.UnixPrintWriter(err), Map.of());
            out.flush();
            assertThat(exit).as(err.toString()).isZero();
            assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("before\n" + expected);
        }
        StringBuilder goldens = new StringBuilder();
        for (String name : List.of("airflow", "analytics-cluster", "gateway-ha", "jewelry-shop")) {
            goldens.append(Files.readString(Path.of("golden", name + ".yaml")));
        }
        assertThat(runFast("", "render", "--all").out()).isEqualTo(goldens.toString());
    }

    /** Help, usage mistakes and anything unusual are picocli's: the fast path declines them. */
    @Test
    void everythingElseIsLeftToPicocli() throws IOException {
        Path values = Files.writeString(tmp.resolve("v.yaml"), "name: x\n");
        List<String[]> declined = List.of(
                new String[] {"render"},
                new String[] {"render", "--help"},
                new String[] {"render", "-h"},
                new String[] {"render", "--version"},
                new String[] {"render", "--profile"},
                new String[] {"render", "--profile="},
                new String[] {"render", "--profile", "airflow", "--all"},
                new String[] {"render", "--all", "--all"},
                new String[] {"render", "--all=true"},
                new String[] {"render", "--profile", "--all"},
                new String[] {"render", "--profile", "airflow", "--force"},
                new String[] {"render", "--profile", "airflow", "--output-dir="},
                new String[] {"render", "--profile", "airflow", "--output-dir", " "},
                new String[] {"render", "--profile", "airflow", "--output-dir", "a", "--output-dir", "b"},
                new String[] {"render", "--profile", "airflow", "--output-dir", "a", "--force", "--force"},
                new String[] {"render", "--profile", "-", "-f", "-"},
                new String[] {"render", "--profile", "@args.txt"},
                new String[] {"render", "@args.txt"},
                new String[] {"render", "--profile", "airflow", "-f" + values},
                new String[] {"render", "--profile", "airflow", "--", "x"},
                new String[] {"render", "--profile", "airflow", "extra"},
                new String[] {"render", "--profile", "airflow", "--no-such-option"},
                new String[] {"render", "--profile", "render"},
                new String[] {"render", "--profile", "help"},
                new String[] {"render", "--set", "-x=1", "--profile", "airflow"},
                new String[] {"--profile", "airflow", "render"},
                new String[] {"check", "--all"},
                new String[] {"lint", "--profile", "airflow"});
        for (String[] args : declined) {
            assertThat(FastRender.parse(args)).as(String.join(" ", args)).isNull();
        }
    }

    /** The point of it: a fast render builds none of picocli's command model (a JVM of its own, logging class loads). */
    @Test
    void aFastRenderLoadsNoPicocliModel() throws Exception {
        Path log = tmp.resolve("classes.log");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+load=info:file=" + log, "-cp", System.getProperty("java.class.path"), "dev.redisgen.cli.Main",
                "render", "--profile", "gateway-ha")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        List<String> picocli = Files.readAllLines(log).stream().filter(l -> l.contains(" picocli.")).toList();
        // Selection's bytecode names ParameterException, so verifying it loads that class and its superclass; no more.
        assertThat(picocli).hasSizeLessThanOrEqualTo(2).noneMatch(l -> l.contains("CommandLine$Model") || l.contains("CommandLine "));
    }
}
