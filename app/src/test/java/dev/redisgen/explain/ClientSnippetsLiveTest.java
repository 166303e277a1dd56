package dev.redisgen.explain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.redisgen.conf.Binaries;
import dev.redisgen.conf.Proc;
import dev.redisgen.explain.Explanation.ClientSettings;
import dev.redisgen.explain.Explanation.Deployment;
import dev.redisgen.explain.Explanation.Endpoint;
import dev.redisgen.explain.Explanation.PasswordEnv;
import dev.redisgen.explain.Explanation.Snippet;
import dev.redisgen.pipeline.Pipeline;
import dev.redisgen.plan.RedisPlan;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Python and redis-cli snippets of {@code explain}, run as printed against real redis-server and
 * redis-sentinel on loopback: a master (127.0.0.41), its replica (.42) and a Sentinel (.43) monitoring it
 * under the profile's master name, or a single Redis (.44) for a standalone deployment, with the
 * profile's passwords (hostile ones: space, quote, @, colon, slash, percent) when it has AUTH.
 *
 * <p>The only change made to a snippet is mechanical: each rendered Service host name is replaced by the
 * loopback address standing in for it (the Sentinel Service by the Sentinel; the write endpoint, whose
 * HAProxy forwards to the master only, by the master; the read-only endpoint by the replica; a
 * standalone Service by its Redis), and the ports 26379 and 6379 by the free ports the servers listen
 * on. The passwords reach the snippets as the environment variables they read, under the names and from
 * the Secret keys the explanation states. Each test writes through what the snippet connects to and reads
 * back, and checks with redis-cli that the key is on the loopback master.
 */
class ClientSnippetsLiveTest {
    static final String REDIS_PASSWORD = "r3d is@pa\"ss:w/rd%41";
    static final String SENTINEL_PASSWORD = "s3nt inel@pa'ss:w/rd%42";
    /** Added (ACL) for the Airflow env, whose $(VAR) expansion puts the password into a URL unescaped: hex, as the kubectl line makes. */
    static final String SAFE_REDIS_PASSWORD = "6c9d2e0a41f3b7c85d1e9a0b2c4f6e8d";
    static final String SAFE_SENTINEL_PASSWORD = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";

    static final String MASTER = "127.0.0.41";
    static final String REPLICA = "127.0.0.42";
    static final String SENTINEL = "127.0.0.43";
    static final String SINGLE = "127.0.0.44";

    @TempDir
    Path tmp;

    int port;
    int sentinelPort;
    final List<Proc.Background> procs = new ArrayList<>();
    int run;

    @BeforeEach
    void binaries() {
        Binaries.require("redis-server");
        Binaries.require("redis-sentinel");
        Binaries.require("redis-cli");
        port = Proc.freePort();
        sentinelPort = Proc.freePort();
    }

    @AfterEach
    void stopAll() {
        procs.forEach(Proc.Background::close);
    }

    static Stream<String> profiles() {
        return Stream.of("airflow", "jewelry-shop", "gateway-ha",
                "app/src/test/resources/explain/every-client-sentinel.yaml",
                "app/src/test/resources/explain/sentinel-no-auth.yaml",
                "app/src/test/resources/explain/every-client-standalone.yaml");
    }

    @ParameterizedTest
    @MethodSource("profiles")
    void everyPythonAndRedisCliSnippetWritesAndReadsBack(String profile) throws Exception {
        Pipeline.Result result = Pipeline.render(profile);
        Explanation e = Explainer.explain(result.plan(), result.objects(), result.source().displayName(), null);
        int ran = 0;
        for (Deployment d : e.deployments()) {
            RedisPlan plan = result.plan().deployments().stream().filter(p -> p.name().equals(d.name())).findFirst().orElseThrow();
            Servers s = start(plan, d);
            for (ClientSettings c : d.connection().clients()) {
                switch (c.client()) {
                    case "redis-cli" -> redisCli(s, c);
                    case "redis-py" -> redisPy(s, c);
                    case "celery" -> celery(s, c);
                    case "django" -> django(s, c);
                    case "airflow" -> airflow(s, c);
                    default -> {
                        continue; // Go and Java: SnippetsTest parses them
                    }
                }
                ran++;
            }
            procs.forEach(Proc.Background::close);
            procs.clear();
        }
        assertThat(ran).as("snippets run for %s", profile).isPositive();
    }

