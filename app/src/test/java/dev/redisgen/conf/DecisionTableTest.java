package dev.redisgen.conf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The master decision of common.sh (bootstrap_decide) as a table, run under dash and busybox sh.
 * Sentinel answers are faked by redefining sentinel_query after sourcing common.sh; kept state is
 * a real file in a temp DATA_DIR.
 */
class DecisionTableTest {

    static final String NS = "h.ns.svc.cluster.local";

    static String pod(int i) {
        return "redis-" + i + "." + NS;
    }

    /** Fake Sentinel answers: "sN=host:port:epoch" or "sN=down". */
    static final String HARNESS = """
            # shellcheck shell=sh
            . "$SCRIPTS_DIR/common.sh"
            sentinel_query() {
              for _f in $FAKE_SENTINELS; do
                if [ "${_f%%=*}" = "$1" ]; then
                  _v=${_f#*=}
                  [ "$_v" = down ] && return 1
                  printf '%s master\\n' "$(printf '%s' "$_v" | tr ':' ' ')"
                  return 0
                fi
              done
              return 1
            }
            bootstrap_decide
            """;

    record Case(String name, String podName, String sentinels, String keptMaster, String recorded, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final List<Case> CASES = List.of(
            new Case("first start: pod 0 is master", "redis-0", "s0=down s1=down s2=down", null, null, "master"),
            new Case("first start: pod 1 replicates pod 0", "redis-1", "s0=down s1=down s2=down", null, null,
                    "replica " + pod(0) + " 6379"),
            new Case("restart, Sentinels name pod 2: pod 0 is NOT master", "redis-0",
                    "s0=" + pod(2) + ":6379:4 s1=" + pod(2) + ":6379:4 s2=" + pod(2) + ":6379:4", null, null,
                    "replica " + pod(2) + " 6379"),
            new Case("restart, one Sentinel reachable naming pod 1 wins over kept state", "redis-0",
                    "s0=down s1=" + pod(1) + ":6379:3 s2=down", pod(2), null, "replica " + pod(1) + " 6379"),
            new Case("restart, Sentinels name this pod: master", "redis-2",
                    "s0=" + pod(2) + ":6379:4 s1=" + pod(2) + ":6379:4 s2=down", null, null, "master"),
            new Case("restart, no Sentinel, kept sentinel.conf names pod 1: pod 0 replicates it", "redis-0",
                    "s0=down s1=down s2=down", pod(1), null, "replica " + pod(1) + " 6379"),
            new Case("restart, no Sentinel, kept sentinel.conf names this pod: master", "redis-1",
                    "s0=down s1=down s2=down", pod(1), null, "master"),
            new Case("restart, no Sentinel, only the recorded master (separate Sentinels)", "redis-0",
                    "s0=down s1=down s2=down", null, pod(2), "replica " + pod(2) + " 6379"),
            new Case("restart, no Sentinel, no state: first-start rule, pod 0 master", "redis-0",
                    "s0=down s1=down s2=down", null, null, "master"),
            new Case("restart, no Sentinel, no state: pod 2 replicates pod 0", "redis-2",
                    "s0=down s1=down s2=down", null, null, "replica " + pod(0) + " 6379"),
            new Case("Sentinels disagree: the majority wins", "redis-0",
                    "s0=" + pod(1) + ":6379:5 s1=" + pod(2) + ":6379:4 s2=" + pod(2) + ":6379:4", null, null,
                    "replica " + pod(2) + " 6379"),
            new Case("Sentinels disagree 1:1: the newer config epoch wins", "redis-0",
                    "s0=" + pod(1) + ":6379:3 s1=down s2=" + pod(2) + ":6379:7", null, null,
                    "replica " + pod(2) + " 6379"),
            new Case("Sentinels disagree: majority names this pod", "redis-1",
                    "s0=" + pod(1) + ":6379:3 s1=" + pod(1) + ":6379:3 s2=" + pod(2) + ":6379:9", pod(2), null,
                    "master"));

    static Stream<Arguments> table() {
        List<Arguments> args = new ArrayList<>();
        for (String shell : List.of("dash", "busybox")) {
            for (Case c : CASES) {
                args.add(Arguments.of(shell, c));
            }
        }
        return args.stream();
    }

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("table")
    void decides(String shell, Case c) throws IOException {
        Path bin = Binaries.require(shell);
        Path scripts = ScriptFiles.materialize(tmp.resolve("scripts"));
        Path harness = tmp.resolve("harness.sh");
        Files.writeString(harness, HARNESS);
        Path data = tmp.resolve("data");
        Files.createDirectories(data);
        if (c.keptMaster() != null) {
            Files.createDirectories(data.resolve("sentinel"));
            Files.writeString(data.resolve("sentinel/sentinel.conf"), """
                    port 26379
                    sentinel myid 0123456789012345678901234567890123456789
                    sentinel resolve-hostnames yes
                    sentinel monitor mymaster %s 6379 2
                    sentinel config-epoch mymaster 3
                    """.formatted(c.keptMaster()));
        }
        if (c.recorded() != null) {
            Files.createDirectories(data.resolve(".redisgen"));
            Files.writeString(data.resolve(".redisgen/last-master"), c.recorded() + " 6379\n");
        }
        Map<String, String> env = new HashMap<>();
        env.put("SCRIPTS_DIR", scripts.toString());
        env.put("DATA_DIR", data.toString());
        env.put("POD_NAME", c.podName());
        env.put("POD_NAMESPACE", "ns");
        env.put("HEADLESS_SERVICE", "h");
        env.put("STATEFULSET", "redis");
        env.put("SENTINEL_ADDRESSES", "s0:26379 s1:26379 s2:26379");
        env.put("FAKE_SENTINELS", c.sentinels());
        List<String> cmd = shell.equals("busybox")
                ? List.of(bin.toString(), "sh", harness.toString())
                : List.of(bin.toString(), harness.toString());
        Proc.Result r = Proc.run(cmd, env, Duration.ofSeconds(30));
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).as("decision; log:\n" + r.stderr()).isEqualTo(c.expected() + "\n");
        assertThat(r.stderr()).contains("decision:");
    }
}
