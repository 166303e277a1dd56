package dev.redisgen.explain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.redisgen.conf.Proc;
import dev.redisgen.explain.Explanation.ClientSettings;
import dev.redisgen.explain.Explanation.Deployment;
import dev.redisgen.explain.Explanation.PasswordEnv;
import dev.redisgen.pipeline.Pipeline;
import dev.redisgen.plan.RedisPlan;
import dev.redisgen.profile.ProfileLoader;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Go and Java snippets (which no test runs) read back: the call or literal each library documents,
 * with the host and port of the rendered Service (found here in the rendered objects, not in the
 * explanation), the plan's master name, and exactly the password variables of the Secret keys the
 * rendered pods read. The Kubernetes env snippet is read as YAML against the same Secret keys.
 */
class SnippetsTest {
    static final String FIXTURES = "app/src/test/resources/explain/";

    static Stream<String> profiles() {
        List<String> all = new ArrayList<>(ProfileLoader.builtinNames());
        for (String f : List.of("every-client-sentinel", "sentinel-no-auth", "every-client-standalone", "every-client-cluster")) {
            all.add(FIXTURES + f + ".yaml");
        }
        return all.stream();
    }

    /** What the rendered objects and the plan say a client of one deployment must use. */
    record Expected(String sentinel, String seed, String master, String redisEnv, String sentinelEnv) {
    }

    @ParameterizedTest
    @MethodSource("profiles")
    void goJavaAndEnvSnippetsUseTheRenderedServicesMasterNameAndPasswords(String profile) throws Exception {
        Pipeline.Result result = Pipeline.render(profile);
        Explanation e = Explainer.explain(result.plan(), result.objects(), result.source().displayName(), null);
        for (Deployment d : e.deployments()) {
            RedisPlan p = result.plan().deployments().stream().filter(x -> x.name().equals(d.name())).findFirst().orElseThrow();
            Expected x = expected(p, result.objects(), result.plan().namespace().name(), d);
            List<String> named = d.connection().clients().stream().map(ClientSettings::client).toList();
            List<String> wanted = p.clients().isEmpty() ? List.of("redis-cli", "redis-py")
                    : p.clients().stream().map(Explainer::lower).distinct().toList();
            assertThat(named).as("one entry per client the profile names").isEqualTo(wanted);
            for (ClientSettings c : d.connection().clients()) {
                switch (c.client()) {
                    case "go-redis" -> goRedis(p, x, new CodeTokens(c.snippets().get(0).code()));
                    case "lettuce" -> lettuce(p, x, new CodeTokens(c.snippets().get(0).code()));
                    case "jedis" -> jedis(p, x, new CodeTokens(c.snippets().get(0).code()));
                    case "celery", "django", "airflow" -> {
                        if (p.isCluster()) {
                            assertThat(c.supported()).as(c.client() + " on Redis Cluster").isFalse();
                            assertThat(c.snippets()).isEmpty();
                            assertThat(c.notes()).anySatisfy(n -> assertThat(n).startsWith("not available: "));
                        } else {
                            assertThat(c.supported()).isTrue();
                        }
                    }
                    default -> assertThat(c.supported()).isTrue();
                }
            }
            env(p, d);
        }
    }

