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
import org.junit.jupiter.params.provider.ValueSource;

/**
 * kept_sentinel_state (common.sh), the state taken from a Sentinel's kept sentinel.conf at restart (the
 * settings come from the ConfigMap: SentinelConvergeLiveTest), under dash and busybox sh. Name resolution is faked (FAKE_RESOLVABLE) by redefining resolve after sourcing.
 */
class KeptSentinelConfTest {
    static final String NS = ".h.ns.svc.cluster.local";
    static final String R0 = "redis-0" + NS;
    static final String R1 = "redis-1" + NS;
    static final String R2 = "redis-2" + NS;

    static final String HARNESS = fakeResolveHarness("kept_sentinel_state \"$1\" \"$2\"");

    /** A script that sources common.sh with resolve() faked (the names in FAKE_RESOLVABLE resolve) and runs CALL. */
    static String fakeResolveHarness(String call) {
        return """
                # shellcheck shell=sh
                . "$SCRIPTS_DIR/common.sh"
                resolve() {
                  for _n in $FAKE_RESOLVABLE; do
                    [ "$_n" = "$1" ] && { printf '10.0.0.1\\n'; return 0; }
                  done
                  return 1
                }
                """ + call + "\n";
    }

    /** What Sentinel wrote before the failover that promoted redis-2: redis-2 is one of its replicas. */
    static final String KEPT = String.join("\n",
            "port 26379",
            "sentinel myid 0123456789012345678901234567890123456789",
            "sentinel resolve-hostnames yes",
            "sentinel announce-hostnames yes",
            "sentinel announce-ip redis-1" + NS,
            "requirepass \"old-secret\"",
            "sentinel monitor mymaster " + R0 + " 6379 2",
            "sentinel auth-pass mymaster \"old-secret\"",
            "sentinel down-after-milliseconds mymaster 5250",
            "sentinel failover-timeout mymaster 30000",
            "sentinel config-epoch mymaster 3",
            "sentinel leader-epoch mymaster 3",
            "user default on nopass ~* &* +@all",
            "sentinel known-replica mymaster " + R2 + " 6379",
            "sentinel known-replica mymaster " + R1 + " 6379",
            "sentinel known-sentinel mymaster " + R0 + " 26379 aaaa",
            "sentinel known-sentinel mymaster gone" + NS + " 26379 bbbb",
            "sentinel current-epoch 3",
            "");

    @TempDir
    Path tmp;

    Proc.Result rewrite(String shell, String mode, String master) throws Exception {
        return rewrite(shell, mode, master, Map.of());
    }

    Proc.Result rewrite(String shell, String mode, String master, Map<String, String> extraEnv) throws Exception {
        Path bin = Binaries.require(shell);
        Path scripts = ScriptFiles.materialize(tmp.resolve("scripts"));
        Path harness = tmp.resolve("harness.sh");
        Files.writeString(harness, HARNESS);
        Path kept = tmp.resolve("kept.conf");
        Files.writeString(kept, KEPT);
        Map<String, String> env = new HashMap<>();
        env.put("SCRIPTS_DIR", scripts.toString());
        env.put("POD_NAME", "redis-1");
        env.put("MASTER_NAME", "mymaster");
        env.put("ADDRESS_MODE", mode);
        env.put("FAKE_RESOLVABLE", String.join(" ", R0, R1, R2));
        env.putAll(extraEnv);
        String cmd = "exec " + bin + (shell.equals("busybox") ? " sh " : " ") + harness + " " + master + " 6379 <" + kept;
        Proc.Result r = Proc.run(List.of("/bin/sh", "-c", cmd), env, Duration.ofSeconds(20));
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return r;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dash", "busybox"})
    void theNewMasterIsNotKeptAsOneOfItsOwnReplicas(String shell) throws Exception {
        Proc.Result r = rewrite(shell, "hostname", R2);

        List<String> lines = r.stdout().lines().toList();
        // Only state: the settings (and the monitor line with its quorum) come from the ConfigMap.
        assertThat(lines).containsExactly(
                "sentinel myid 0123456789012345678901234567890123456789",
                "sentinel config-epoch mymaster 3",
                "sentinel leader-epoch mymaster 3",
                "sentinel known-replica mymaster " + R1 + " 6379",
                "sentinel known-sentinel mymaster " + R0 + " 26379 aaaa",
                "sentinel current-epoch 3");
        assertThat(r.stderr()).contains("kept config named " + R0 + ":6379; now " + R2 + ":6379");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dash", "busybox"})
    void anUnchangedMasterKeepsTheReplicasAndSaysNothing(String shell) throws Exception {
        Proc.Result r = rewrite(shell, "hostname", R0);

        assertThat(r.stdout().lines().toList()).contains("sentinel known-replica mymaster " + R2 + " 6379",
                "sentinel known-replica mymaster " + R1 + " 6379");
        assertThat(r.stderr()).doesNotContain("kept config named");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dash", "busybox"})
    void ipModeDropsEveryKnownAddress(String shell) throws Exception {
        Proc.Result r = rewrite(shell, "ip", "10.0.0.7");

        assertThat(r.stdout().lines().toList()).contains("sentinel myid 0123456789012345678901234567890123456789",
                "sentinel current-epoch 3").noneMatch(l -> l.startsWith("sentinel known-"));
    }

    /**
     * After a scale-in (here 3 → 2 co-located pods: REPLICAS and SENTINELS 2), a restarted Sentinel drops the removed pod
     * redis-2 as a replica and as a Sentinel even while its name still resolves (the pod terminating beside the roll):
     * kept, Sentinel would count it forever (SENTINEL RESET alone forgets). Pods below the count stay.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dash", "busybox"})
    void podsAScaleInRemovedAreDroppedThoughTheyStillResolve(String shell) throws Exception {
        Map<String, String> scaledIn = Map.of("STATEFULSET", "redis", "SENTINEL_STATEFULSET", "redis", "REPLICAS", "2", "SENTINELS", "2",
                "HEADLESS_SERVICE", "h", "SENTINEL_HEADLESS_SERVICE", "h", "POD_NAMESPACE", "ns", "CLUSTER_DOMAIN", "cluster.local");
        Proc.Result r = rewrite(shell, "hostname", R0, scaledIn);

        assertThat(r.stdout().lines().toList()).contains("sentinel known-replica mymaster " + R1 + " 6379",
                "sentinel known-sentinel mymaster " + R0 + " 26379 aaaa").noneMatch(l -> l.contains("redis-2."));
        // Without the scale-in (3 pods), the same kept file keeps redis-2.
        Map<String, String> three = new HashMap<>(scaledIn);
        three.put("REPLICAS", "3");
        three.put("SENTINELS", "3");
        assertThat(rewrite(shell, "hostname", R0, three).stdout().lines().toList()).contains("sentinel known-replica mymaster " + R2 + " 6379");
    }
}
