package dev.redisgen.conf;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * common.sh's sentinel_answers against a real redis-sentinel and Sentinels that accept a connection and never answer
 * (a pod whose address still takes connections but whose Sentinel hangs, or an address that no longer answers): they
 * are asked at the same time, so the gone ones cost one REDIS_CLI_TIMEOUT together rather than one each, and the
 * answer of the live one comes back, in its place. Run under dash and under busybox sh (the images' shell).
 */
class SentinelAnswersLiveTest {

    static final int TIMEOUT_SECONDS = 2;
    static final int SILENT = 3;

    @TempDir
    Path tmp;

    @Test
    void goneSentinelsCostOneTimeoutTogetherAndTheLiveAnswerKeepsItsPlace() throws Exception {
        Binaries.require("redis-server");
        Binaries.require("redis-sentinel");
        Binaries.require("redis-cli");
        Path scripts = ScriptFiles.materialize(tmp.resolve("scripts"));
        int redisPort = Proc.freePort();
        int sentinelPort = Proc.freePort();
        Path conf = tmp.resolve("sentinel.conf");
        Files.writeString(conf, "port " + sentinelPort + "\nbind 127.0.0.1\ndir " + tmp + "\n"
                                + "sentinel monitor mymaster 127.0.0.1 " + redisPort + " 1\n");
        List<ServerSocket> silent = new ArrayList<>();
        List<Socket> accepted = new ArrayList<>();
        try (Proc.Background redis = new Proc.Background(List.of("redis-server", "--port", Integer.toString(redisPort), "--bind", "127.0.0.1",
                "--save", "", "--dir", tmp.toString()), Map.of(), tmp.resolve("redis.log"));
             Proc.Background sentinel = new Proc.Background(List.of("redis-sentinel", conf.toString()), Map.of(), tmp.resolve("sentinel.log"))) {
            for (int i = 0; i < SILENT; i++) {
                ServerSocket s = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
                silent.add(s);
                Thread t = new Thread(() -> {
                    try {
                        while (true) {
                            Socket c = s.accept();
                            synchronized (accepted) {
                                accepted.add(c);
                            }
                        }
                    } catch (Exception closed) {
                        // the test is over
                    }
                });
                t.setDaemon(true);
                t.start();
            }
            // Linked too: the Sentinel names the master before its link is up, and its flags read master,disconnected until
            // then (a CI run asked in between).
            assertThat(Proc.await(Duration.ofSeconds(20), () -> Proc.cli("127.0.0.1", sentinelPort, null,
                    "SENTINEL", "get-master-addr-by-name", "mymaster").contains(Integer.toString(redisPort))
                    && Proc.cli("127.0.0.1", sentinelPort, null, "SENTINEL", "master", "mymaster").contains("\nflags\nmaster\n")))
                    .as("the Sentinel monitors the master and is linked to it; log:\n" + sentinel.logText()).isTrue();

            // Order: silent, live, silent, silent. Asked one after another, this took SILENT x the timeout.
            String addresses = "127.0.0.1:" + silent.get(0).getLocalPort() + " 127.0.0.1:" + sentinelPort
                               + " 127.0.0.1:" + silent.get(1).getLocalPort() + " 127.0.0.1:" + silent.get(2).getLocalPort();
            for (List<String> shell : List.of(List.of(Binaries.require("dash").toString()), List.of(Binaries.require("busybox").toString(), "sh"))) {
                List<String> command = new ArrayList<>(shell);
                command.addAll(List.of("-c", ". \"$SCRIPTS_DIR/common.sh\"; sentinel_answers"));
                long start = System.nanoTime();
                Proc.Result r = Proc.run(command,
                        Map.of("SCRIPTS_DIR", scripts.toString(), "MASTER_NAME", "mymaster", "SENTINEL_ADDRESSES", addresses,
                                "REDIS_CLI_TIMEOUT", Integer.toString(TIMEOUT_SECONDS), "REDIS_PORT", Integer.toString(redisPort)),
                        Duration.ofSeconds(30));
                double seconds = (System.nanoTime() - start) / 1e9;
                assertThat(r.stdout()).as(shell + ": " + r.all()).isEqualTo("127.0.0.1 " + redisPort + " 0 master\n");
                assertThat(seconds).as(shell + ": the silent Sentinels were asked at the same time").isLessThan(TIMEOUT_SECONDS * (SILENT - 0.75));
            }
        } finally {
            for (ServerSocket s : silent) {
                s.close();
            }
            synchronized (accepted) {
                for (Socket c : accepted) {
                    c.close();
                }
            }
        }
    }
}
