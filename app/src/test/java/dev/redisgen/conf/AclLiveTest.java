package dev.redisgen.conf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisgen.pipeline.Pipeline;
import dev.redisgen.profile.Overrides;
import dev.redisgen.profile.ProfileLoader;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ACL users for real: the airflow profile rendered with {@code auth.users: {}}, its users.acl, redis.conf and sentinel.conf
 * and the pod scripts run by real redis-server and redis-sentinel 7.0 (a master, a replica, a Sentinel on 127.0.9.x, which no
 * other test class uses), with the env the rendered containers get. Each user does exactly its job: replication links up as
 * {@code replication}, the Sentinel monitors and fails over as {@code sentinel}, redis_exporter scrapes as {@code exporter},
 * the probes, prestop.sh and the split-brain guard work as {@code admin}; the application user reads and writes (and WAITs)
 * but gets NOPERM for the dangerous commands, and a connection without AUTH can run nothing. Redis's ACL LOG, read at the
 * end, holds the refusals this test provoked and nothing else: no component was refused a command it needs.
 */
class AclLiveTest {
    static final String HOST0 = "127.0.9.2";
    static final String HOST1 = "127.0.9.3";
    static final String SENTINEL_HOST = "127.0.9.4";
    /** Distinct per user, with characters a config line must quote (the one in clear, masterauth, is quoted). */
    static final Map<String, String> PASSWORDS = new TreeMap<>(Map.of(
            "REDIS_PASSWORD", "adm \"in\\ pw-1",
            "ACL_APP_PASSWORD", "app pw-2",
            "ACL_REPLICATION_PASSWORD", "repl \"pw\" 3",
            "ACL_SENTINEL_PASSWORD", "sent\\inel-4",
            "ACL_EXPORTER_PASSWORD", "exp-5"));
    /** A superuser of this test alone (appended to the users.acl copy), to read ACL LOG. */
    static final String ROOT_PASSWORD = "acl-test-root";

    @TempDir
    Path tmp;

    int port;
    int sentinelPort;
    Path scripts;
    Map<String, String> config = new TreeMap<>();
    Map<String, Map<String, String>> containerEnv = new TreeMap<>();

    void render() throws Exception {
        String text = Files.readString(Path.of("profiles/airflow.yaml"));
        var profile = ProfileLoader.parse("airflow.yaml", text, Overrides.of(List.of(), List.of("deployments[0].auth.users={}")));
        var result = Pipeline.render(profile);
        assertThat(result.hasErrors()).as(result.findings().toString()).isFalse();
        for (HasMetadata o : result.objects()) {
            if (o instanceof ConfigMap cm && cm.getData().containsKey("users.acl")) {
                config.putAll(cm.getData());
            }
            if (o instanceof StatefulSet s) {
                for (Container c : s.getSpec().getTemplate().getSpec().getContainers()) {
                    Map<String, String> env = new LinkedHashMap<>();
                    for (EnvVar e : c.getEnv()) {
                        env.put(e.getName(), e.getValue() != null ? e.getValue()
                                : e.getValueFrom().getSecretKeyRef() != null ? "secret:" + e.getValueFrom().getSecretKeyRef().getKey() : "field");
                    }
                    containerEnv.put(c.getName(), env);
                }
            }
        }
    }

    Map<String, String> env(String pod, String host, Path root) {
        Map<String, String> env = new HashMap<>();
        // The literal env of the rendered redis container (REDIS_USER=admin, MASTER_NAME, ...), then the pod's and the test's.
        containerEnv.get("redis").forEach((k, v) -> {
            if (!v.startsWith("secret:") && !v.equals("field")) {
                env.put(k, v);
            }
        });
        env.putAll(PASSWORDS);
        env.put("SCRIPTS_DIR", scripts.toString());
        env.put("DATA_DIR", root.resolve("data").toString());
        env.put("CONFIG_DIR", root.resolve("config").toString());
        env.put("RUN_DIR", root.resolve("run").toString());
        env.put("POD_NAME", pod);
        env.put("POD_NAMESPACE", "airflow");
        env.put("POD_IP", host);
        env.put("REPLICAS", "2");
        env.put("SENTINELS", "1");
        env.put("REDIS_PORT", Integer.toString(port));
        env.put("SENTINEL_PORT", Integer.toString(sentinelPort));
        env.put("ADDRESS_MODE", "ip");
        env.put("POD_ADDRESSES", HOST0 + " " + HOST1);
        env.put("SENTINEL_ADDRESSES", SENTINEL_HOST + ":" + sentinelPort);
        env.put("LOCAL_REDIS_HOST", host);
        env.put("LOCAL_SENTINEL_HOST", SENTINEL_HOST);
        env.put("GUARD_INTERVAL_SECONDS", "1");
        env.put("DNS_WAIT_SECONDS", "5");
        env.remove("SENTINEL_PASSWORD");
        return env;
    }

