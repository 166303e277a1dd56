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

class RedisConfTest {

    /** jewelry-shop-like: RDB + AOF, Sentinel replication with min-replicas. */
    static RedisConfSpec sentinelSpec() {
        return new RedisConfSpec(6379, List.of("900 1", "300 10", "60 10000"), "everysec", "256mb", "noeviction",
                1, false, 10000, 10000, 300, new RedisConfSpec.Replication(1, 10), null, null);
    }

    /** analytics-cluster-like. */
    static RedisConfSpec clusterSpec() {
        return new RedisConfSpec(6379, List.of("900 1"), "everysec", "6gb", "allkeys-lru", 4, true, 10000, 10000, 300,
                null, new RedisConfSpec.Cluster(15000, false), null);
    }

    /** A cache without persistence. */
    static RedisConfSpec cacheSpec() {
        return new RedisConfSpec(6379, List.of(), null, "256mb", "allkeys-lru", 1, false, 10000, 10000, 300, null,
                null, null);
    }

    @TempDir
    Path tmp;

    @Test
    void rendersTheSentinelModeSettings() {
        String text = RedisConf.render(sentinelSpec());
        assertThat(text.lines()).contains("port 6379", "bind * -::*", "protected-mode no", "dir /data",
                "save 900 1 300 10 60 10000", "appendonly yes", "appendfsync everysec", "maxmemory 256mb",
                "maxmemory-policy noeviction", "io-threads 1", "lazyfree-lazy-eviction no", "maxclients 10000",
                "slowlog-log-slower-than 10000", "tcp-keepalive 300", "replica-read-only yes",
                "min-replicas-to-write 1", "min-replicas-max-lag 10", "logfile \"\"", "daemonize no");
        assertThat(text).doesNotContain("io-threads-do-reads", "cluster-enabled", "\r", "\n\n\n")
                .endsWith("\n").doesNotEndWith("\n\n");
        assertThat(text.lines()).as("no secret or runtime line in the ConfigMap text")
                .noneMatch(l -> l.startsWith("requirepass") || l.startsWith("masterauth") || l.startsWith("replicaof"));
    }

    @Test
    void rendersNoPersistenceAsEmptySaveAndAppendonlyNo() {
        String text = RedisConf.render(cacheSpec());
        assertThat(text.lines()).contains("save \"\"", "appendonly no").doesNotContain("appendfsync everysec");
        assertThat(text).doesNotContain("replica-read-only", "min-replicas");
    }

    @Test
    void rendersClusterModeAndThreadedReads() {
        String text = RedisConf.render(clusterSpec());
        assertThat(text.lines()).contains("cluster-enabled yes", "cluster-config-file nodes.conf",
                "cluster-node-timeout 15000", "cluster-require-full-coverage no",
                "cluster-preferred-endpoint-type hostname", "io-threads 4", "io-threads-do-reads yes",
                "lazyfree-lazy-eviction yes", "maxmemory 6gb");
    }

    @Test
    void isDeterministic() {
        assertThat(RedisConf.render(sentinelSpec())).isEqualTo(RedisConf.render(sentinelSpec()));
    }

    @Test
    void refusesValuesRedisWouldRejectOrMisread() {
        assertThatThrownBy(() -> new RedisConfSpec(6379, List.of("900"), null, null, "noeviction", 1, false, 1, 1, 1,
                null, null, null)).hasMessageContaining("save point");
        assertThatThrownBy(() -> new RedisConfSpec(6379, List.of(), "sometimes", null, "noeviction", 1, false, 1, 1,
                1, null, null, null)).hasMessageContaining("appendfsync");
        assertThatThrownBy(() -> new RedisConfSpec(6379, List.of(), null, "lots", "noeviction", 1, false, 1, 1, 1,
                null, null, null)).hasMessageContaining("maxmemory");
        assertThatThrownBy(() -> new RedisConfSpec(6379, List.of(), null, null, "allkeys_lru", 1, false, 1, 1, 1,
                null, null, null)).hasMessageContaining("maxmemory-policy");
    }

