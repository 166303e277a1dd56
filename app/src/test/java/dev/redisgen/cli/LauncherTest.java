package dev.redisgen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's choice of JDK and what it keeps per jar, with fake JDKs: each {@code bin/java} is a script that logs
 * its arguments, makes the file an {@code -XX:AOTCacheOutput} or {@code -XX:ArchiveClassesAtExit} names (as a real JVM
 * does at exit), and prints "ran". The launcher is the repository's, copied into a checkout of its own with a jar that
 * is not stale. No real JVM runs; {@code LauncherIT} runs the real ones.
 */
class LauncherTest {
    @TempDir
    Path tmp;

    private Path checkout;
    private Path jar;
    private Path jvms;
    private Path log;
    private Path pathBin;

    @BeforeEach
    void checkout() throws IOException {
        checkout = Files.createDirectories(tmp.resolve("repo with space"));
        Files.copy(Path.of("redisgen"), checkout.resolve("redisgen"));
        Files.setPosixFilePermissions(checkout.resolve("redisgen"), PosixFilePermissions.fromString("rwxr-xr-x"));
        jar = Files.createDirectories(checkout.resolve("app/target")).resolve("redisgen.jar");
        Files.writeString(jar, "not really a jar");
        jvms = Files.createDirectories(tmp.resolve("jvms"));
        log = tmp.resolve("java.log");
        pathBin = Files.createDirectories(tmp.resolve("bin"));
    }