    /**
     * Every Python snippet is valid Python (ast.parse), and the cluster and standalone ones, which the live test
     * does not run against a cluster, call their client with the rendered Service's host and port. The redis-cli
     * lines of a cluster follow redirects (-c) from the rendered Service.
     */
    @ParameterizedTest
    @MethodSource("profiles")
    void pythonSnippetsParseAndClusterClientsStartFromTheRenderedService(String profile, @TempDir Path tmp) throws Exception {
        Pipeline.Result result = Pipeline.render(profile);
        Explanation e = Explainer.explain(result.plan(), result.objects(), result.source().displayName(), null);
        String py = Python.require("ast", "json");
        String reader = String.join("\n",
                "import ast, json, sys",
                "calls = []",
                "for node in ast.walk(ast.parse(open(sys.argv[1]).read())):",
                "    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):",
                "        calls.append({'name': node.func.id, 'keywords': {k.arg: ast.unparse(k.value) for k in node.keywords}})",
                "print(json.dumps(calls))",
                "");
        Path script = Files.writeString(tmp.resolve("calls.py"), reader);
        for (Deployment d : e.deployments()) {
            RedisPlan p = result.plan().deployments().stream().filter(x -> x.name().equals(d.name())).findFirst().orElseThrow();
            Expected x = expected(p, result.objects(), result.plan().namespace().name(), d);
            for (ClientSettings c : d.connection().clients()) {
                for (var snippet : c.snippets()) {
                    if (snippet.language().equals("python")) {
                        Path file = Files.writeString(tmp.resolve("snippet.py"), snippet.code());
                        Proc.Result r = Proc.run(List.of(py, script.toString(), file.toString()), Map.of(), Duration.ofSeconds(30));
                        assertThat(r.exitCode()).as("%s\n%s", snippet.code(), r.all()).isZero();
                        JsonNode calls = new ObjectMapper().readTree(r.stdout());
                        if (c.client().equals("redis-py") && p.isCluster()) {
                            List<JsonNode> clusters = new ArrayList<>();
                            calls.forEach(call -> {
                                if (call.path("name").asText().equals("RedisCluster")) {
                                    clusters.add(call);
                                }
                            });
                            assertThat(clusters).as("RedisCluster(...) calls").hasSize(1);
                            JsonNode call = clusters.get(0);
                            String[] hp = x.seed().split(":");
                            assertThat(call.path("keywords").path("host").asText()).isEqualTo("'" + hp[0] + "'");
                            assertThat(call.path("keywords").path("port").asText()).isEqualTo(hp[1]);
                            assertThat(call.path("keywords").path("password").asText())
                                    .isEqualTo(x.redisEnv() == null ? "" : "os.environ['" + x.redisEnv() + "']");
                        }
                    }
                }
                if (c.client().equals("redis-cli") && p.isCluster()) {
                    String[] hp = x.seed().split(":");
                    String auth = x.redisEnv() == null ? "" : "REDISCLI_AUTH=\"$" + x.redisEnv() + "\" ";
                    assertThat(c.snippets().get(0).code()).isEqualTo(auth + "redis-cli -c -h " + hp[0] + " -p " + hp[1] + "\n");
                }
            }
        }
    }

    Expected expected(RedisPlan p, List<HasMetadata> objects, String ns, Deployment d) {
        String sentinel = null;
        String seed = null;
        for (HasMetadata o : objects) {
            if (o instanceof Service s && p.name().equals(s.getMetadata().getLabels().get("app.kubernetes.io/instance"))
                    && !"None".equals(s.getSpec().getClusterIP())) {
                String host = s.getMetadata().getName() + "." + ns + ".svc.cluster.local:" + s.getSpec().getPorts().get(0).getPort();
                switch (s.getMetadata().getLabels().get("app.kubernetes.io/component")) {
                    case "sentinel" -> sentinel = host;
                    case "write", "client" -> seed = host;
                    default -> {
                    }
                }
            }
        }
        Set<String> refs = new HashSet<>();
        for (HasMetadata o : objects) {
            if (Manifests.isWorkload(o)) {
                Stream.concat(Manifests.initContainers(Manifests.pod(o)).stream(), Manifests.containers(Manifests.pod(o)).stream())
                        .flatMap(c -> c.getEnv().stream()).map(EnvVar::getValueFrom).filter(v -> v != null && v.getSecretKeyRef() != null)
                        .forEach(v -> refs.add(v.getSecretKeyRef().getName() + "/" + v.getSecretKeyRef().getKey()));
            }
        }
        String redisEnv = null;
        String sentinelEnv = null;
        for (PasswordEnv pe : d.connection().passwords()) {
            assertThat(refs).as("the rendered pods read Secret key %s/%s", pe.secret(), pe.key()).contains(pe.secret() + "/" + pe.key());
            assertThat(pe.secret()).isEqualTo(p.auth().secretName());
            if (pe.key().equals(p.auth().passwordKey())) {
                redisEnv = pe.env();
            } else if (pe.key().equals(p.auth().sentinelPasswordKey())) {
                sentinelEnv = pe.env();
            }
        }
        assertThat(redisEnv != null).as("a Redis password variable iff AUTH").isEqualTo(p.auth() != null);
        assertThat(sentinelEnv != null).as("a Sentinel password variable iff Sentinel has one")
                .isEqualTo(p.auth() != null && p.auth().sentinelPasswordKey() != null && p.isSentinel());
        return new Expected(sentinel, seed, p.isSentinel() ? p.sentinel().masterName() : null, redisEnv, sentinelEnv);
    }

    static String quoted(String s) {
        return "\"" + s + "\"";
    }

    static String goEnv(String env) {
        return "os.Getenv(\"" + env + "\")";
    }

    static String javaEnv(String env) {
        return "System.getenv(\"" + env + "\")";
    }