    Path pod(String pod, String host) throws Exception {
        Path root = tmp.resolve(pod);
        Path conf = Files.createDirectories(root.resolve("config"));
        Files.createDirectories(root.resolve("data"));
        Files.writeString(conf.resolve("redis.conf"), config.get("redis.conf").replace("\nport 6379\n", "\nport " + port + "\n")
                .replace("\ndir /data\n", "\ndir " + root.resolve("data") + "\n").replace("bind * -::*", "bind " + host));
        Files.writeString(conf.resolve("users.acl"), config.get("users.acl") + "user acltest on >" + ROOT_PASSWORD + " ~* &* +@all\n");
        Files.writeString(conf.resolve("sentinel.conf"), config.get("sentinel.conf").replace("port 26379", "port " + sentinelPort)
                .replace("bind * -::*", "bind " + host).replace("\ndir /tmp\n", "\ndir " + root + "\n")
                .replace("@MASTER_HOST@ 6379 2", "@MASTER_HOST@ " + port + " 1")
                .replace("down-after-milliseconds mymaster 5000", "down-after-milliseconds mymaster 2000"));
        return root;
    }

    Proc.Background start(String pod, String host, String script) throws Exception {
        Path root = tmp.resolve(pod);
        return new Proc.Background(List.of("sh", scripts.resolve(script).toString()), env(pod, host, root), root.resolve("log-" + System.nanoTime()));
    }

    /** One command as USER (null: no AUTH) through redis-cli, stdout and stderr. */
    String as(String user, String host, int p, String... args) {
        List<String> cmd = new ArrayList<>(List.of("redis-cli", "-h", host, "-p", Integer.toString(p)));
        Map<String, String> env = new HashMap<>();
        if (user != null) {
            cmd.addAll(List.of("--user", user));
            env.put("REDISCLI_AUTH", password(user));
        }
        cmd.addAll(List.of(args));
        Proc.Result r = Proc.run(cmd, env, Duration.ofSeconds(10));
        return (r.stdout() + r.stderr()).strip();
    }

    static String password(String user) {
        return switch (user) {
            case "admin" -> PASSWORDS.get("REDIS_PASSWORD");
            case "app" -> PASSWORDS.get("ACL_APP_PASSWORD");
            case "replication" -> PASSWORDS.get("ACL_REPLICATION_PASSWORD");
            case "sentinel" -> PASSWORDS.get("ACL_SENTINEL_PASSWORD");
            case "exporter" -> PASSWORDS.get("ACL_EXPORTER_PASSWORD");
            case "acltest" -> ROOT_PASSWORD;
            default -> throw new IllegalArgumentException(user);
        };
    }

    boolean role(String host, String role) {
        String info = as("admin", host, port, "INFO", "replication");
        return info.contains("role:" + role) && (role.equals("master") || info.contains("master_link_status:up"));
    }

    String sentinelField(String key) {
        return LoopbackPods.sentinelMasterField(SENTINEL_HOST, sentinelPort, key);
    }

    /** "user command" of every ACL LOG entry of the server at HOST. */
    TreeSet<String> refusals(String host) {
        TreeSet<String> out = new TreeSet<>();
        List<String> flat = as("acltest", host, port, "ACL", "LOG", "1000").lines().toList();
        String user = null;
        for (int i = 0; i + 1 < flat.size(); i++) {
            if (flat.get(i).equals("username")) {
                user = flat.get(i + 1);
            }
            if (flat.get(i).equals("object") && user != null) {
                out.add(user + " " + flat.get(i + 1));
                user = null;
            }
        }
        return out;
    }

