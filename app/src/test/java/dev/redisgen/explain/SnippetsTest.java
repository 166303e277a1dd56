package dev.redisgen.explain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.redisgen.explain.Explanation.ClientSettings;
import dev.redisgen.explain.Explanation.Deployment;
import dev.redisgen.explain.Explanation.PasswordEnv;
import dev.redisgen.pipeline.Pipeline;
import dev.redisgen.plan.RedisPlan;
import dev.redisgen.profile.ProfileLoader;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
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