    void goRedis(RedisPlan p, Expected x, CodeTokens code) {
        Map<String, String> fields;
        switch (p.topology()) {
            case SENTINEL -> {
                assertThat(code.call("redis.NewFailoverClient")).singleElement().asString().startsWith("&redis.FailoverOptions{");
                fields = code.literal("redis.FailoverOptions");
                assertThat(fields.remove("MasterName")).isEqualTo(quoted(x.master()));
                assertThat(fields.remove("SentinelAddrs")).isEqualTo("[]string{" + quoted(x.sentinel()) + "}");
                if (x.sentinelEnv() != null) {
                    assertThat(fields.remove("SentinelPassword")).isEqualTo(goEnv(x.sentinelEnv()));
                }
            }
            case CLUSTER -> {
                fields = code.literal("redis.ClusterOptions");
                assertThat(code.calls("redis.NewClusterClient")).hasSize(1);
                assertThat(fields.remove("Addrs")).isEqualTo("[]string{" + quoted(x.seed()) + "}");
            }
            default -> {
                fields = code.literal("redis.Options");
                assertThat(code.calls("redis.NewClient")).hasSize(1);
                assertThat(fields.remove("Addr")).isEqualTo(quoted(x.seed()));
            }
        }
        if (x.redisEnv() != null) {
            assertThat(fields.remove("Password")).isEqualTo(goEnv(x.redisEnv()));
        }
        assertThat(fields).as("no other option").isEmpty();
    }

    void lettuce(RedisPlan p, Expected x, CodeTokens code) {
        if (p.isSentinel()) {
            String[] hp = x.sentinel().split(":");
            List<String> args = new ArrayList<>(List.of(quoted(hp[0]), hp[1], quoted(x.master())));
            if (x.sentinelEnv() != null) {
                args.add(javaEnv(x.sentinelEnv()));
            }
            assertThat(code.call("RedisURI.Builder.sentinel")).isEqualTo(args);
            assertThat(code.call("RedisClient.create")).containsExactly("uri");
        } else {
            String[] hp = x.seed().split(":");
            assertThat(code.call("RedisURI.Builder.redis")).containsExactly(quoted(hp[0]), hp[1]);
            assertThat(code.call(p.isCluster() ? "RedisClusterClient.create" : "RedisClient.create")).containsExactly("uri");
        }
        if (x.redisEnv() != null) {
            assertThat(code.call("withPassword")).containsExactly(javaEnv(x.redisEnv()));
        } else {
            assertThat(code.calls("withPassword")).isEmpty();
        }
    }

    void jedis(RedisPlan p, Expected x, CodeTokens code) {
        String redisConfig = "DefaultJedisClientConfig.builder()" + (x.redisEnv() == null ? "" : ".password(" + javaEnv(x.redisEnv()) + ")") + ".build()";
        assertThat(code.declaration("redisConfig")).isEqualTo(redisConfig);
        switch (p.topology()) {
            case SENTINEL -> {
                assertThat(code.declaration("sentinelConfig")).isEqualTo("DefaultJedisClientConfig.builder()"
                        + (x.sentinelEnv() == null ? "" : ".password(" + javaEnv(x.sentinelEnv()) + ")") + ".build()");
                String[] hp = x.sentinel().split(":");
                assertThat(code.call("JedisSentinelPool")).containsExactly(quoted(x.master()),
                        "Set.of(newHostAndPort(" + quoted(hp[0]) + "," + hp[1] + "))", "redisConfig", "sentinelConfig");
            }
            case CLUSTER -> {
                String[] hp = x.seed().split(":");
                assertThat(code.call("JedisCluster")).containsExactly("Set.of(newHostAndPort(" + quoted(hp[0]) + "," + hp[1] + "))", "redisConfig");
            }
            default -> {
                String[] hp = x.seed().split(":");
                assertThat(code.call("JedisPooled")).containsExactly("newHostAndPort(" + quoted(hp[0]) + "," + hp[1] + ")", "redisConfig");
            }
        }
    }

    /** The container env snippet sets each password variable from the Secret key the pods read. */
    void env(RedisPlan p, Deployment d) throws Exception {
        if (p.auth() == null) {
            assertThat(d.connection().env()).isNull();
            return;
        }
        JsonNode env = new YAMLMapper().readTree(d.connection().env().code()).path("env");
        assertThat(env.size()).isEqualTo(d.connection().passwords().size());
        for (int i = 0; i < env.size(); i++) {
            PasswordEnv pe = d.connection().passwords().get(i);
            assertThat(env.get(i).path("name").asText()).isEqualTo(pe.env());
            assertThat(env.get(i).path("valueFrom").path("secretKeyRef").path("name").asText()).isEqualTo(p.auth().secretName());
            assertThat(env.get(i).path("valueFrom").path("secretKeyRef").path("key").asText()).isEqualTo(pe.key());
        }
    }
}
