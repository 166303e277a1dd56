package dev.redisgen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's first command through the real launcher, after `mvn package` built the jar (failsafe runs this
 * in the integration-test phase of `mvn verify`): `./redisgen render --profile gateway-ha` prints exactly
 * golden/gateway-ha.yaml, with nothing on stderr and no rebuild.
 */
class LauncherIT {

    private static String[] run(String... args) throws Exception {
        return run(Map.of(), args);
    }

    private static String[] run(Map<String, String> env, String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = "./redisgen";
        System.arraycopy(args, 0, command, 1, args.length);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        Process p = pb.start();
        var out = p.getInputStream().readAllBytes();
        var err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new String[] {Integer.toString(p.exitValue()), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8)};
    }

    @Test
    void jarIsFreshSoTheLauncherDoesNotRebuild() throws Exception {
        Path jar = Path.of("app/target/redisgen.jar");
        assertThat(jar).isRegularFile();
        assertThat(CliFilesTest.Launcher.stale(jar)).as("jar older than its sources").isFalse();
    }

    @Test
    void versionThroughTheLauncher() throws Exception {
        String[] r = run("--version");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[1]).matches("redisgen \\d+\\.\\d+\\.\\d+\n");
        assertThat(r[2]).isEmpty();
    }

    @Test
    void theReadmeMainCommandPrintsTheGoldenManifests() throws Exception {
        String[] r = run("render", "--profile", "gateway-ha");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[2]).isEmpty();
        assertThat(r[1]).isEqualTo(Files.readString(Path.of("golden/gateway-ha.yaml"), StandardCharsets.UTF_8));
    }

    /**
     * Every JDK 17+ installed in /usr/lib/jvm, forced with REDISGEN_JAVA: the golden bytes, nothing on stderr, and the
     * JDK's own kept file (an AOT cache from JDK 25 on, an AppCDS archive before) in use.
     */
    @Test
    void everyInstalledJdkPrintsTheGoldenManifestsWithItsOwnCache() throws Exception {
        List<Path> javas = new ArrayList<>();
        try (Stream<Path> homes = Files.list(Path.of("/usr/lib/jvm"))) {
            for (Path home : homes.sorted().toList()) {
                int major = major(home);
                if (major >= 17 && Files.isExecutable(home.resolve("bin/java")) && !Files.isSymbolicLink(home)) {
                    javas.add(home.resolve("bin/java"));
                }
            }
        }
        assertThat(javas).isNotEmpty();
        for (Path java : javas) {
            Map<String, String> env = Map.of("REDISGEN_JAVA", java.toString());
            String[] r = run(env, "render", "--profile", "gateway-ha");
            assertThat(r[0]).as(java + ": " + r[2]).isEqualTo("0");
            assertThat(r[2]).as(java.toString()).isEmpty();
            assertThat(r[1]).as(java.toString()).isEqualTo(Files.readString(Path.of("golden/gateway-ha.yaml"), StandardCharsets.UTF_8));
            Map<String, String> print = new HashMap<>(env);
            print.put("REDISGEN_PRINT_JAVA", "1");
            List<String> command = run(print, "render", "--profile", "gateway-ha")[1].lines().toList();
            String flag = major(java.getParent().getParent()) >= 25 ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=";
            String kept = command.stream().filter(a -> a.startsWith(flag)).findFirst().orElseThrow(() -> new AssertionError(java + " runs without " + flag));
            assertThat(Path.of(kept.substring(flag.length()))).isRegularFile();
        }
    }

    private static int major(Path home) throws Exception {
        Path release = home.resolve("release");
        if (!Files.isRegularFile(release)) {
            return 0;
        }
        for (String line : Files.readAllLines(release)) {
            if (line.startsWith("JAVA_VERSION=")) {
                String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                v = v.startsWith("1.") ? v.substring(2) : v;
                return Integer.parseInt(v.split("[^0-9]", 2)[0]);
            }
        }
        return 0;
    }
}