    @Test
    void sentinelModeConfigIsAcceptedByRedisServer() throws IOException {
        RedisConfSpec spec = sentinelSpec();
        try (Running r = start(RedisConf.render(spec))) {
            assertThat(r.get("maxmemory-policy")).isEqualTo("noeviction");
            assertThat(r.get("save")).isEqualTo("900 1 300 10 60 10000");
            assertThat(r.get("appendonly")).isEqualTo("yes");
            assertThat(r.get("appendfsync")).isEqualTo("everysec");
            assertThat(r.get("io-threads")).isEqualTo("1");
            assertThat(r.get("maxmemory")).isEqualTo(Long.toString(256L * 1024 * 1024));
            assertThat(r.get("min-replicas-to-write")).isEqualTo("1");
            assertThat(r.get("min-replicas-max-lag")).isEqualTo("10");
            assertThat(r.get("replica-read-only")).isEqualTo("yes");
            assertThat(r.get("protected-mode")).isEqualTo("no");
        }
    }

    @Test
    void cacheConfigIsAcceptedByRedisServer() throws IOException {
        try (Running r = start(RedisConf.render(cacheSpec()))) {
            assertThat(r.get("save")).isEmpty();
            assertThat(r.get("appendonly")).isEqualTo("no");
            assertThat(r.get("maxmemory-policy")).isEqualTo("allkeys-lru");
        }
    }

    @Test
    void clusterConfigIsAcceptedByRedisServer() throws IOException {
        try (Running r = start(RedisConf.render(clusterSpec()))) {
            assertThat(r.get("cluster-enabled")).isEqualTo("yes");
            assertThat(r.get("io-threads")).isEqualTo("4");
            assertThat(r.get("io-threads-do-reads")).isEqualTo("yes");
            assertThat(r.get("cluster-node-timeout")).isEqualTo("15000");
            assertThat(r.get("lazyfree-lazy-eviction")).isEqualTo("yes");
            assertThat(r.get("maxmemory-policy")).isEqualTo("allkeys-lru");
            assertThat(Proc.cli("127.0.0.1", r.port, null, "CLUSTER", "INFO")).contains("cluster_state:");
            assertThat(Files.exists(r.dir.resolve("nodes.conf"))).as("nodes.conf is relative to dir").isTrue();
        }
    }

    /** A redis-server running a rendered config on loopback; dir and port moved to the test's. */
    static final class Running implements AutoCloseable {
        final Proc.Background process;
        final int port;
        final Path dir;

        Running(Proc.Background process, int port, Path dir) {
            this.process = process;
            this.port = port;
            this.dir = dir;
        }

        String get(String key) {
            List<String> lines = Proc.cli("127.0.0.1", port, null, "CONFIG", "GET", key).lines().toList();
            assertThat(lines).as("CONFIG GET " + key).hasSizeGreaterThanOrEqualTo(1);
            return lines.size() > 1 ? lines.get(1) : "";
        }

        @Override
        public void close() {
            process.close();
        }
    }

    Running start(String rendered) throws IOException {
        Path redisServer = Binaries.require("redis-server");
        Binaries.require("redis-cli");
        Path dir = Files.createDirectories(tmp.resolve("data"));
        int port = Proc.freePort();
        // dir chdirs while the file is parsed, so /data is replaced, not overridden later.
        String conf = rendered.replace("\ndir /data\n", "\ndir " + dir + "\n")
                      + "port " + port + "\nbind 127.0.0.1\n";
        Path file = tmp.resolve("redis.conf");
        Files.writeString(file, conf);
        Proc.Background bg = new Proc.Background(List.of(redisServer.toString(), file.toString()), Map.of(),
                tmp.resolve("redis.log"));
        Running running = new Running(bg, port, dir);
        boolean up = Proc.await(Duration.ofSeconds(15),
                () -> "PONG".equals(Proc.cli("127.0.0.1", port, null, "PING")));
        if (!up) {
            running.close();
            throw new AssertionError("redis-server did not come up; log:\n" + bg.logText());
        }
        return running;
    }
}
