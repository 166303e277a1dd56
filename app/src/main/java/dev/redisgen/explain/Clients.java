package dev.redisgen.explain;

import dev.redisgen.explain.Explanation.ClientSettings;
import dev.redisgen.explain.Explanation.Connection;
import dev.redisgen.explain.Explanation.Endpoint;
import dev.redisgen.explain.Explanation.PasswordEnv;
import dev.redisgen.explain.Explanation.Snippet;
import dev.redisgen.plan.Names;
import dev.redisgen.plan.Plan;
import dev.redisgen.plan.RedisPlan;
import dev.redisgen.profile.Client;
import dev.redisgen.profile.Purpose;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Connection settings for the clients a deployment names: the rendered Services' DNS names and ports, the
 * Sentinel master name, and the passwords as environment variables filled from the Secret (a snippet never
 * holds a password). Each snippet is what the library's own documentation prescribes for the topology:
 * Sentinel-aware clients ask the Sentinels, cluster clients follow redirects, everything else uses the
 * write endpoint that reaches only the master.
 */
final class Clients {
    /** Redis database numbers, fixed so that clients sharing one Redis (seed 001: Django and Celery) never share keys. */
    static final int BROKER_DB = 0;
    static final int RESULTS_DB = 1;
    static final int CACHE_DB = 2;

    private Clients() {
    }

    /** A host and port of a rendered Service. */
    record Ep(String host, int port) {
        String hostPort() {
            return host + ":" + port;
        }
    }

    /**
     * What every snippet of one deployment needs.
     *
     * @param sentinel the Sentinel Service (Sentinel topology), else null
     * @param write    the write endpoint (HAProxy) or, for cluster and standalone, the client Service; null when absent
     * @param readOnly the replicas-only Service, or null
     * @param redisPassword    env var of the Redis password, or null without AUTH
     * @param sentinelPassword env var of the Sentinel password, or null when Sentinel has none
     */
    record Facts(RedisPlan d, String namespace, Ep sentinel, Ep write, Ep readOnly, String redisPassword, String sentinelPassword,
                 String masterPodHost) {
        String master() {
            return d.sentinel().masterName();
        }

        boolean proxy() {
            return d.isSentinel() && write != null;
        }
    }

