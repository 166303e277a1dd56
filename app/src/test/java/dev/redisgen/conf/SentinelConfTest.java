package dev.redisgen.conf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SentinelConfTest {

    static SentinelConfSpec spec(int redisPort, boolean hostnames) {
        return new SentinelConfSpec(26379, "mymaster", redisPort, 3, 2, 5000, 30000, 1, hostnames, null);
    }

    @TempDir
    Path tmp;

    @Test
    void resolveAndAnnounceHostnamesComeBeforeTheMonitorLine() {
        List<String> lines = SentinelConf.render(spec(6379, true)).lines().toList();
        int resolve = lines.indexOf("sentinel resolve-hostnames yes");
        int announce = lines.indexOf("sentinel announce-hostnames yes");
        int monitor = lines.indexOf("sentinel monitor mymaster @MASTER_HOST@ 6379 2");
        assertThat(resolve).isNotNegative();
        assertThat(announce).isNotNegative();
        assertThat(monitor).isGreaterThan(resolve).isGreaterThan(announce);
        assertThat(lines.subList(monitor + 1, lines.size())).containsExactly(
                "sentinel down-after-milliseconds mymaster 5000",
                "sentinel failover-timeout mymaster 30000",
                "sentinel parallel-syncs mymaster 1");
        assertThat(lines).contains("port 26379", "dir /tmp", "sentinel deny-scripts-reconfig yes");
        assertThat(lines).noneMatch(l -> l.startsWith("sentinel auth-pass") || l.startsWith("requirepass")
                                         || l.startsWith("sentinel myid"));
    }

    @Test
    void ipModeHasNoHostnameDirectives() {
        assertThat(SentinelConf.render(spec(6379, false)).lines())
                .noneMatch(l -> l.startsWith("sentinel resolve-hostnames") || l.startsWith("sentinel announce-hostnames"))
                .contains("sentinel monitor mymaster @MASTER_HOST@ 6379 2");
    }

    @Test
    void quorumMustBeAMajorityOfTheSentinels() {
        assertThatThrownBy(() -> new SentinelConfSpec(26379, "m", 6379, 3, 1, 5000, 30000, 1, true, null))
                .hasMessageContaining("quorum");
        assertThatThrownBy(() -> new SentinelConfSpec(26379, "m", 6379, 3, 4, 5000, 30000, 1, true, null))
                .hasMessageContaining("quorum");
        assertThatThrownBy(() -> new SentinelConfSpec(26379, "my master", 6379, 3, 2, 5000, 30000, 1, true, null))
                .hasMessageContaining("master name");
    }

    @Test
    void substitutedTemplateIsAcceptedByRedisSentinelWithAHostname() throws IOException {
        // "localhost" resolves without DNS: the hostname path (resolve-hostnames before monitor) for real.
        assertAcceptedBySentinel(true, "localhost");
    }

    @Test
    void substitutedTemplateIsAcceptedByRedisSentinelWithAnIp() throws IOException {
        assertAcceptedBySentinel(false, "127.0.0.1");
    }

    private void assertAcceptedBySentinel(boolean hostnames, String host) throws IOException {
        Path sentinel = Binaries.require("redis-sentinel");
        Binaries.require("redis-cli");
        int redisPort = Proc.freePort();
        int port = Proc.freePort();
        String conf = SentinelConf.render(spec(redisPort, hostnames)).replace(SentinelConf.MASTER_HOST, host)
                      .replace("\ndir /tmp\n", "\ndir " + tmp + "\n")
                      + "port " + port + "\nbind 127.0.0.1\n";
        Path file = tmp.resolve("sentinel.conf");
        Files.writeString(file, conf);
        try (Proc.Background bg = new Proc.Background(List.of(sentinel.toString(), file.toString()), Map.of(),
                tmp.resolve("sentinel.log"))) {
            boolean up = Proc.await(Duration.ofSeconds(15),
                    () -> "PONG".equals(Proc.cli("127.0.0.1", port, null, "PING")));
            assertThat(up).as("sentinel up; log:\n" + bg.logText()).isTrue();
            List<String> master = Proc.cli("127.0.0.1", port, null, "SENTINEL", "MASTER", "mymaster").lines().toList();
            assertThat(value(master, "name")).isEqualTo("mymaster");
            assertThat(value(master, "ip")).isEqualTo(host);
            assertThat(value(master, "port")).isEqualTo(Integer.toString(redisPort));
            assertThat(value(master, "quorum")).isEqualTo("2");
            assertThat(value(master, "down-after-milliseconds")).isEqualTo("5000");
            assertThat(value(master, "failover-timeout")).isEqualTo("30000");
            assertThat(value(master, "parallel-syncs")).isEqualTo("1");
            // Sentinel rewrote its config file on start (it must be writable): the monitor line survives.
            assertThat(Files.readString(file)).contains("sentinel monitor mymaster " + host + " " + redisPort + " 2");
        }
    }

    static String value(List<String> flat, String key) {
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            if (flat.get(i).equals(key)) {
                return flat.get(i + 1);
            }
        }
        throw new AssertionError("no " + key + " in " + flat);
    }
}
