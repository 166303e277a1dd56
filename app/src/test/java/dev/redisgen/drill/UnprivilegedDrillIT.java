package dev.redisgen.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.redisgen.conf.Binaries;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code redisgen drill} without root, through the packaged jar: as root this test drops to the
 * unprivileged user nobody (setpriv) and runs bootstrap and a graceful failover of gateway-ha. The
 * drill must run in a user namespace of its own, meet the targets, say that the pods ran as the
 * invoking uid, and leave nothing behind on the machine: no network namespace or link of its own
 * (named by the run ids its log gives; other processes' namespaces, drills included, come and go
 * meanwhile and are none of this test's business), and nothing in its temporary directory.
 */
class UnprivilegedDrillIT {

    @TempDir
    Path tmp;

    @Test
    @Timeout(300)
    void theDrillRunsWithoutRootInAUserNamespace() throws Exception {
        Path setpriv = Binaries.require("setpriv");
        Path jar = jarForNobody();
        String java = ProcessHandle.current().info().command().orElseThrow();

        ProcessBuilder pb = new ProcessBuilder(setpriv.toString(), "--reuid=65534", "--regid=65534", "--clear-groups",
                java, "-Duser.home=" + tmp, "-Djava.io.tmpdir=" + tmp, "-cp", jar.toString(), "dev.redisgen.cli.Main",
                "drill", "--profile", "gateway-ha", "--scenario", "bootstrap", "--scenario", "master-prestop", "--json");
        pb.directory(tmp.toFile());
        Process p = pb.start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        String out = read(p.getInputStream());
        assertThat(p.waitFor(280, TimeUnit.SECONDS)).isTrue();
        String log = err.get(10, TimeUnit.SECONDS);

        assertThat(out).as(log).isNotBlank();
        DrillReport r = DrillReport.fromJson(out);
        System.out.print(r.table());
        assertThat(r.unavailable()).as(log).isNull();
        assertThat(r.results()).extracting(ScenarioResult::scenario).containsExactly(Scenario.BOOTSTRAP, Scenario.MASTER_PRESTOP);
        DrillTest.assertTargets(r);
        assertThat(r.notes()).anyMatch(n -> n.startsWith("unprivileged: the drill ran in a user namespace of its own in which uid 65534 is root")
                                            && n.contains("not as runAsUser 10001"));
        assertThat(p.exitValue()).as(log).isIn(0, 1);
        List<String> prefixes = runPrefixes(log);
        assertThat(prefixes).as("the run ids in the drill's log:\n%s", log).isNotEmpty();
        assertThat(names("netns", "list")).as("network namespaces of this drill left on the machine")
                .noneMatch(n -> prefixes.stream().anyMatch(n::startsWith));
        assertThat(names("-o", "link", "show")).as("links of this drill left on the machine")
                .noneMatch(n -> prefixes.stream().anyMatch(n::startsWith));
        // The drill's pod directories and report go to java.io.tmpdir, which is tmp here.
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left.map(f -> f.getFileName().toString())).as("nothing left in the unprivileged user's tmp")
                    .containsExactly("redisgen.jar");
        }
    }

    /** Where the kernel forbids unprivileged user namespaces (played by an unshare that fails like it): one clear message, exit 1. */
    @Test
    @Timeout(120)
    void withoutUserNamespacesItSaysWhatIsMissingAndHowToGetIt() throws Exception {
        Path setpriv = Binaries.require("setpriv");
        Path jar = jarForNobody();
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path unshare = bin.resolve("unshare");
        Files.writeString(unshare, "#!/bin/sh\necho 'unshare: unshare failed: Operation not permitted' >&2\nexit 1\n");
        Files.setPosixFilePermissions(unshare, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        String java = ProcessHandle.current().info().command().orElseThrow();

        ProcessBuilder pb = new ProcessBuilder(setpriv.toString(), "--reuid=65534", "--regid=65534", "--clear-groups",
                java, "-Djava.io.tmpdir=" + tmp, "-cp", jar.toString(), "dev.redisgen.cli.Main", "drill", "--profile", "airflow");
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.directory(tmp.toFile());
        Process p = pb.start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        String out = read(p.getInputStream());
        assertThat(p.waitFor(100, TimeUnit.SECONDS)).isTrue();

        assertThat(p.exitValue()).as(err.get()).isEqualTo(1);
        assertThat(out).startsWith("drill airflow (pod scripts under system sh")
                .contains("cannot run: not root, and an unprivileged user namespace is not available here",
                        "Operation not permitted", "run as root, or allow unprivileged user namespaces",
                        "kernel.unprivileged_userns_clone=1")
                .doesNotContain("Exception");
        assertThat(err.get()).doesNotContain("Exception");
    }

    /** The packaged jar where nobody can read it, wherever the clone lives (/root is 0700); tmp open to nobody. */
    Path jarForNobody() throws Exception {
        Binaries.require("redis-server");
        Binaries.require("redis-sentinel");
        if (Userns.euid() != 0) {
            if ("true".equals(System.getenv("CI"))) {
                fail("CI runs as root; this test needs root to become the unprivileged user");
            }
            Assumptions.abort("needs root to drop to an unprivileged user");
        }
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path jar = Files.copy(Path.of("app/target/redisgen.jar"), tmp.resolve("redisgen.jar"), StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
        return jar;
    }

    /** The name prefixes the drill's log gives for its network namespaces and links, one per lab. */
    static List<String> runPrefixes(String log) {
        Matcher m = Pattern.compile("network namespaces and links of this run: (rgd[0-9a-f]{4})\\*").matcher(log);
        List<String> prefixes = new ArrayList<>();
        while (m.find()) {
            prefixes.add(m.group(1));
        }
        return prefixes;
    }

    /** The names `ip ARGS` lists: the first word of each line ({@code ip netns list}), or the link name ({@code ip -o link}). */
    static List<String> names(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).start();
        String out = read(p.getInputStream());
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return out.lines().map(l -> l.matches("\\d+: .*") ? l.split(": ")[1].split("@")[0] : l.split(" ")[0]).toList();
    }

    static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