    static Connection connection(Plan plan, RedisPlan d, List<HasMetadata> own, String domain) {
        String ns = plan.namespace().name();
        Ep sentinel = null;
        Ep write = null;
        Ep readOnly = null;
        for (HasMetadata o : own) {
            if (!(o instanceof Service s) || "None".equals(s.getSpec().getClusterIP())) {
                continue;
            }
            String host = Manifests.serviceDns(s.getMetadata().getName(), ns, domain);
            switch (String.valueOf(Manifests.label(s, Manifests.COMPONENT))) {
                case "sentinel" -> sentinel = new Ep(host, Manifests.servicePort(s, "sentinel"));
                case "write", "client" -> write = new Ep(host, Manifests.servicePort(s, "redis"));
                case "read-only" -> readOnly = new Ep(host, Manifests.servicePort(s, "redis"));
                default -> {
                }
            }
        }
        String prefix = envPrefix(plan, d);
        String redisPassword = d.auth() == null ? null : prefix + "_PASSWORD";
        String sentinelPassword = d.auth() == null || d.auth().sentinelPasswordKey() == null || d.sentinel() == null ? null
                : prefix + "_SENTINEL_PASSWORD";
        String masterPod = d.isSentinel() ? Names.fqdn(d.names().podName(0), d.names().headless(), ns, d.clusterDomain()) : null;
        Facts f = new Facts(d, ns, sentinel, write, readOnly, redisPassword, sentinelPassword, masterPod);

        List<Endpoint> endpoints = new ArrayList<>();
        if (sentinel != null) {
            endpoints.add(new Endpoint("Sentinel", sentinel.host(), sentinel.port(), "Sentinel-aware clients: ask for master " + f.master()
                    + "; the answer is a pod's stable name such as " + masterPod + ":" + dev.redisgen.plan.Planner.REDIS_PORT));
        }
        if (write != null) {
            endpoints.add(switch (d.topology()) {
                case SENTINEL -> new Endpoint("write", write.host(), write.port(),
                        "HAProxy, reaches only the current master: for clients without Sentinel support");
                case CLUSTER -> new Endpoint("cluster", write.host(), write.port(),
                        "any node, for the first contact; a cluster-aware client then talks to every node");
                case STANDALONE -> new Endpoint("redis", write.host(), write.port(), "the single Redis pod");
            });
        }
        if (readOnly != null) {
            endpoints.add(new Endpoint("read-only", readOnly.host(), readOnly.port(), "HAProxy, reaches only replicas: reads that may lag"));
        }
        List<PasswordEnv> passwords = new ArrayList<>();
        if (redisPassword != null) {
            passwords.add(new PasswordEnv(redisPassword, d.auth().secretName(), d.auth().passwordKey(), "the Redis password"));
        }
        if (sentinelPassword != null) {
            passwords.add(new PasswordEnv(sentinelPassword, d.auth().secretName(), d.auth().sentinelPasswordKey(), "the Sentinel password"));
        }
        List<String> notes = new ArrayList<>();
        if (!passwords.isEmpty()) {
            notes.add("give the client's container these variables from the Secret (env snippet below); a Secret is read only in its own "
                    + "namespace, so a client in another namespace needs a copy of Secret " + d.auth().secretName() + " there");
        } else {
            notes.add("no AUTH: the snippets carry no password; anything that reaches the Services can read and write");
        }
        if (d.networkPolicy() != null) {
            notes.add("the NetworkPolicy admits only clients that " + Prerequisites.admitted(d.networkPolicy()));
        }
        if (d.isSentinel() && write == null) {
            notes.add("no write endpoint (writeEndpoint.enabled: false): every client must be Sentinel-aware");
        }
        List<ClientSettings> clients = new ArrayList<>();
        for (Client c : named(d)) {
            clients.add(settings(c, f));
        }
        Snippet env = passwords.isEmpty() ? null
                : new Snippet("the client container's env from the Secret, read by the snippets below", "yaml", envYaml(passwords));
        return new Connection(endpoints, passwords, env, notes, clients);
    }

    /**
     * The prefix of the password variables: REDIS for a profile of one deployment ({@code REDIS_PASSWORD},
     * {@code REDIS_SENTINEL_PASSWORD}), else the deployment's name, so that an application using two
     * deployments (gateway-ha) gets a variable per Secret.
     */
    static String envPrefix(Plan plan, RedisPlan d) {
        return plan.deployments().size() == 1 ? "REDIS" : d.name().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    }

    /** The clients the profile names, in its order; redis-cli and redis-py when it names none. */
    static List<Client> named(RedisPlan d) {
        LinkedHashSet<Client> set = new LinkedHashSet<>(d.clients());
        if (set.isEmpty()) {
            set.add(Client.REDIS_CLI);
            set.add(Client.REDIS_PY);
        }
        return List.copyOf(set);
    }

    static String envYaml(List<PasswordEnv> passwords) {
        StringBuilder y = new StringBuilder("env:\n");
        for (PasswordEnv p : passwords) {
            y.append("  - name: ").append(p.env()).append('\n')
             .append("    valueFrom:\n")
             .append("      secretKeyRef: {name: ").append(p.secret()).append(", key: ").append(p.key()).append("}\n");
        }
        return y.toString();
    }

    private static ClientSettings settings(Client c, Facts f) {
        return switch (c) {
            case REDIS_CLI -> Snippets.redisCli(f);
            case REDIS_PY -> Snippets.redisPy(f);
            case DJANGO -> Snippets.django(f);
            case CELERY -> Snippets.celery(f);
            case AIRFLOW -> Snippets.airflow(f);
            case GO_REDIS -> Snippets.goRedis(f);
            case LETTUCE -> Snippets.lettuce(f);
            case JEDIS -> Snippets.jedis(f);
        };
    }

    static boolean evicts(RedisPlan d) {
        return d.purpose() == Purpose.CACHE && !"noeviction".equals(d.redis().maxmemoryPolicy());
    }
}