    @Test
    void everyUserDoesItsJobAndNoMore() throws Exception {
        Binaries.require("redis-server");
        Binaries.require("redis-sentinel");
        Binaries.require("redis-cli");
        Binaries.require("sha1sum");
        Binaries.require("sha256sum");
        Path exporterBinary = Binaries.require("prometheus-redis-exporter");
        port = Proc.freePort();
        sentinelPort = Proc.freePort();
        scripts = ScriptFiles.materialize(tmp.resolve("scripts"));
        render();

        // The rendered env: every component its own user; passwords only as secretKeyRefs.
        assertThat(containerEnv.get("redis")).containsEntry("REDIS_USER", "admin").containsEntry("REDIS_PASSWORD", "secret:admin-password")
                .containsEntry("ACL_APP_PASSWORD", "secret:password").containsEntry("ACL_REPLICATION_PASSWORD", "secret:replication-password")
                .containsEntry("ACL_SENTINEL_PASSWORD", "secret:sentinel-user-password").containsEntry("ACL_EXPORTER_PASSWORD", "secret:exporter-password");
        assertThat(containerEnv.get("sentinel")).containsEntry("REDIS_USER", "admin").containsEntry("ACL_SENTINEL_PASSWORD", "secret:sentinel-user-password")
                .doesNotContainKeys("ACL_APP_PASSWORD", "ACL_EXPORTER_PASSWORD", "ACL_REPLICATION_PASSWORD");
        assertThat(containerEnv.get("redis-exporter")).containsEntry("REDIS_USER", "exporter").containsEntry("REDIS_PASSWORD", "secret:exporter-password");
        assertThat(String.join("\n", config.values())).doesNotContain(PASSWORDS.values());

        pod("redis-0", HOST0);
        pod("redis-1", HOST1);
        Path sroot = pod("redis-sentinel-0", SENTINEL_HOST);
        Proc.Background pod1 = null;
        try (Proc.Background pod0 = start("redis-0", HOST0, "redis-start.sh");
             Proc.Background sentinel = start("redis-sentinel-0", SENTINEL_HOST, "sentinel-start.sh")) {
            pod1 = start("redis-1", HOST1, "redis-start.sh");
            Proc.Background p1 = pod1;
            // Replication as user replication (masteruser/masterauth).
            assertThat(Proc.await(Duration.ofSeconds(30), () -> role(HOST1, "slave"))).as("pod 1 replicates pod 0; log:\n" + p1.logText()).isTrue();
            assertThat(role(HOST0, "master")).as(pod0.logText()).isTrue();
            String runtime = Files.readString(tmp.resolve("redis-1/run/redis.conf"));
            assertThat(runtime).contains("masteruser replication", "user app on #", "user default off").doesNotContain(
                    PASSWORDS.get("REDIS_PASSWORD"), PASSWORDS.get("ACL_APP_PASSWORD"), PASSWORDS.get("ACL_SENTINEL_PASSWORD"),
                    PASSWORDS.get("ACL_EXPORTER_PASSWORD"));

            // No AUTH: nothing. The default user is off.
            assertThat(as(null, HOST0, port, "PING")).contains("NOAUTH");
            assertThat(as(null, HOST0, port, "AUTH", "default", "")).contains("WRONGPASS");

            // The application: data commands, WAIT; NOPERM for the dangerous ones.
            // The replica's link is up a moment before the master counts it for min-replicas-to-write (it goes online on
            // its first REPLCONF ACK): the first write may meet NOREPLICAS for that moment.
            assertThat(Proc.await(Duration.ofSeconds(10), () -> "OK".equals(as("app", HOST0, port, "SET", "k", "v"))))
                    .as("SET as app; last answer: " + as("app", HOST0, port, "SET", "k", "v")).isTrue();
            assertThat(as("app", HOST0, port, "GET", "k")).isEqualTo("v");
            assertThat(as("app", HOST0, port, "WAIT", "1", "2000")).isEqualTo("1");
            assertThat(as("app", HOST0, port, "RPUSH", "q", "task")).isEqualTo("1");
            assertThat(as("app", HOST0, port, "BRPOP", "q", "1")).contains("task");
            assertThat(as("app", HOST0, port, "PUBLISH", "celeryev", "x")).matches("\\d+");
            assertThat(as("app", HOST0, port, "EVAL", "return redis.call('GET', KEYS[1])", "1", "k")).isEqualTo("v");
            assertThat(as("app", HOST0, port, "ROLE")).startsWith("master");
            List<List<String>> dangerous = List.of(List.of("FLUSHALL"), List.of("FLUSHDB"), List.of("DEBUG", "SLEEP", "0"),
                    List.of("CONFIG", "GET", "maxmemory"), List.of("CONFIG", "SET", "maxmemory", "1"), List.of("KEYS", "*"),
                    List.of("SHUTDOWN", "NOSAVE"), List.of("MODULE", "LIST"), List.of("ACL", "LIST"), List.of("REPLICAOF", "NO", "ONE"),
                    List.of("SLAVEOF", "NO", "ONE"), List.of("MIGRATE", HOST1, Integer.toString(port), "k", "0", "1000"), List.of("MONITOR"),
                    List.of("SAVE"), List.of("BGSAVE"), List.of("CLIENT", "KILL", "ID", "1"), List.of("CLIENT", "LIST"), List.of("INFO"),
                    List.of("FAILOVER"), List.of("SWAPDB", "0", "1"), List.of("SORT", "q"));
            for (List<String> c : dangerous) {
                // DEBUG and MODULE are also off for everybody (enable-debug-command, enable-module-command no: Redis 7 default).
                assertThat(as("app", HOST0, port, c.toArray(String[]::new))).as(String.join(" ", c))
                        .containsAnyOf("NOPERM", "ERR " + c.get(0) + " command not allowed");
            }
            // And through a script: ACL applies inside EVAL too.
            assertThat(as("app", HOST0, port, "EVAL", "return redis.call('FLUSHALL')", "0")).contains("can't run this command");
            assertThat(as("app", HOST0, port, "DBSIZE")).as("the data survived").isNotEqualTo("0");

            // The other users hold no data access.
            for (String user : List.of("replication", "sentinel", "exporter", "admin")) {
                assertThat(as(user, HOST0, port, "GET", "k")).as(user).contains("NOPERM");
                assertThat(as(user, HOST0, port, "FLUSHALL")).as(user).contains("NOPERM");
            }

            // Probes as admin.
            assertThat(Proc.run(List.of("sh", scripts.resolve("readiness.sh").toString()), env("redis-1", HOST1, tmp.resolve("redis-1")),
                    Duration.ofSeconds(20))).satisfies(r -> assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero());
            assertThat(Proc.run(List.of("sh", scripts.resolve("liveness.sh").toString()), env("redis-0", HOST0, tmp.resolve("redis-0")),
                    Duration.ofSeconds(20))).satisfies(r -> assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero());

            // The exporter scrapes as user exporter.
            int metricsPort = Proc.freePort();
            Map<String, String> xenv = new HashMap<>();
            containerEnv.get("redis-exporter").forEach((k, v) -> {
                if (!v.startsWith("secret:") && !v.equals("field")) {
                    xenv.put(k, v);
                }
            });
            xenv.put("REDIS_PASSWORD", PASSWORDS.get("ACL_EXPORTER_PASSWORD"));
            xenv.put("REDIS_ADDR", "redis://" + HOST0 + ":" + port);
            xenv.put("REDIS_EXPORTER_WEB_LISTEN_ADDRESS", "127.0.0.1:" + metricsPort);
            try (Proc.Background exporter = new Proc.Background(List.of(exporterBinary.toString()), xenv, tmp.resolve("exporter.log"))) {
                HttpClient http = HttpClient.newHttpClient();
                String[] body = {""};
                assertThat(Proc.await(Duration.ofSeconds(20), () -> {
                    try {
                        body[0] = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(),
                                HttpResponse.BodyHandlers.ofString()).body();
                        return body[0].contains("\nredis_up 1");
                    } catch (Exception e) {
                        return false;
                    }
                })).as(exporter.logText() + body[0]).isTrue();
                assertThat(body[0]).contains("redis_connected_slaves 1", "redis_config_maxmemory", "redis_latency_percentiles_usec",
                        "redis_exporter_last_scrape_error{err=\"\"} 0");
                assertThat(exporter.logText()).doesNotContain("NOPERM");
            }

            // Sentinel as user sentinel: it sees master and replica, and fails over when prestop.sh (admin) asks.
            assertThat(Proc.await(Duration.ofSeconds(30), () -> "1".equals(sentinelField("num-slaves"))))
                    .as("sentinel sees the replica; log:\n" + sentinel.logText()).isTrue();
            Proc.Result stop = Proc.run(List.of("sh", scripts.resolve("prestop.sh").toString()), env("redis-0", HOST0, tmp.resolve("redis-0")),
                    Duration.ofSeconds(60));
            assertThat(stop.stderr()).as(sentinel.logText()).contains("handed over");
            assertThat(Proc.await(Duration.ofSeconds(30), () -> HOST1.equals(sentinelField("ip")) && role(HOST1, "master")
                    && role(HOST0, "slave"))).as("failover to pod 1; sentinel log:\n" + sentinel.logText()).isTrue();
            assertThat(as("app", HOST1, port, "GET", "k")).isEqualTo("v");

            // Nothing was refused but what this test provoked.
            TreeSet<String> seen = new TreeSet<>(refusals(HOST0));
            seen.addAll(refusals(HOST1));
            List<String> unexpected = seen.stream().filter(s -> !s.startsWith("app ")
                    && !List.of("replication get", "replication flushall", "sentinel get", "sentinel flushall", "exporter get",
                    "exporter flushall", "admin get", "admin flushall").contains(s)).toList();
            assertThat(unexpected).as("refused to a component (ACL LOG of both servers: %s)", seen).isEmpty();
            assertThat(sroot).exists();
        } finally {
            if (pod1 != null) {
                pod1.close();
            }
        }
    }
}
