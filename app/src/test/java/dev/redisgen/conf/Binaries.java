package dev.redisgen.conf;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Tests that need an external binary: skipped when it is missing on a workstation, but failed
 * when {@code CI=true}, so CI never passes by skipping.
 */
public final class Binaries {
    private Binaries() {
    }

    public static Optional<Path> find(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        for (String dir : new String[] {"/usr/sbin", "/sbin", "/usr/bin", "/bin"}) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The binary's path; skips the test (fails it under CI=true) when it is missing. */
    public static Path require(String name) {
        Optional<Path> found = find(name);
        if (found.isEmpty()) {
            if ("true".equals(System.getenv("CI"))) {
                fail(name + " is required when CI=true but is not installed (apt-get install -y "
                     + "redis-server redis-sentinel redis-tools shellcheck busybox haproxy)");
            }
            Assumptions.abort(name + " not installed; test skipped (set CI=true to make this a failure)");
        }
        return found.get();
    }
}
