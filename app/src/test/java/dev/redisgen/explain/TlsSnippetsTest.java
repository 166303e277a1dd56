package dev.redisgen.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisgen.explain.Explanation.ClientSettings;
import dev.redisgen.explain.Explanation.Deployment;
import dev.redisgen.explain.Explanation.Snippet;
import dev.redisgen.pipeline.Pipeline;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * With {@code tls} every client snippet connects with TLS: each redis-cli call carries {@code --tls --cacert ca.crt}, redis-py
 * passes {@code ssl=True} and the CA (to the Sentinels too), and every supported client says what it needs and where the CA
 * comes from; without TLS none of that appears.
 */
class TlsSnippetsTest {
    static final String TLS = "app/src/test/resources/profiles/valid/tls.yaml";

    static List<Deployment> deployments(String profile) {
        Pipeline.Result result = Pipeline.render(profile);
        return Explainer.explain(result.plan(), result.objects(), result.source().displayName(), null).deployments();
    }

    @Test
    void everySnippetOfATlsDeploymentSpeaksTls() {
        List<Deployment> all = deployments(TLS);
        assertThat(all).hasSize(2);
        for (Deployment d : all) {
            for (ClientSettings c : d.connection().clients()) {
                if (!c.supported()) {
                    continue;
                }
                assertThat(c.notes()).as(d.name() + " " + c.client()).anySatisfy(n -> assertThat(n).startsWith("TLS only (the plain-text port is closed)")
                        .contains("get secret " + (d.name().equals("redis") ? "context-cache-tls" : "redis-gateway-tls")));
                for (Snippet s : c.snippets()) {
                    if (c.client().equals("redis-cli")) {
                        long calls = s.code().split("redis-cli", -1).length - 1;
                        assertThat(s.code().split("redis-cli --tls --cacert ca.crt ", -1).length - 1).as(s.code()).isEqualTo(calls);
                    }
                    if (c.client().equals("redis-py")) {
                        assertThat(s.code()).contains("ssl=True, ssl_ca_certs=\"ca.crt\"");
                        if (d.topology().equals("sentinel")) {
                            assertThat(s.code()).contains("\"ssl\": True, \"ssl_ca_certs\": \"ca.crt\"");
                        }
                    }
                }
            }
        }
    }

    /** A kept plain-text port (tls.plainPort) is named, with where it is reachable; "plain-text port is closed" would be false. */
    @Test
    void aKeptPlainPortIsNamedInsteadOfClosed(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        String yaml = java.nio.file.Files.readString(java.nio.file.Path.of(TLS));
        String kept = "tls: {secretName: context-cache-tls, authClients: \"yes\", plainPort: 6380}";
        assertThat(yaml).contains("tls: {secretName: context-cache-tls, authClients: \"yes\"}");
        java.nio.file.Path profile = dir.resolve("tls-plain.yaml");
        java.nio.file.Files.writeString(profile, yaml.replace("tls: {secretName: context-cache-tls, authClients: \"yes\"}", kept));
        for (Deployment d : deployments(profile.toString())) {
            for (ClientSettings c : d.connection().clients()) {
                if (!c.supported()) {
                    continue;
                }
                if (d.name().equals("redis")) {
                    assertThat(c.notes()).as(c.client()).noneMatch(n -> n.contains("plain-text port is closed"))
                            .anySatisfy(n -> assertThat(n).startsWith("TLS on 6379; plain text stays open on port 6380 of the Redis pods"));
                } else {
                    assertThat(c.notes()).as(c.client()).anySatisfy(n -> assertThat(n).startsWith("TLS only (the plain-text port is closed)"));
                }
            }
        }
    }

    @Test
    void plainTextDeploymentsSayNothingOfTls() {
        for (Deployment d : deployments("gateway-ha")) {
            for (ClientSettings c : d.connection().clients()) {
                assertThat(c.notes()).noneMatch(n -> n.startsWith("TLS only"));
                c.snippets().forEach(s -> assertThat(s.code()).doesNotContain("--tls", "ssl_ca_certs"));
            }
        }
    }
}