    // ------------------------------------------------------------------ servers

    /** The loopback stand-ins of one deployment, and how its snippets are made to reach them. */
    record Servers(RedisPlan plan, String master, Map<String, String> hosts, Map<String, String> env, String redisPassword,
                   String sentinelPassword, Map<String, String> secretValues) {
    }

    Servers start(RedisPlan plan, Deployment d) throws Exception {
        String redisPassword = plan.auth() == null ? null : REDIS_PASSWORD;
        String sentinelPassword = plan.auth() == null || plan.auth().sentinelPasswordKey() == null || plan.sentinel() == null ? null
                : SENTINEL_PASSWORD;
        Map<String, String> hosts = new LinkedHashMap<>();
        for (Endpoint ep : d.connection().endpoints()) {
            hosts.put(ep.host(), switch (ep.use()) {
                case "Sentinel" -> SENTINEL;
                case "write" -> MASTER;
                case "read-only" -> REPLICA;
                case "redis" -> SINGLE;
                default -> throw new AssertionError("no loopback stand-in for endpoint " + ep);
            });
        }
        String master;
        if (plan.isSentinel()) {
            startRedis(MASTER, null, redisPassword);
            startRedis(REPLICA, MASTER, redisPassword);
            startSentinel(plan.sentinel().masterName(), redisPassword, sentinelPassword);
            String name = plan.sentinel().masterName();
            assertThat(Proc.await(Duration.ofSeconds(20), () -> Proc.cli(SENTINEL, sentinelPort, sentinelPassword, "SENTINEL", "replicas", name)
                    .contains(REPLICA))).as("the Sentinel knows the replica").isTrue();
            master = MASTER;
        } else {
            startRedis(SINGLE, null, redisPassword);
            master = SINGLE;
        }
        Map<String, String> env = new HashMap<>();
        Map<String, String> secrets = new HashMap<>();
        for (PasswordEnv p : d.connection().passwords()) {
            boolean sentinel = p.key().equals(plan.auth().sentinelPasswordKey()) && plan.sentinel() != null;
            env.put(p.env(), sentinel ? sentinelPassword : redisPassword);
            secrets.put(p.secret() + "/" + p.key(), sentinel ? SAFE_SENTINEL_PASSWORD : SAFE_REDIS_PASSWORD);
        }
        assertThat(env.size()).as("password variables").isEqualTo((redisPassword == null ? 0 : 1) + (sentinelPassword == null ? 0 : 1));
        return new Servers(plan, master, hosts, env, redisPassword, sentinelPassword, secrets);
    }

