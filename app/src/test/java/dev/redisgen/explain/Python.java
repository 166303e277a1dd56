package dev.redisgen.explain;

import static org.assertj.core.api.Assertions.fail;

import dev.redisgen.conf.Binaries;
import dev.redisgen.conf.Proc;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * A python3 that can import the client libraries a test runs. The first python3 on PATH may be another
 * installation (pyenv) than the one Debian's python3-* packages install into, so /usr/bin/python3 is tried
 * too. Skips the test when none has the modules, and fails it under CI=true (.ci/run installs them).
 */
final class Python {
    static final String PACKAGES = "python3-redis python3-celery python3-django-redis";

    private Python() {
    }

    static String require(String... modules) {
        List<String> candidates = new ArrayList<>();
        Binaries.find("python3").map(Path::toString).ifPresent(candidates::add);
        if (!candidates.contains("/usr/bin/python3")) {
            candidates.add("/usr/bin/python3");
        }
        String imports = "import " + String.join(", ", modules);
        Optional<String> found = candidates.stream()
                .filter(p -> Path.of(p).toFile().canExecute())
                .filter(p -> Proc.run(List.of(p, "-c", imports), Map.of(), Duration.ofSeconds(30)).exitCode() == 0)
                .findFirst();
        if (found.isEmpty()) {
            String what = "a python3 that can " + imports + " (apt-get install -y " + PACKAGES + ")";
            if ("true".equals(System.getenv("CI"))) {
                fail(what + " is required when CI=true; tried " + candidates);
            }
            Assumptions.abort(what + " not found; test skipped (set CI=true to make this a failure)");
        }
        return found.get();
    }
}
