package dev.redisgen.conf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * common.sh redis_queue against a server that cannot be reached, as the Sentinels' notification script fences a master
 * whose pod is gone: redis-cli's own message is the answer, and nothing else reaches the log. Sentinel ignores SIGPIPE,
 * and its scripts inherit that: the AUTH and command written into the pipe after redis-cli gave up failed with
 * "printf: I/O error", once for each write (seen in the drill's kept logs).
 */
class RedisQueueTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dash", "busybox"})
    void anUnreachableServerGivesRedisCliMessageAndNoWriteError(String shell) {
        Path bin = Binaries.require(shell);
        Binaries.require("redis-cli");
        Path scripts = ScriptFiles.materialize(tmp.resolve("scripts"));
        String script = "trap '' PIPE; . \"$SCRIPTS_DIR/common.sh\"; redis_queue 2 127.0.0.1 1 CONFIG SET min-replicas-to-write 1000000";
        for (int i = 0; i < 5; i++) {
            Proc.Result r = Proc.run(shell.equals("busybox") ? List.of(bin.toString(), "sh", "-c", script) : List.of(bin.toString(), "-c", script),
                    Map.of("SCRIPTS_DIR", scripts.toString(), "REDIS_PASSWORD", "secret"), Duration.ofSeconds(20));
            assertThat(r.stdout()).as(r.all()).contains("Could not connect to Redis at 127.0.0.1:1").doesNotContain("OK");
            assertThat(r.stderr()).as(r.all()).isEmpty();
        }
    }
}