    /** A fake JDK of {@code version} in {@code dir}; {@code failTraining}: it cannot make an archive or cache. */
    private Path jdk(Path dir, String version, boolean failTraining) throws IOException {
        Path home = Files.createDirectories(dir);
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Fake\"\nJAVA_VERSION=\"" + version + "\"\n");
        Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
        Files.writeString(java, """
                #!/bin/sh
                IFS='	'
                echo "$0	$*" >> '%s'
                for a in "$@"; do
                  case "$a" in
                    -XX:AOTCacheOutput=*|-XX:ArchiveClassesAtExit=*) %s ;;
                  esac
                done
                echo ran
                """.formatted(log, failTraining ? "exit 1" : "printf cache > \"${a#*=}\""));
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return java;
    }

    /** Puts {@code java} first on PATH, as /usr/bin/java (a symlink) is. */
    private void onPath(Path java) throws IOException {
        Files.deleteIfExists(pathBin.resolve("java"));
        Files.createSymbolicLink(pathBin.resolve("java"), java);
    }

    private List<String> run(Map<String, String> extraEnv) throws Exception {
        Files.deleteIfExists(log);
        ProcessBuilder pb = new ProcessBuilder(checkout.resolve("redisgen").toString(), "render", "--profile", "gateway-ha");
        Map<String, String> env = pb.environment();
        env.remove("JAVA_HOME");
        env.remove("REDISGEN_JAVA");
        env.put("PATH", pathBin + ":/usr/bin:/bin");
        env.put("REDISGEN_JVM_DIRS", jvms.toString());
        env.putAll(extraEnv);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).isEqualTo("ran\n");
        // One line per invocation, arguments separated by tabs (paths here hold spaces); shown with spaces.
        return Files.exists(log) ? Files.readAllLines(log).stream().map(l -> l.replace('\t', ' ')).toList() : List.of();
    }

    private List<String> run() throws Exception {
        return run(Map.of());
    }

    /** The value of {@code prefix} in the index-th invocation (a value ends at " -", as no path here holds that). */
    private static String flag(List<String> invocations, int index, String prefix) {
        String line = invocations.get(index);
        int at = line.indexOf(" " + prefix);
        if (at < 0) {
            return null;
        }
        String rest = line.substring(at + 1 + prefix.length());
        int end = rest.indexOf(" -");
        return end < 0 ? rest : rest.substring(0, end);
    }

    @Test
    void aJdk25IsPreferredAndItsAotCacheIsTrainedOnceThenUsed() throws Exception {
        Path java17 = jdk(tmp.resolve("system/java-17"), "17.0.15", false);
        onPath(java17);
        Path java25 = jdk(jvms.resolve("temurin-25"), "25.0.3", false);
        jdk(jvms.resolve("old-21"), "21.0.2", false);

        List<String> first = run();
        assertThat(first).hasSize(2);
        // Training: every built-in profile, into a temporary file that is then renamed.
        assertThat(first.get(0)).startsWith(java25 + " ").contains(" -jar " + jar + " render --all");
        String trained = flag(first, 0, "-XX:AOTCacheOutput=");
        assertThat(trained).matches(".*/app/target/redisgen-\\d+\\.aot\\.\\d+\\.tmp");
        String cache = flag(first, 1, "-XX:AOTCache=");
        assertThat(trained).startsWith(cache + ".");
        assertThat(Path.of(cache)).hasContent("cache").hasParent(jar.getParent());
        assertThat(Path.of(trained)).doesNotExist();
        assertThat(first.get(1)).startsWith(java25 + " ").contains("-Djdk.reflect.useNativeAccessorOnly=true")
                .doesNotContain("SharedArchiveFile").endsWith(" -jar " + jar + " render --profile gateway-ha");

        // Kept: the next run only runs.
        List<String> second = run();
        assertThat(second).hasSize(1);
        assertThat(flag(second, 0, "-XX:AOTCache=")).isEqualTo(cache);

        // A new jar: trained again, under the same name.
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(Path.of(cache)).toMillis() + 10_000));
        List<String> third = run();
        assertThat(third).hasSize(2);
        assertThat(flag(third, 0, "-XX:AOTCacheOutput=")).startsWith(cache + ".");
        assertThat(flag(third, 1, "-XX:AOTCache=")).isEqualTo(cache);
    }

    @Test
    void withoutAJdk25TheJavaOnPathRunsWithAnAppCdsArchive() throws Exception {
        Path java17 = jdk(tmp.resolve("system/java-17"), "17.0.15", false);
        onPath(java17);
        jdk(jvms.resolve("java-21"), "21.0.2", false);
        List<String> first = run();
        assertThat(first).hasSize(2);
        // The java on PATH, as PATH names it.
        assertThat(first.get(0)).startsWith(pathBin.resolve("java") + " ").contains("-XX:ArchiveClassesAtExit=").contains(" render --all");
        String archive = flag(first, 1, "-XX:SharedArchiveFile=");
        assertThat(archive).matches(".*/app/target/redisgen-\\d+\\.jsa");
        assertThat(first.get(1)).startsWith(pathBin.resolve("java") + " ").doesNotContain("AOTCache", "useNativeAccessorOnly");
        assertThat(run()).hasSize(1);
    }

    @Test
    void redisgenJavaOverridesTheChoiceAndEachJdkKeepsItsOwnFiles() throws Exception {
        Path java17 = jdk(tmp.resolve("system/java-17"), "17.0.15", false);
        onPath(java17);
        Path java25 = jdk(jvms.resolve("temurin-25"), "25.0.3", false);
        Path other17 = jdk(tmp.resolve("elsewhere/jdk-17"), "17.0.9", false);
        List<String> forced = run(Map.of("REDISGEN_JAVA", other17.toString()));
        assertThat(forced).allMatch(l -> l.startsWith(other17 + " "));
        String archive = flag(forced, 1, "-XX:SharedArchiveFile=");
        List<String> chosen = run();
        assertThat(chosen).allMatch(l -> l.startsWith(java25 + " "));
        // JAVA_HOME is a candidate too: a newer JDK there wins.
        Path java26 = jdk(tmp.resolve("home-26"), "26", false);
        List<String> home = run(Map.of("JAVA_HOME", java26.getParent().getParent().toString()));
        assertThat(home.get(home.size() - 1)).startsWith(java26 + " ");
        // Files of one JDK are not another's.
        List<String> again = run(Map.of("REDISGEN_JAVA", other17.toString()));
        assertThat(again).hasSize(1);
        assertThat(flag(again, 0, "-XX:SharedArchiveFile=")).isEqualTo(archive);
        assertThat(Files.list(jar.getParent()).map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".jar")).sorted().toList())
                .hasSize(3).allMatch(n -> n.matches("redisgen-\\d+\\.(aot|jsa)"));
    }

    @Test
    void aJdkThatCannotMakeTheCacheRunsWithoutAndDoesNotRetryUntilTheJarChanges() throws Exception {
        onPath(jdk(tmp.resolve("system/java-17"), "17.0.15", false));
        Path java25 = jdk(jvms.resolve("temurin-25"), "25.0.3", true);
        List<String> first = run();
        assertThat(first).hasSize(2);
        assertThat(first.get(1)).startsWith(java25 + " ").doesNotContain("-XX:AOTCache=");
        List<String> second = run();
        assertThat(second).hasSize(1);
        assertThat(second.get(0)).doesNotContain("-XX:AOTCache");
        List<String> leftovers = new ArrayList<>();
        try (var files = Files.list(jar.getParent())) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.contains(".tmp")).forEach(leftovers::add);
        }
        assertThat(leftovers).isEmpty();
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 10_000));
        assertThat(run()).hasSize(2);
    }

    @Test
    void printJavaShowsTheCommandInsteadOfRunningIt() throws Exception {
        onPath(jdk(tmp.resolve("system/java-17"), "17.0.15", false));
        Path java25 = jdk(jvms.resolve("temurin-25"), "25.0.3", false);
        ProcessBuilder pb = new ProcessBuilder(checkout.resolve("redisgen").toString(), "render", "--profile", "a b");
        Map<String, String> env = new HashMap<>(Map.of("PATH", pathBin + ":/usr/bin:/bin", "REDISGEN_JVM_DIRS", jvms.toString(),
                "REDISGEN_PRINT_JAVA", "1"));
        pb.environment().remove("JAVA_HOME");
        pb.environment().putAll(env);
        Process p = pb.start();
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(lines.get(0)).isEqualTo(java25.toString());
        assertThat(lines).contains("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:CompileThresholdScaling=2", "-Xms12m", "-XX:NewRatio=1", "-XX:SurvivorRatio=4")
                .endsWith("-jar", jar.toString(), "render", "--profile", "a b");
    }
}
