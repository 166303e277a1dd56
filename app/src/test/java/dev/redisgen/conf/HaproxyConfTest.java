package dev.redisgen.conf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HaproxyConfTest {

    static final List<String> PODS = List.of(
            "redis-0.redis-headless.ns.svc.cluster.local",
            "redis-1.redis-headless.ns.svc.cluster.local",
            "redis-2.redis-headless.ns.svc.cluster.local");
    static final List<String> SENTINELS = List.of(
            "redis-sentinel-0.redis-sentinel-headless.ns.svc.cluster.local",
            "redis-sentinel-1.redis-sentinel-headless.ns.svc.cluster.local",
            "redis-sentinel-2.redis-sentinel-headless.ns.svc.cluster.local");

    static HaproxySpec spec(boolean auth) {
        return new HaproxySpec("mymaster", PODS, 6379, SENTINELS, 26379, 2, 6379, 6380, 8888, auth, false, auth, 1000, null, 0, 0);
    }

    @TempDir
    Path tmp;

    @Test
    void routesWritesOnlyToAPodNamedByAQuorumOfSentinelsThatReportsMaster() {
        String text = HaproxyConf.render(spec(true));
        assertThat(text).contains(
                "backend sentinels_name_r0",
                "tcp-check expect string \"\\r\\nredis-0.redis-headless.ns.svc.cluster.local\\r\\n\"",
                "acl r1_named nbsrv(sentinels_name_r1) ge 2",
                "use-server r2 if r2_up r2_named",
                "tcp-request content reject unless r0_up r0_named || r1_up r1_named || r2_up r2_named",
                "tcp-check expect string role:master",
                "tcp-check expect string role:slave",
                "parse-resolv-conf",
                "init-addr none",
                "check inter 1000ms",
                "on-marked-down shutdown-sessions",
                "bind :6379",
                "bind :6380",
                "monitor-uri /healthz");
        assertThat(text).doesNotContain("\r");
        assertThat(text.lines().map(String::strip)).noneMatch(l -> l.startsWith("pidfile") || l.startsWith("stats socket"));
    }

    /**
     * A recreated pod's name is NXDOMAIN for a while, then resolves to a new IP: HAProxy must ask again
     * within a second whatever the last answer was (its defaults: 10 s after a valid answer, 30 s after
     * NXDOMAIN, a timeout or a refusal), or the write endpoint stays shut long after the failover.
     */
    @Test
    void resolvesPodNamesAgainEverySecondWhateverTheLastAnswer() {
        List<String> resolvers = HaproxyConf.render(spec(true)).lines().map(String::strip)
                .dropWhile(l -> !l.equals("resolvers k8s")).takeWhile(l -> !l.isEmpty()).toList();
        for (String status : List.of("valid", "nx", "refused", "timeout", "other")) {
            assertThat(resolvers).as("hold %s", status).contains("hold " + status + " 1s");
        }
        assertThat(resolvers).contains("hold obsolete 0s", "timeout resolve 1s");
    }

    @Test
    void passwordsAreEnvReferencesAndAbsentWithoutAuth() {
        String withAuth = HaproxyConf.render(spec(true));
        // A RESP array with HAProxy's byte lengths, so a password with spaces or quotes stays one argument.
        assertThat(withAuth).contains("tcp-check send-lf \"*2\\r\\n\\$4\\r\\nAUTH\\r\\n\\$%[env(REDIS_PASSWORD),length]\\r\\n%[env(REDIS_PASSWORD)]\\r\\n\"",
                "tcp-check send-lf \"*2\\r\\n\\$4\\r\\nAUTH\\r\\n\\$%[env(SENTINEL_PASSWORD),length]\\r\\n%[env(SENTINEL_PASSWORD)]\\r\\n\"")
                .doesNotContain("${");
        assertThat(HaproxyConf.render(spec(false))).doesNotContain("AUTH", "PASSWORD");
    }

    /** The proxy's reload loop for a renewed certificate (with TLS) passes shellcheck as POSIX sh (the image's busybox sh). */
    @Test
    void theTlsReloadLoopPassesShellcheck(@TempDir Path dir) throws IOException {
        Path shellcheck = Binaries.require("shellcheck");
        Path script = Files.writeString(dir.resolve(HaproxyConf.RELOAD_SCRIPT), HaproxyConf.reloadScript());
        Proc.Result r = Proc.run(List.of(shellcheck.toString(), "-s", "sh", script.toString()), Map.of(), Duration.ofSeconds(60));
        assertThat(r.all()).as("shellcheck output").isEmpty();
        assertThat(r.exitCode()).isZero();
        // The kubelet reduces $$ to $ and expands $(VAR) in a command: neither may be in it (the loop got "$" once).
        assertThat(HaproxyConf.TLS_START).contains("haproxy -W -db -f /config/haproxy.cfg & hp=$!", "sh /config/" + HaproxyConf.RELOAD_SCRIPT
                + " \"$hp\" &").doesNotContain("$$", "$(", "exec haproxy");
    }

    @Test
    void isDeterministic() {
        assertThat(HaproxyConf.render(spec(true))).isEqualTo(HaproxyConf.render(spec(true)));
    }

    @Test
    void haproxyAcceptsTheConfig() throws IOException {
        Path haproxy = Binaries.require("haproxy");
        for (boolean auth : List.of(true, false)) {
            Path file = tmp.resolve("haproxy-" + auth + ".cfg");
            Files.writeString(file, HaproxyConf.render(spec(auth)));
            Proc.Result r = Proc.run(List.of(haproxy.toString(), "-c", "-f", file.toString()),
                    Map.of("REDIS_PASSWORD", "s3cret", "SENTINEL_PASSWORD", "s3ntinel"), Duration.ofSeconds(30));
            assertThat(r.exitCode()).as(r.all()).isZero();
            assertThat(r.all()).contains("Configuration file is valid").doesNotContain("WARNING");
        }
    }

    /**
     * Real master (127.0.0.2) + replica (127.0.0.3) + Sentinel (127.0.0.1) + HAProxy on loopback:
     * writes through the proxy reach the master; the read-only port reaches the replica.
     */
    @Test
    void writesThroughTheProxyReachTheMaster() throws Exception {
        Path haproxy = Binaries.require("haproxy");
        Path redisServer = Binaries.require("redis-server");
        Path redisSentinel = Binaries.require("redis-sentinel");
        Binaries.require("redis-cli");
        String pw = "pw-" + System.nanoTime();
        int port = Proc.freePort();
        int sentinelPort = Proc.freePort();
        int masterPort = Proc.freePort();
        int replicaPort = Proc.freePort();
        Path m = Files.createDirectories(tmp.resolve("m"));
        Path r = Files.createDirectories(tmp.resolve("r"));
        String base = "port " + port + "\nsave \"\"\nappendonly no\nrequirepass " + pw + "\nmasterauth " + pw + "\n";
        Files.writeString(m.resolve("redis.conf"), base + "bind 127.0.0.2\ndir " + m + "\n");
        Files.writeString(r.resolve("redis.conf"), base + "bind 127.0.0.3\ndir " + r + "\nreplicaof 127.0.0.2 " + port + "\n");
        Files.writeString(tmp.resolve("sentinel.conf"), SentinelConf.render(
                new SentinelConfSpec(sentinelPort, "mymaster", port, 1, 1, 5000, 30000, 1, false, null))
                .replace(SentinelConf.MASTER_HOST, "127.0.0.2").replace("\ndir /tmp\n", "\ndir " + tmp + "\n")
                + "bind 127.0.0.1\nsentinel auth-pass mymaster " + pw + "\n");
        HaproxySpec spec = new HaproxySpec("mymaster", List.of("127.0.0.2", "127.0.0.3"), port, List.of("127.0.0.1"),
                sentinelPort, 1, masterPort, replicaPort, 0, true, false, false, 500, null, 0, 0);
        Files.writeString(tmp.resolve("haproxy.cfg"), HaproxyConf.render(spec));
        try (Proc.Background master = new Proc.Background(List.of(redisServer.toString(), m.resolve("redis.conf").toString()), Map.of(), m.resolve("log"));
             Proc.Background replica = new Proc.Background(List.of(redisServer.toString(), r.resolve("redis.conf").toString()), Map.of(), r.resolve("log"));
             Proc.Background sentinel = new Proc.Background(List.of(redisSentinel.toString(), tmp.resolve("sentinel.conf").toString()), Map.of(), tmp.resolve("sentinel.log"));
             Proc.Background proxy = new Proc.Background(List.of(haproxy.toString(), "-db", "-f", tmp.resolve("haproxy.cfg").toString()),
                     Map.of("REDIS_PASSWORD", pw), tmp.resolve("haproxy.log"))) {
            boolean synced = Proc.await(Duration.ofSeconds(20),
                    () -> Proc.cli("127.0.0.3", port, pw, "INFO", "replication").contains("master_link_status:up"));
            assertThat(synced).as("replica synced; log:\n" + replica.logText()).isTrue();
            boolean routed = Proc.await(Duration.ofSeconds(20),
                    () -> "OK".equals(Proc.cli("127.0.0.1", masterPort, pw, "SET", "k", "through-proxy")));
            assertThat(routed).as("write through the proxy; haproxy log:\n" + proxy.logText()).isTrue();
            assertThat(Proc.cli("127.0.0.2", port, pw, "GET", "k")).isEqualTo("through-proxy");
            assertThat(Proc.cli("127.0.0.1", masterPort, pw, "INFO", "replication")).contains("role:master");
            boolean reads = Proc.await(Duration.ofSeconds(20),
                    () -> Proc.cli("127.0.0.1", replicaPort, pw, "INFO", "replication").contains("role:slave"));
            assertThat(reads).as("read-only port reaches the replica; haproxy log:\n" + proxy.logText()).isTrue();
            assertThat(Proc.cli("127.0.0.1", replicaPort, pw, "SET", "k", "x")).contains("READONLY");
        }
    }
}
