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

    /** What an ip-mode Sentinel kept: pod IPs from before, none of them a pod's address now. */
    static final String KEPT_IP = String.join("\n",
            "port 26379",
            "sentinel myid 0123456789012345678901234567890123456789",
            "sentinel monitor mymaster 10.0.9.10 6379 2",
            "sentinel config-epoch mymaster 3",
            "sentinel leader-epoch mymaster 3",
            "sentinel known-replica mymaster 10.0.9.11 6379",
            "sentinel known-replica mymaster 10.0.9.12 6379",
            "sentinel known-sentinel mymaster 10.0.9.10 26379 aaaa",
            "sentinel current-epoch 3",
            "");

    /** The env of an ip-mode pod: Redis pods redis-0..2 of Service h in namespace ns, their names in a hosts file (HOSTS). */
    Map<String, String> ipEnv(String pod, String hosts) throws Exception {
        Path file = tmp.resolve("hosts");
        Files.writeString(file, hosts);
        return new HashMap<>(Map.of("POD_NAME", pod, "STATEFULSET", "redis", "REPLICAS", "3", "HEADLESS_SERVICE", "h",
                "POD_NAMESPACE", "ns", "CLUSTER_DOMAIN", "cluster.local", "MASTER_NAME", "mymaster", "ADDRESS_MODE", "ip",
                "HOSTS_FILE", file.toString()));
    }

    static final String HOSTS = "10.0.0.10 " + R0 + "\n10.0.0.11 " + R1 + "\n10.0.0.12 " + R2 + "\n"
                                // A pod a scale-in removed (REPLICAS 3), its name still resolving while it terminates.
                                + "10.0.0.13 redis-3" + NS + "\n";

    /** kept_sentinel_state with the real resolve (HOSTS_FILE), for ip mode: stdout. */
    String rewriteIp(String shell, String master, Map<String, String> env) throws Exception {
        Path bin = Binaries.require(shell);
        Path scripts = ScriptFiles.materialize(tmp.resolve("scripts"));
        Path harness = tmp.resolve("harness-ip.sh");
        Files.writeString(harness, "# shellcheck shell=sh\n. \"$SCRIPTS_DIR/common.sh\"\nkept_sentinel_state \"$1\" \"$2\"\n");
        Path kept = tmp.resolve("kept-ip.conf");
        Files.writeString(kept, KEPT_IP);
        Map<String, String> all = new HashMap<>(env);
        all.put("SCRIPTS_DIR", scripts.toString());
        String cmd = "exec " + bin + (shell.equals("busybox") ? " sh " : " ") + harness + " " + master + " 6379 <" + kept;
        Proc.Result r = Proc.run(List.of("/bin/sh", "-c", cmd), all, Duration.ofSeconds(20));
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return r.stdout();
    }

    /**
     * ip mode: the kept known-replica and known-sentinel lines hold pod IPs that may be stale, and are dropped; the known
     * replicas are every Redis pod whose name resolves now, at its IP of now (this pod's own Redis too), but the master
     * it monitors and a pod a scale-in removed. Without them a Sentinel restarted while the master is gone knows no
     * replica, and elected it aborts with -failover-abort-no-good-slave (SplitVoteLiveTest, ip mode).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dash", "busybox"})
    void ipModeKnowsThePodsAtTheirAddressesOfNow(String shell) throws Exception {
        String out = rewriteIp(shell, "10.0.0.12", ipEnv("redis-1", HOSTS));

        assertThat(out.lines().toList()).containsExactly(
                "sentinel myid 0123456789012345678901234567890123456789",
                "sentinel config-epoch mymaster 3",
                "sentinel leader-epoch mymaster 3",
                "sentinel current-epoch 3",
                "sentinel known-replica mymaster 10.0.0.10 6379",
                "sentinel known-replica mymaster 10.0.0.11 6379");
    }

    /**
     * A Sentinel of a separate StatefulSet (redis-sentinel-0) lists Redis pod 0 too; a name that does not resolve is left
     * out (Sentinel refuses nothing then); two names at one address give one line (Sentinel refuses a config naming a
     * replica twice); the master's address with another port is no match for it.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dash", "busybox"})
    void ipModeListsEachAddressOnceAndOnlyNamesThatResolve(String shell) throws Exception {
        assertThat(rewriteIp(shell, "10.0.0.12", ipEnv("redis-sentinel-0", HOSTS)).lines().filter(l -> l.contains("known-")).toList())
                .containsExactly("sentinel known-replica mymaster 10.0.0.10 6379", "sentinel known-replica mymaster 10.0.0.11 6379");

        String twoAtOne = "10.0.0.11 " + R1 + "\n10.0.0.11 " + R2 + "\n";
        assertThat(rewriteIp(shell, "10.0.0.12", ipEnv("redis-1", twoAtOne)).lines().filter(l -> l.contains("known-")).toList())
                .containsExactly("sentinel known-replica mymaster 10.0.0.11 6379");

        Map<String, String> otherPort = ipEnv("redis-1", HOSTS);
        otherPort.put("REDIS_PORT", "6380");
        assertThat(rewriteIp(shell, "10.0.0.12", otherPort).lines().filter(l -> l.contains("known-")).toList())
                .containsExactly("sentinel known-replica mymaster 10.0.0.10 6380", "sentinel known-replica mymaster 10.0.0.11 6380",
                        "sentinel known-replica mymaster 10.0.0.12 6380");
    }

    /**
     * sentinel-start.sh in ip mode, redis-sentinel replaced by a `cat` of its config (no Sentinel answers): a first start
     * (an empty volume) knows the other Redis pods as replicas, as a restart does; the restart after pod 2 moved to a new
     * IP knows it at the new one only.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dash", "busybox"})
    void sentinelStartKnowsTheReplicasOnAFirstStartAndARestart(String shell) throws Exception {
        Path bin = Binaries.require(shell);
        Binaries.require("redis-cli");
        Binaries.require("sha1sum");
        Path scripts = ScriptFiles.materialize(tmp.resolve("scripts"));
        Path fake = Files.createDirectories(tmp.resolve("bin")).resolve("redis-sentinel");
        Files.writeString(fake, "#!/bin/sh\ncat \"$1\"\n");
        assertThat(fake.toFile().setExecutable(true)).isTrue();
        Path config = Files.createDirectories(tmp.resolve("config"));
        Files.writeString(config.resolve("sentinel.conf"),
                SentinelConf.render(new SentinelConfSpec(26379, "mymaster", 6379, 3, 2, 5000, 30000, 1, false, null)));
        Map<String, String> env = ipEnv("redis-1", "10.0.0.10 " + R0 + "\n10.0.0.11 " + R1 + "\n10.0.0.12 " + R2 + "\n");
        env.putAll(Map.of("SCRIPTS_DIR", scripts.toString(), "DATA_DIR", tmp.resolve("data").toString(), "CONFIG_DIR", config.toString(),
                "SENTINELS", "3", "SENTINEL_ADDRESSES", "127.0.0.1:1 127.0.0.1:1 127.0.0.1:1", "REDIS_CLI_TIMEOUT", "1",
                "SENTINEL_CATCHUP_ENABLED", "false", "DNS_WAIT_SECONDS", "2",
                "PATH", tmp.resolve("bin") + ":" + System.getenv("PATH")));
        List<String> start = List.of(bin.toString(), scripts.resolve("sentinel-start.sh").toString());
        if (shell.equals("busybox")) {
            start = List.of(bin.toString(), "sh", scripts.resolve("sentinel-start.sh").toString());
        }

        assertThat(monitorAndReplicas(start, env, "first start")).containsExactly("sentinel monitor mymaster 10.0.0.10 6379 2",
                "sentinel known-replica mymaster 10.0.0.11 6379", "sentinel known-replica mymaster 10.0.0.12 6379");

        Files.writeString(tmp.resolve("hosts"), "10.0.0.10 " + R0 + "\n10.0.0.11 " + R1 + "\n10.0.0.22 " + R2 + "\n");
        assertThat(monitorAndReplicas(start, env, "reusing the state kept")).containsExactly("sentinel monitor mymaster 10.0.0.10 6379 2",
                "sentinel known-replica mymaster 10.0.0.11 6379", "sentinel known-replica mymaster 10.0.0.22 6379");
    }

    /** Runs START (sentinel-start.sh, which must log SAYS): the monitor and known-replica lines of the config it starts with. */
    static List<String> monitorAndReplicas(List<String> start, Map<String, String> env, String says) {
        Proc.Result r = Proc.run(start, env, Duration.ofSeconds(30));
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stderr()).contains(says);
        return r.stdout().lines().filter(l -> l.startsWith("sentinel monitor") || l.contains("known-replica")).toList();
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
