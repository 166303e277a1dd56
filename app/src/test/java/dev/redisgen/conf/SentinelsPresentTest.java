package dev.redisgen.conf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * sentinels_present (common.sh), the count the split-brain guard's majorities are of, under dash and busybox sh: a pod
 * still running the template from before a scale-in (SENTINELS 5) counts only the Sentinels up to the highest ordinal
 * whose name resolves (3 after 5 → 3), so it does not wait for a majority of Sentinels that are gone (found by the
 * drill's upgrade 5 → 3: 11 s without writes). Name resolution is faked (FAKE_RESOLVABLE).
 */
class SentinelsPresentTest {
    static final String HARNESS = KeptSentinelConfTest.fakeResolveHarness("sentinels_present");

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}: resolvable {1} -> {2}")
    @CsvSource({
        "dash, '0 1 2 3 4', 5", "busybox, '0 1 2 3 4', 5",
        // 5 -> 3: pods 3 and 4 gone for good
        "dash, '0 1 2', 3", "busybox, '0 1 2', 3",
        // pod 2 being recreated in the middle: its vote still counts
        "dash, '0 1 3 4', 5",
        // nothing resolves (no DNS): every configured Sentinel counts
        "dash, '', 5", "busybox, '', 5"})
    void countsTheSentinelsUpToTheHighestOrdinalThatResolves(String shell, String resolvable, int expected) throws Exception {
        Path bin = Binaries.require(shell);
        Path scripts = ScriptFiles.materialize(tmp.resolve("scripts"));
        Path harness = tmp.resolve("harness.sh");
        Files.writeString(harness, HARNESS);
        Map<String, String> env = new HashMap<>();
        env.put("SCRIPTS_DIR", scripts.toString());
        env.put("POD_NAME", "redis-1");
        env.put("POD_NAMESPACE", "ns");
        env.put("CLUSTER_DOMAIN", "cluster.local");
        env.put("STATEFULSET", "redis");
        env.put("SENTINEL_STATEFULSET", "redis");
        env.put("HEADLESS_SERVICE", "h");
        env.put("SENTINEL_HEADLESS_SERVICE", "h");
        env.put("SENTINELS", "5");
        env.put("REPLICAS", "5");
        StringBuilder names = new StringBuilder();
        for (String o : resolvable.isBlank() ? new String[0] : resolvable.split(" ")) {
            names.append("redis-").append(o).append(".h.ns.svc.cluster.local ");
        }
        env.put("FAKE_RESOLVABLE", names.toString().strip());
        String cmd = "exec " + bin + (shell.equals("busybox") ? " sh " : " ") + harness;
        Proc.Result r = Proc.run(List.of("/bin/sh", "-c", cmd), env, Duration.ofSeconds(20));
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout().strip()).isEqualTo(Integer.toString(expected));
    }
}