    static String confString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    void startRedis(String host, String replicaOf, String password) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("redis-" + host + "-" + (run++)));
        List<String> lines = new ArrayList<>(List.of("bind " + host, "port " + port, "dir " + dir, "save \"\"", "appendonly no",
                "repl-diskless-sync-delay 0"));
        if (password != null) {
            lines.add("requirepass " + confString(password));
            lines.add("masterauth " + confString(password));
        }
        if (replicaOf != null) {
            // The replica's connection leaves from 127.0.0.1: announce the address it serves on.
            lines.add("replica-announce-ip " + host);
            lines.add("replicaof " + replicaOf + " " + port);
        }
        Path conf = Files.writeString(dir.resolve("redis.conf"), String.join("\n", lines) + "\n");
        procs.add(new Proc.Background(List.of("redis-server", conf.toString()), Map.of(), dir.resolve("log")));
        assertThat(Proc.await(Duration.ofSeconds(10), () -> "PONG".equals(Proc.cli(host, port, password, "PING"))))
                .as("redis %s answers", host).isTrue();
        if (replicaOf != null) {
            assertThat(Proc.await(Duration.ofSeconds(10), () -> Proc.cli(host, port, password, "INFO", "replication")
                    .contains("master_link_status:up"))).as("replica %s linked", host).isTrue();
        }
    }

    void startSentinel(String masterName, String redisPassword, String sentinelPassword) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("sentinel-" + (run++)));
        List<String> lines = new ArrayList<>(List.of("bind " + SENTINEL, "port " + sentinelPort, "dir " + dir,
                "sentinel monitor " + masterName + " " + MASTER + " " + port + " 1",
                "sentinel down-after-milliseconds " + masterName + " 60000"));
        if (redisPassword != null) {
            lines.add("sentinel auth-pass " + masterName + " " + confString(redisPassword));
        }
        if (sentinelPassword != null) {
            lines.add("requirepass " + confString(sentinelPassword));
        }
        Path conf = Files.writeString(dir.resolve("sentinel.conf"), String.join("\n", lines) + "\n");
        procs.add(new Proc.Background(List.of("redis-sentinel", conf.toString()), Map.of(), dir.resolve("log")));
        assertThat(Proc.await(Duration.ofSeconds(10), () -> "PONG".equals(Proc.cli(SENTINEL, sentinelPort, sentinelPassword, "PING"))))
                .as("sentinel answers").isTrue();
    }

    // ------------------------------------------------------------------ the mechanical substitution

    private static final Pattern SENTINEL_PORT = Pattern.compile("\\b26379\\b");
    private static final Pattern REDIS_PORT = Pattern.compile("\\b6379\\b");

    String loopback(Servers s, String code) {
        String out = code;
        for (var h : s.hosts().entrySet()) {
            out = out.replace(h.getKey(), h.getValue());
        }
        assertThat(out).as("the snippet uses only the rendered Services the explanation lists").doesNotContain(".svc.");
        out = SENTINEL_PORT.matcher(out).replaceAll(Integer.toString(sentinelPort));
        return REDIS_PORT.matcher(out).replaceAll(Integer.toString(port));
    }

    String keyOnMaster(Servers s, String key) {
        return Proc.cli(s.master(), port, s.redisPassword(), "GET", key);
    }

    Proc.Result python(Servers s, String interpreter, String script, Map<String, String> env) throws Exception {
        Path file = Files.writeString(tmp.resolve("snippet-" + (run++) + ".py"), script);
        Map<String, String> all = new HashMap<>(env);
        all.put("PYTHONPATH", tmp.toString());
        all.put("PYTHONDONTWRITEBYTECODE", "1");
        Proc.Result r = Proc.run(List.of(interpreter, file.toString()), all, Duration.ofSeconds(60));
        assertThat(r.exitCode()).as("python %s\n%s", script, r.all()).isZero();
        assertThat(r.all()).doesNotContain(REDIS_PASSWORD).doesNotContain(SENTINEL_PASSWORD);
        return r;
    }

    // ------------------------------------------------------------------ redis-cli

    void redisCli(Servers s, ClientSettings c) throws Exception {
        for (Snippet part : c.snippets()) {
            String code = loopback(s, part.code());
            String key = "cli-" + (run++);
            boolean replica = code.contains(REPLICA);
            boolean query = code.contains(" SENTINEL ") && !code.contains("set --") || code.contains("CLUSTER INFO");
            Path stdin = Files.writeString(tmp.resolve("stdin-" + key), replica ? "GET " + key + "\n" : "SET " + key + " v-" + key + "\nGET " + key + "\n");
            if (replica) {
                assertThat(Proc.cli(MASTER, port, s.redisPassword(), "SET", key, "v-" + key)).isEqualTo("OK");
                // Not WAIT: it waits for the writes of its own connection, and a new one has none, so it returns at once.
                assertThat(Proc.await(Duration.ofSeconds(10), () -> ("v-" + key).equals(Proc.cli(REPLICA, port, s.redisPassword(), "GET", key))))
                        .as("the replica has it").isTrue();
            }
            Proc.Result r = Proc.run(List.of("sh", "-c", code), s.env(), Duration.ofSeconds(30), stdin);
            assertThat(r.exitCode()).as("%s\n%s", code, r.all()).isZero();
            assertThat(r.stderr()).as(code).doesNotContain("NOAUTH", "WRONGPASS", "ERR");
            assertThat(r.stdout()).as(code).doesNotContain("NOAUTH", "WRONGPASS", "ERR");
            if (query) {
                assertThat(r.stdout().strip().lines().toList()).as(code).containsExactly(MASTER, Integer.toString(port));
            } else if (replica) {
                assertThat(r.stdout().strip()).as(code).isEqualTo("v-" + key);
            } else {
                assertThat(r.stdout().strip().lines().toList()).as(code).containsExactly("OK", "v-" + key);
                assertThat(keyOnMaster(s, key)).as("written through %s", code).isEqualTo("v-" + key);
            }
        }
    }

    // ------------------------------------------------------------------ redis-py

    void redisPy(Servers s, ClientSettings c) throws Exception {
        String py = Python.require("redis");
        String code = loopback(s, c.snippets().get(0).code());
        String key = "py-" + (run++);
        StringBuilder harness = new StringBuilder(code).append("\n# the test's part\n")
                .append("assert r.set(\"" + key + "\", \"v1\")\n")
                .append("assert r.get(\"" + key + "\") == b\"v1\"\n")
                .append("assert r.execute_command(\"ROLE\")[0] == b\"master\"\n");
        if (s.plan().isSentinel()) {
            harness.append("assert r.wait(1, 5000) == 1\n")
                   .append("assert replica.get(\"" + key + "\") == b\"v1\"\n")
                   .append("assert replica.execute_command(\"ROLE\")[0] == b\"slave\"\n");
        }
        python(s, py, harness.toString(), s.env());
        assertThat(keyOnMaster(s, key)).isEqualTo("v1");
    }

    // ------------------------------------------------------------------ Celery

    void celery(Servers s, ClientSettings c) throws Exception {
        String py = Python.require("celery", "kombu", "redis");
        Files.writeString(tmp.resolve("celeryconfig.py"), loopback(s, c.snippets().get(0).code()));
        String task = "task-" + (run++);
        String harness = String.join("\n",
                "from celery import Celery",
                "app = Celery(\"explain-live\")",
                "app.config_from_object(\"celeryconfig\")",
                "with app.connection_for_write() as conn:",
                "    conn.ensure_connection(max_retries=3)",
                "    q = conn.SimpleQueue(\"explain-live\")",
                "    q.put({\"n\": 1})",
                "    m = q.get(timeout=10)",
                "    assert m.payload == {\"n\": 1}, m.payload",
                "    m.ack()",
                "    q.close()",
                "app.backend.store_result(\"" + task + "\", 42, \"SUCCESS\")",
                "assert app.AsyncResult(\"" + task + "\").result == 42",
                "");
        python(s, py, harness, s.env());
        // The result went to database 1 of the loopback master: the URL's database, through the Sentinels.
        assertThat(Proc.cli(s.master(), port, s.redisPassword(), "-n", "1", "EXISTS", "celery-task-meta-" + task)).isEqualTo("1");
        Files.delete(tmp.resolve("celeryconfig.py"));
    }

    // ------------------------------------------------------------------ Django

    void django(Servers s, ClientSettings c) throws Exception {
        for (Snippet part : c.snippets()) {
            String code = loopback(s, part.code());
            Files.writeString(tmp.resolve("djangosettings.py"), code);
            String key = "dj-" + (run++);
            if (code.contains("django_redis")) {
                String py = Python.require("django", "django_redis", "redis");
                String harness = String.join("\n",
                        "import time",
                        "import djangosettings",
                        "from django.conf import settings",
                        "settings.configure(**{k: getattr(djangosettings, k) for k in dir(djangosettings) if k.isupper()})",
                        "from django.core.cache import cache",
                        "cache.set(\"" + key + "\", \"v1\", 60)",
                        "deadline = time.time() + 10",
                        "while cache.get(\"" + key + "\") != \"v1\" and time.time() < deadline:",
                        "    time.sleep(0.1)",
                        "assert cache.get(\"" + key + "\") == \"v1\"",
                        "");
                python(s, py, harness, s.env());
                // django-redis prefixes keys with the version: ":1:<key>", in the database of LOCATION.
                assertThat(Proc.cli(s.master(), port, s.redisPassword(), "-n", Integer.toString(Clients.CACHE_DB), "EXISTS", ":1:" + key))
                        .isEqualTo("1");
            } else {
                // Django 4's RedisCacheClient does exactly this with LOCATION and OPTIONS (Debian ships Django 3.2):
                // ConnectionPool.from_url(location, **options), then a Redis on that pool.
                assertThat(code).contains("django.core.cache.backends.redis.RedisCache");
                String py = Python.require("redis");
                String harness = String.join("\n",
                        "import redis",
                        "import djangosettings",
                        "conf = djangosettings.CACHES[\"default\"]",
                        "pool = redis.ConnectionPool.from_url(conf[\"LOCATION\"], **conf.get(\"OPTIONS\", {}))",
                        "r = redis.Redis(connection_pool=pool)",
                        "assert r.set(\"" + key + "\", \"v1\")",
                        "assert r.execute_command(\"ROLE\")[0] == b\"master\"",
                        "");
                python(s, py, harness, s.env());
                assertThat(Proc.cli(s.master(), port, s.redisPassword(), "-n", Integer.toString(Clients.CACHE_DB), "GET", key)).isEqualTo("v1");
            }
            Files.delete(tmp.resolve("djangosettings.py"));
        }
    }

    // ------------------------------------------------------------------ Airflow

    /**
     * The Airflow env as Kubernetes would set it (secretKeyRef from the Secret, then {@code $(VAR)} expanded
     * from the variables above), then the broker URL and transport options handed to kombu as Airflow's
     * default Celery config does (the celery_broker_transport_options section, sentinel_kwargs parsed as JSON).
     */
    void airflow(Servers s, ClientSettings c) throws Exception {
        String py = Python.require("kombu", "redis");
        if (s.redisPassword() != null) {
            allowPassword(s, MASTER.equals(s.master()) ? List.of(MASTER, REPLICA) : List.of(s.master()), port, s.redisPassword(), SAFE_REDIS_PASSWORD);
        }
        if (s.sentinelPassword() != null) {
            allowPassword(s, List.of(SENTINEL), sentinelPort, s.sentinelPassword(), SAFE_SENTINEL_PASSWORD);
        }
        JsonNode env = new YAMLMapper().readTree(loopback(s, c.snippets().get(0).code())).path("env");
        Map<String, String> values = new LinkedHashMap<>();
        for (JsonNode var : env) {
            String name = var.path("name").asText();
            if (var.has("valueFrom")) {
                JsonNode ref = var.path("valueFrom").path("secretKeyRef");
                String secret = ref.path("name").asText() + "/" + ref.path("key").asText();
                assertThat(s.secretValues()).as("the Secret key the Airflow env reads").containsKey(secret);
                values.put(name, s.secretValues().get(secret));
            } else {
                Matcher m = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)").matcher(var.path("value").asText());
                StringBuilder expanded = new StringBuilder();
                while (m.find()) {
                    assertThat(values).as("$(%s) is defined above %s", m.group(1), name).containsKey(m.group(1));
                    m.appendReplacement(expanded, Matcher.quoteReplacement(values.get(m.group(1))));
                }
                m.appendTail(expanded);
                values.put(name, expanded.toString());
            }
        }
        URI broker = URI.create(values.get("AIRFLOW__CELERY__BROKER_URL"));
        assertThat(broker.getPath()).isEqualTo("/" + Clients.BROKER_DB);
        String harness = String.join("\n",
                "import json, os",
                "from kombu import Connection",
                "opts = {}",
                "prefix = \"AIRFLOW__CELERY_BROKER_TRANSPORT_OPTIONS__\"",
                "for k, v in os.environ.items():",
                "    if k.startswith(prefix):",
                "        opts[k[len(prefix):].lower()] = v",
                "if \"sentinel_kwargs\" in opts:",
                "    opts[\"sentinel_kwargs\"] = json.loads(opts[\"sentinel_kwargs\"])",
                "with Connection(os.environ[\"AIRFLOW__CELERY__BROKER_URL\"], transport_options=opts) as conn:",
                "    conn.ensure_connection(max_retries=3)",
                "    q = conn.SimpleQueue(\"explain-airflow\")",
                "    q.put({\"n\": 2})",
                "    m = q.get(timeout=10)",
                "    assert m.payload == {\"n\": 2}, m.payload",
                "    m.ack()",
                "    q.close()",
                "");
        python(s, py, harness, values);
    }

    /** A second password for the default user (ACL), so the URL-safe one of the Airflow env works beside the hostile one. */
    void allowPassword(Servers s, List<String> hosts, int p, String current, String extra) {
        for (String host : hosts) {
            assertThat(Proc.cli(host, p, current, "ACL", "SETUSER", "default", ">" + extra)).isEqualTo("OK");
        }
    }
}
