package dev.redisgen.conf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * readiness.sh against real redis-server: a master is ready; a replica only while its link to the
 * master is up. A replica that is still connecting must not be ready, or a rolling update moves on
 * and stops the master before anybody can take over (found by the drill's rolling-update scenario).
 */
class ReadinessLiveTest {
    static final String PASSWORD = ScriptsLiveTest.PASSWORD;
    static final String MASTER = "127.0.0.41";
    static final String REPLICA = "127.0.0.42";

    @org.junit.jupiter.api.io.TempDir
    Path tmp;

    int port;
    Path scripts;
    final List<Proc.Background> procs = new ArrayList<>();

    @BeforeEach
    void setUp() {
        Binaries.require("redis-server");
        Binaries.require("redis-cli");
        port = Proc.freePort();
        scripts = ScriptFiles.materialize(tmp.resolve("scripts"));
    }

    @AfterEach
    void tearDown() {
        procs.forEach(Proc.Background::close);
    }

    Proc.Background redis(String host) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("redis-" + host));
        Path conf = dir.resolve("redis.conf");
        Files.writeString(conf, String.join("\n", "bind " + host, "port " + port, "dir " + dir, "save \"\"",
                "repl-diskless-sync-delay 0", "requirepass " + GuardLiveTest.confString(PASSWORD),
                "masterauth " + GuardLiveTest.confString(PASSWORD), ""));
        Proc.Background p = new Proc.Background(List.of("redis-server", conf.toString()), Map.of(), dir.resolve("log"));
        procs.add(p);
        GuardLiveTest.awaitPong(host, port, PASSWORD);
        return p;
    }

    Proc.Result readiness(String shell, String host) {
        Map<String, String> env = new HashMap<>();
        env.put("SCRIPTS_DIR", scripts.toString());
        env.put("POD_NAME", "redis-1");
        env.put("LOCAL_REDIS_HOST", host);
        env.put("REDIS_PORT", Integer.toString(port));
        env.put("REDIS_PASSWORD", PASSWORD);
        env.put("REDIS_CLI_TIMEOUT", "2");
        String script = scripts.resolve("readiness.sh").toString();
        Path bin = Binaries.require(shell);
        return Proc.run(shell.equals("busybox") ? List.of(bin.toString(), "sh", script) : List.of(bin.toString(), script), env,
                Duration.ofSeconds(20));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sh", "busybox"})
    void aReplicaIsReadyOnlyWhileLinkedToItsMaster(String shell) throws Exception {
        Binaries.require(shell);
        Proc.Background master = redis(MASTER);
        redis(REPLICA);

        assertThat(readiness(shell, MASTER).exitCode()).as("a master is ready").isZero();
        assertThat(readiness(shell, REPLICA).exitCode()).as("an unattached server (role master) is ready").isZero();

        Proc.cli(REPLICA, port, PASSWORD, "REPLICAOF", MASTER, Integer.toString(port));
        assertThat(Proc.await(Duration.ofSeconds(10), () -> readiness(shell, REPLICA).exitCode() == 0))
                .as("linked replica becomes ready").isTrue();
        assertThat(readiness(shell, REPLICA).stdout()).isEmpty();

        master.close();
        assertThat(Proc.await(Duration.ofSeconds(10), () -> readiness(shell, REPLICA).exitCode() == 1))
                .as("replica without its master is not ready").isTrue();
        Proc.Result down = readiness(shell, REPLICA);
        assertThat(down.stdout()).startsWith("not ready: replica of " + MASTER + ":" + port + ", link down");
        assertThat(down.stdout() + down.stderr()).doesNotContain(PASSWORD);

        // Still connecting to a master that is not there yet (a new pod's first seconds): not ready.
        Proc.cli(REPLICA, port, PASSWORD, "REPLICAOF", "127.0.0.43", Integer.toString(port));
        Proc.Result connecting = readiness(shell, REPLICA);
        assertThat(connecting.exitCode()).isEqualTo(1);
        assertThat(connecting.stdout()).startsWith("not ready: replica of 127.0.0.43:" + port + ", link ");
    }
}
