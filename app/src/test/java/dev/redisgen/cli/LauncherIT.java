package dev.redisgen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's first command through the real launcher, after `mvn package` built the jar (failsafe runs this
 * in the integration-test phase of `mvn verify`): `./redisgen render --profile gateway-ha` prints exactly
 * golden/gateway-ha.yaml, with nothing on stderr and no rebuild.
 */
class LauncherIT {

    private static String[] run(String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = "./redisgen";
        System.arraycopy(args, 0, command, 1, args.length);
        Process p = new ProcessBuilder(command).start();
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
}
