package dev.redisgen.explain;

import dev.redisgen.explain.Clients.Ep;
import dev.redisgen.explain.Clients.Facts;
import dev.redisgen.explain.Explanation.ClientSettings;
import dev.redisgen.explain.Explanation.Snippet;
import java.util.ArrayList;
import java.util.List;

/**
 * One method per client library: its connection settings for the three topologies, as the library's own
 * documentation prescribes, with the rendered names and the passwords read from the environment.
 */
final class Snippets {
    private Snippets() {
    }

    // ------------------------------------------------------------------ redis-cli

    static ClientSettings redisCli(Facts f) {
        List<Snippet> parts = new ArrayList<>();
        // With TLS every redis-cli speaks it and checks the server against the deployment's CA.
        String cli = f.d().tls() == null ? "redis-cli" : "redis-cli --tls --cacert " + CA_FILE;
        String auth = (f.redisPassword() == null ? "" : "REDISCLI_AUTH=\"$" + f.redisPassword() + "\" ") + cli;
        switch (f.d().topology()) {
            case SENTINEL -> {
                String sentinelAuth = f.sentinelPassword() == null ? "" : "REDISCLI_AUTH=\"$" + f.sentinelPassword() + "\" ";
                String ask = sentinelAuth + cli + " -h " + f.sentinel().host() + " -p " + f.sentinel().port()
                        + " SENTINEL get-master-addr-by-name " + f.master();
                parts.add(new Snippet("which pod is the master (the Sentinels answer its host, then its port)", "sh", ask + "\n"));
                parts.add(new Snippet("a session on the master, found through the Sentinels", "sh",
                        "set -- $(" + ask + ")\n" + auth + " -h \"$1\" -p \"$2\"\n"));
                if (f.proxy()) {
                    parts.add(new Snippet("a session through the write endpoint (HAProxy: the master only)", "sh",
                            auth + " -h " + f.write().host() + " -p " + f.write().port() + "\n"));
                }
                if (f.readOnly() != null) {
                    parts.add(new Snippet("a session on a replica (reads may lag)", "sh",
                            auth + " -h " + f.readOnly().host() + " -p " + f.readOnly().port() + "\n"));
                }
            }
            case CLUSTER -> {
                parts.add(new Snippet("a session that follows the cluster's redirects (-c)", "sh",
                        auth + " -c -h " + f.write().host() + " -p " + f.write().port() + "\n"));
                parts.add(new Snippet("the cluster's health (cluster_state:ok, 16384 slots assigned)", "sh",
                        auth + " -h " + f.write().host() + " -p " + f.write().port() + " CLUSTER INFO\n"));
            }
            case STANDALONE -> parts.add(new Snippet("a session", "sh", auth + " -h " + f.write().host() + " -p " + f.write().port() + "\n"));
        }
        List<String> notes = new ArrayList<>();
        if (f.redisPassword() != null) {
            notes.add("REDISCLI_AUTH keeps the password off the command line (ps) and out of the shell history");
        }
        tlsNote(f, notes, "--tls --cacert " + CA_FILE + " (redis-cli 6+); add --cert/--key with a client certificate the CA signed"
                + " where authClients is yes");
        return new ClientSettings("redis-cli", "redis-cli", true, parts, notes);
    }

    // ------------------------------------------------------------------ redis-py

    static ClientSettings redisPy(Facts f) {
        Code c = new Code();
        if (f.redisPassword() != null || f.sentinelPassword() != null) {
            c.line("import os").line("");
        }
        boolean tls = f.d().tls() != null;
        // ssl_ca_certs: the server's certificate is checked against the deployment's CA (redis-py checks no host name by default).
        String ssl = tls ? ", ssl=True, ssl_ca_certs=\"" + CA_FILE + "\"" : "";
        String password = (f.redisPassword() == null ? "" : ", password=" + py(f.redisPassword())) + ssl;
        List<String> notes = new ArrayList<>();
        switch (f.d().topology()) {
            case SENTINEL -> {
                c.line("from redis.sentinel import Sentinel").line("")
                 .line("sentinel = Sentinel(")
                 .line("    [(\"" + f.sentinel().host() + "\", " + f.sentinel().port() + ")],");
                if (f.sentinelPassword() != null || tls) {
                    c.line("    sentinel_kwargs={" + (f.sentinelPassword() == null ? "" : "\"password\": " + py(f.sentinelPassword()) + ", ")
                            + (tls ? "\"ssl\": True, \"ssl_ca_certs\": \"" + CA_FILE + "\", " : "") + "\"socket_timeout\": 5},");
                }
                c.line("    socket_timeout=5,")
                 .line(")")
                 .line("r = sentinel.master_for(\"" + f.master() + "\"" + password + ")  # writes and reads; follows a failover")
                 .line("replica = sentinel.slave_for(\"" + f.master() + "\"" + password + ")  # reads that may lag");
                if (f.sentinelPassword() != null) {
                    notes.add("sentinel_kwargs is what reaches the Sentinels: the Sentinel password goes there, Redis's to master_for");
                }
            }
            case CLUSTER -> c.line("from redis.cluster import RedisCluster").line("")
                    .line("r = RedisCluster(host=\"" + f.write().host() + "\", port=" + f.write().port() + password + ", socket_timeout=5)");
            case STANDALONE -> c.line("import redis").line("")
                    .line("r = redis.Redis(host=\"" + f.write().host() + "\", port=" + f.write().port() + password + ", socket_timeout=5)");
        }
        tlsNote(f, notes, "ssl=True and ssl_ca_certs for Redis" + (f.d().isSentinel() ? " and, in sentinel_kwargs, for the Sentinels" : ""));
        String title = switch (f.d().topology()) {
            case SENTINEL -> "redis-py (Sentinel)";
            case CLUSTER -> "redis-py (Cluster, redis-py 4.1+)";
            case STANDALONE -> "redis-py";
        };
        return new ClientSettings("redis-py", title, true, List.of(new Snippet("Python", "python", c.toString())), notes);
    }

    // ------------------------------------------------------------------ Django

    static ClientSettings django(Facts f) {
        if (f.d().isCluster()) {
            return unavailable("django", "Django cache", "neither django-redis nor Django's own RedisCache follows Redis Cluster's"
                    + " redirects (MOVED); give Django's cache a Sentinel or standalone deployment");
        }
        List<String> notes = new ArrayList<>();
        List<Snippet> parts = new ArrayList<>();
        Code c = new Code();
        if (f.redisPassword() != null) {
            c.line("import os").line("");
        }
        if (f.d().isSentinel()) {
            c.line("DJANGO_REDIS_CONNECTION_FACTORY = \"django_redis.pool.SentinelConnectionFactory\"").line("");
        }
        c.line("CACHES = {")
         .line("    \"default\": {")
         .line("        \"BACKEND\": \"django_redis.cache.RedisCache\",");
        if (f.d().isSentinel()) {
            c.line("        # the host part of LOCATION is the Sentinel master name; database " + Clients.CACHE_DB
                    + " keeps the cache apart from Celery's " + Clients.BROKER_DB + " and " + Clients.RESULTS_DB)
             .line("        \"LOCATION\": \"redis://" + f.master() + "/" + Clients.CACHE_DB + "\",")
             .line("        \"OPTIONS\": {")
             .line("            \"CLIENT_CLASS\": \"django_redis.client.SentinelClient\",")
             .line("            \"SENTINELS\": [(\"" + f.sentinel().host() + "\", " + f.sentinel().port() + ")],");
            if (f.sentinelPassword() != null) {
                c.line("            \"SENTINEL_KWARGS\": {\"password\": " + py(f.sentinelPassword()) + ", \"socket_timeout\": 5},");
            }
        } else {
            c.line("        # database " + Clients.CACHE_DB + " keeps the cache apart from Celery's " + Clients.BROKER_DB + " and " + Clients.RESULTS_DB)
             .line("        \"LOCATION\": \"redis://" + f.write().hostPort() + "/" + Clients.CACHE_DB + "\",")
             .line("        \"OPTIONS\": {");
        }
        if (f.redisPassword() != null) {
            c.line("            \"PASSWORD\": " + py(f.redisPassword()) + ",");
        }
        c.line("            \"SOCKET_TIMEOUT\": 5,")
         .line("        },")
         .line("    },")
         .line("}");
        parts.add(new Snippet("settings.py with django-redis 5+" + (f.d().isSentinel() ? " (asks the Sentinels)" : ""), "python", c.toString()));
        if (f.d().isSentinel()) {
            notes.add("SentinelClient writes to the master and reads from a replica: a read right after a write can miss it for a moment");
        }
        if (!f.d().isSentinel() || f.proxy()) {
            Ep ep = f.write();
            Code b = new Code();
            if (f.redisPassword() != null) {
                b.line("import os").line("");
            }
            if (f.d().isSentinel()) {
                b.line("# Django's own backend cannot ask Sentinel for the master: it uses the write endpoint, which HAProxy keeps on the master");
            }
            b.line("CACHES = {")
             .line("    \"default\": {")
             .line("        \"BACKEND\": \"django.core.cache.backends.redis.RedisCache\",")
             .line("        \"LOCATION\": \"redis://" + ep.hostPort() + "/" + Clients.CACHE_DB + "\",");
            if (f.redisPassword() != null) {
                b.line("        \"OPTIONS\": {\"password\": " + py(f.redisPassword()) + "},");
            }
            b.line("    },").line("}");
            parts.add(new Snippet("settings.py with Django's built-in RedisCache (Django 4.0+)", "python", b.toString()));
        } else {
            notes.add("Django's built-in RedisCache cannot ask Sentinel for the master, and this deployment has no write endpoint"
                    + " (writeEndpoint.enabled: false): use django-redis");
        }
        if (!Clients.evicts(f.d())) {
            notes.add("this Redis does not evict (maxmemory-policy " + f.d().redis().maxmemoryPolicy() + "): keep the cache's TIMEOUT"
                    + " finite (Django's default is 300 s), never None, or cache keys fill the memory");
        }
        tlsNote(f, notes, "LOCATION rediss:// and \"CONNECTION_POOL_KWARGS\": {\"ssl_ca_certs\": \"" + CA_FILE + "\"} in OPTIONS"
                + (f.d().isSentinel() ? ", \"ssl\": True and \"ssl_ca_certs\" in SENTINEL_KWARGS" : ""));
        return new ClientSettings("django", "Django cache", true, parts, notes);
    }

    // ------------------------------------------------------------------ Celery

    static ClientSettings celery(Facts f) {
        if (f.d().isCluster()) {
            return unavailable("celery", "Celery broker and result backend", "kombu has no Redis Cluster transport and Celery's"
                    + " Redis result backend does not follow redirects; give Celery a Sentinel or standalone deployment");
        }
        List<String> notes = new ArrayList<>();
        Code c = new Code().line("# celeryconfig.py (Celery 5, kombu 5)");
        if (f.redisPassword() != null) {
            c.line("import os").line("from urllib.parse import quote").line("")
             .line("_password = quote(" + py(f.redisPassword()) + ", safe=\"\")  # a password may hold @ : /");
        }
        String userinfo = f.redisPassword() == null ? "" : ":{_password}@";
        String fmt = f.redisPassword() == null ? "" : "f";
        if (f.d().isSentinel()) {
            String base = "sentinel://" + userinfo + f.sentinel().hostPort();
            c.line("broker_url = " + fmt + "\"" + base + "/" + Clients.BROKER_DB + "\"");
            transportOptions(c, "broker_transport_options", f);
            c.line("result_backend = " + fmt + "\"" + base + "/" + Clients.RESULTS_DB + "\"");
            transportOptions(c, "result_backend_transport_options", f);
            notes.add("the password in the URL is Redis's (kombu and Celery use it for the master); "
                    + (f.sentinelPassword() != null ? "sentinel_kwargs carries the Sentinel's own" : "the Sentinels have no password"));
        } else {
            String base = "redis://" + userinfo + f.write().hostPort();
            c.line("broker_url = " + fmt + "\"" + base + "/" + Clients.BROKER_DB + "\"")
             .line("result_backend = " + fmt + "\"" + base + "/" + Clients.RESULTS_DB + "\"");
            if (f.d().persistence() == null) {
                notes.add("no persistence: a restart of the single pod loses every queued task");
            }
        }
        notes.add("a task not acknowledged within the broker's visibility_timeout (default 1 hour) is delivered again: raise it"
                + " above the longest ETA or countdown you use");
        tlsNote(f, notes, (f.d().isSentinel() ? "broker_use_ssl and redis_backend_use_ssl = {\"ssl_cert_reqs\": ssl.CERT_REQUIRED,"
                + " \"ssl_ca_certs\": \"" + CA_FILE + "\"}, and \"ssl\": True with \"ssl_ca_certs\" in sentinel_kwargs"
                : "rediss:// URLs and broker_use_ssl and redis_backend_use_ssl = {\"ssl_cert_reqs\": ssl.CERT_REQUIRED, \"ssl_ca_certs\": \""
                + CA_FILE + "\"}"));
        return new ClientSettings("celery", "Celery broker and result backend", true,
                List.of(new Snippet("celeryconfig.py", "python", c.toString())), notes);
    }

    private static void transportOptions(Code c, String name, Facts f) {
        c.line(name + " = {").line("    \"master_name\": \"" + f.master() + "\",");
        if (f.sentinelPassword() != null) {
            c.line("    \"sentinel_kwargs\": {\"password\": " + py(f.sentinelPassword()) + "},");
        }
        c.line("}");
    }

    // ------------------------------------------------------------------ Airflow

    static ClientSettings airflow(Facts f) {
        if (f.d().isCluster()) {
            return unavailable("airflow", "Airflow CeleryExecutor broker", "Airflow's CeleryExecutor uses kombu, which has no Redis"
                    + " Cluster transport; give the broker a Sentinel or standalone deployment");
        }
        List<String> notes = new ArrayList<>();
        Code y = new Code().line("# env of every Airflow container that talks to Celery (scheduler, workers, triggerer, webserver, flower)");
        y.line("env:");
        if (f.redisPassword() != null) {
            secretEnv(y, f.redisPassword(), f.d().auth().secretName(), f.d().auth().passwordKey());
        }
        if (f.sentinelPassword() != null) {
            secretEnv(y, f.sentinelPassword(), f.d().auth().secretName(), f.d().auth().sentinelPasswordKey());
        }
        String userinfo = f.redisPassword() == null ? "" : ":$(" + f.redisPassword() + ")@";
        if (f.d().isSentinel()) {
            y.line("  - name: AIRFLOW__CELERY__BROKER_URL")
             .line("    value: \"sentinel://" + userinfo + f.sentinel().hostPort() + "/" + Clients.BROKER_DB + "\"")
             .line("  - name: AIRFLOW__CELERY_BROKER_TRANSPORT_OPTIONS__MASTER_NAME")
             .line("    value: \"" + f.master() + "\"");
            if (f.sentinelPassword() != null) {
                y.line("  - name: AIRFLOW__CELERY_BROKER_TRANSPORT_OPTIONS__SENTINEL_KWARGS")
                 .line("    value: '{\"password\": \"$(" + f.sentinelPassword() + ")\"}'");
                notes.add("Airflow 2.6+ (the Celery provider) reads sentinel_kwargs as JSON; older versions cannot give the Sentinels a password");
            }
        } else {
            y.line("  - name: AIRFLOW__CELERY__BROKER_URL")
             .line("    value: \"redis://" + userinfo + f.write().hostPort() + "/" + Clients.BROKER_DB + "\"");
        }
        if (f.redisPassword() != null) {
            notes.add("Kubernetes expands $(VAR) from the variables listed above it, so the password lands in a URL"
                    + (f.sentinelPassword() != null ? " and in JSON" : "") + " unescaped: make it URL-safe (the openssl rand -hex 32 of the"
                    + " kubectl line is)");
        }
        notes.add("the result backend stays Airflow's metadata database (its default; leave AIRFLOW__CELERY__RESULT_BACKEND unset)");
        tlsNote(f, notes, "AIRFLOW__CELERY__SSL_ACTIVE=True and AIRFLOW__CELERY__SSL_CACERT=" + CA_FILE
                + (f.d().isSentinel() ? ", and ssl with ssl_ca_certs in the sentinel_kwargs JSON" : ""));
        return new ClientSettings("airflow", "Airflow CeleryExecutor broker", true,
                List.of(new Snippet("container env (Kubernetes)", "yaml", y.toString())), notes);
    }

    private static void secretEnv(Code y, String env, String secret, String key) {
        y.line("  - name: " + env)
         .line("    valueFrom:")
         .line("      secretKeyRef: {name: " + secret + ", key: " + key + "}");
    }

    // ------------------------------------------------------------------ go-redis

    static ClientSettings goRedis(Facts f) {
        Code c = new Code().line("import (");
        if (f.redisPassword() != null) {
            c.line("\t\"os\"").line("");
        }
        c.line("\t\"github.com/redis/go-redis/v9\"").line(")").line("");
        List<String[]> fields = new ArrayList<>();
        String title;
        switch (f.d().topology()) {
            case SENTINEL -> {
                title = "go-redis v9 (FailoverClient)";
                c.line("// NewFailoverClient asks the Sentinels for the master and follows it across failovers.");
                fields.add(new String[] {"MasterName", "\"" + f.master() + "\""});
                fields.add(new String[] {"SentinelAddrs", "[]string{\"" + f.sentinel().hostPort() + "\"}"});
                if (f.sentinelPassword() != null) {
                    fields.add(new String[] {"SentinelPassword", "os.Getenv(\"" + f.sentinelPassword() + "\")"});
                }
                addPassword(fields, f);
                goLiteral(c, "rdb := redis.NewFailoverClient(&redis.FailoverOptions{", fields);
            }
            case CLUSTER -> {
                title = "go-redis v9 (ClusterClient)";
                c.line("// NewClusterClient learns every node from this one and follows MOVED/ASK redirects.");
                fields.add(new String[] {"Addrs", "[]string{\"" + f.write().hostPort() + "\"}"});
                addPassword(fields, f);
                goLiteral(c, "rdb := redis.NewClusterClient(&redis.ClusterOptions{", fields);
            }
            default -> {
                title = "go-redis v9";
                fields.add(new String[] {"Addr", "\"" + f.write().hostPort() + "\""});
                addPassword(fields, f);
                goLiteral(c, "rdb := redis.NewClient(&redis.Options{", fields);
            }
        }
        List<String> notes = new ArrayList<>();
        tlsNote(f, notes, "TLSConfig: &tls.Config{RootCAs: pool} with pool := x509.NewCertPool() and pool.AppendCertsFromPEM of " + CA_FILE
                + (f.d().isSentinel() ? " (FailoverOptions uses it for the Sentinels too)" : ""));
        return new ClientSettings("go-redis", title, true, List.of(new Snippet("Go", "go", c.toString())), notes);
    }

    private static void addPassword(List<String[]> fields, Facts f) {
        if (f.redisPassword() != null) {
            fields.add(new String[] {"Password", "os.Getenv(\"" + f.redisPassword() + "\")"});
        }
    }

    /** A composite literal laid out as gofmt lays it out: values aligned one space after the longest key. */
    private static void goLiteral(Code c, String open, List<String[]> fields) {
        int width = fields.stream().mapToInt(kv -> kv[0].length()).max().orElse(0);
        c.line(open);
        for (String[] kv : fields) {
            c.line("\t" + kv[0] + ":" + " ".repeat(width - kv[0].length() + 1) + kv[1] + ",");
        }
        c.line("})");
    }

    // ------------------------------------------------------------------ Lettuce

    static ClientSettings lettuce(Facts f) {
        Code c = new Code();
        String password = f.redisPassword() == null ? "" : ".withPassword(System.getenv(\"" + f.redisPassword() + "\"))";
        switch (f.d().topology()) {
            case SENTINEL -> {
                c.line("import io.lettuce.core.RedisClient;")
                 .line("import io.lettuce.core.RedisURI;")
                 .line("import io.lettuce.core.api.StatefulRedisConnection;")
                 .line("")
                 .line("// the Sentinels name the master; Lettuce asks them again when it reconnects after a failover")
                 .line("RedisURI uri = RedisURI.Builder.sentinel(\"" + f.sentinel().host() + "\", " + f.sentinel().port() + ", \""
                         + f.master() + "\"" + (f.sentinelPassword() == null ? "" : ", System.getenv(\"" + f.sentinelPassword() + "\")") + ")");
                if (!password.isEmpty()) {
                    c.line("        " + password);
                }
                c.line("        .build();")
                 .line("RedisClient client = RedisClient.create(uri);")
                 .line("StatefulRedisConnection<String, String> connection = client.connect();");
            }
            case CLUSTER -> c.line("import io.lettuce.core.RedisURI;")
                    .line("import io.lettuce.core.cluster.ClusterClientOptions;")
                    .line("import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;")
                    .line("import io.lettuce.core.cluster.RedisClusterClient;")
                    .line("import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;")
                    .line("import java.time.Duration;")
                    .line("")
                    .line("RedisURI uri = RedisURI.Builder.redis(\"" + f.write().host() + "\", " + f.write().port() + ")"
                            + (password.isEmpty() ? "" : "\n        " + password))
                    .line("        .build();")
                    .line("RedisClusterClient client = RedisClusterClient.create(uri);")
                    .line("// learn the new master of a shard on the first redirect after a failover, and every 30 s")
                    .line("client.setOptions(ClusterClientOptions.builder()")
                    .line("        .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()")
                    .line("                .enableAllAdaptiveRefreshTriggers()")
                    .line("                .enablePeriodicRefresh(Duration.ofSeconds(30))")
                    .line("                .build())")
                    .line("        .build());")
                    .line("StatefulRedisClusterConnection<String, String> connection = client.connect();");
            case STANDALONE -> c.line("import io.lettuce.core.RedisClient;")
                    .line("import io.lettuce.core.RedisURI;")
                    .line("import io.lettuce.core.api.StatefulRedisConnection;")
                    .line("")
                    .line("RedisURI uri = RedisURI.Builder.redis(\"" + f.write().host() + "\", " + f.write().port() + ")"
                            + (password.isEmpty() ? "" : "\n        " + password))
                    .line("        .build();")
                    .line("RedisClient client = RedisClient.create(uri);")
                    .line("StatefulRedisConnection<String, String> connection = client.connect();");
        }
        String title = switch (f.d().topology()) {
            case SENTINEL -> "Lettuce 6 (Sentinel)";
            case CLUSTER -> "Lettuce 6 (RedisClusterClient)";
            case STANDALONE -> "Lettuce 6";
        };
        List<String> notes = new ArrayList<>();
        tlsNote(f, notes, ".withSsl(true) on the RedisURI (and on each Sentinel's) and ClientOptions.builder().sslOptions(SslOptions.builder()"
                + ".trustManager(new File(\"" + CA_FILE + "\")).build())");
        return new ClientSettings("lettuce", title, true, List.of(new Snippet("Java", "java", c.toString())), notes);
    }

    // ------------------------------------------------------------------ Jedis

    static ClientSettings jedis(Facts f) {
        Code c = new Code();
        List<String> imports = new ArrayList<>();
        imports.add("redis.clients.jedis.DefaultJedisClientConfig");
        imports.add("redis.clients.jedis.HostAndPort");
        imports.add("redis.clients.jedis.JedisClientConfig");
        String title;
        switch (f.d().topology()) {
            case SENTINEL -> {
                imports.add("redis.clients.jedis.Jedis");
                imports.add("redis.clients.jedis.JedisSentinelPool");
                imports.add("java.util.Set");
                title = "Jedis 4+ (JedisSentinelPool)";
            }
            case CLUSTER -> {
                imports.add("redis.clients.jedis.JedisCluster");
                imports.add("java.util.Set");
                title = "Jedis 4+ (JedisCluster)";
            }
            default -> {
                imports.add("redis.clients.jedis.JedisPooled");
                title = "Jedis 4+";
            }
        }
        imports.stream().sorted().forEach(i -> c.line("import " + i + ";"));
        c.line("");
        jedisConfig(c, "redisConfig", f.redisPassword());
        switch (f.d().topology()) {
            case SENTINEL -> {
                jedisConfig(c, "sentinelConfig", f.sentinelPassword());
                c.line("// the pool asks the Sentinels for the master and moves to the new one on +switch-master")
                 .line("JedisSentinelPool pool = new JedisSentinelPool(\"" + f.master() + "\",")
                 .line("        Set.of(new HostAndPort(\"" + f.sentinel().host() + "\", " + f.sentinel().port() + ")), redisConfig, sentinelConfig);")
                 .line("try (Jedis jedis = pool.getResource()) {")
                 .line("    jedis.ping();")
                 .line("}");
            }
            case CLUSTER -> c.line("JedisCluster cluster = new JedisCluster(")
                    .line("        Set.of(new HostAndPort(\"" + f.write().host() + "\", " + f.write().port() + ")), redisConfig);");
            default -> c.line("JedisPooled jedis = new JedisPooled(new HostAndPort(\"" + f.write().host() + "\", " + f.write().port()
                    + "), redisConfig);");
        }
        List<String> notes = new ArrayList<>();
        tlsNote(f, notes, ".ssl(true) and .sslSocketFactory(...) from an SSLContext that trusts " + CA_FILE + " on each JedisClientConfig");
        return new ClientSettings("jedis", title, true, List.of(new Snippet("Java", "java", c.toString())), notes);
    }

    private static void jedisConfig(Code c, String name, String passwordEnv) {
        if (passwordEnv == null) {
            c.line("JedisClientConfig " + name + " = DefaultJedisClientConfig.builder().build();");
        } else {
            c.line("JedisClientConfig " + name + " = DefaultJedisClientConfig.builder()")
             .line("        .password(System.getenv(\"" + passwordEnv + "\"))")
             .line("        .build();");
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Where the snippets expect the deployment's CA certificate (ca.crt of its TLS Secret, copied next to the client). */
    static final String CA_FILE = "ca.crt";

    /** With TLS: what this client needs, and where the CA comes from. */
    private static void tlsNote(Facts f, List<String> notes, String how) {
        if (f.d().tls() == null) {
            return;
        }
        int plain = f.d().tls().plainPort();
        String port = plain == 0 ? "TLS only (the plain-text port is closed): "
                : "TLS on " + dev.redisgen.plan.Planner.REDIS_PORT + "; plain text stays open on port " + plain + " of the Redis pods and their"
                  + " Services (the write endpoint's too) while clients move (tls.plainPort; not through the Sentinels, which name the"
                  + " TLS port): ";
        notes.add(port + how + "; " + CA_FILE + " is the CA of Secret " + f.d().tls().secretName()
                + " (kubectl -n " + f.namespace() + " get secret " + f.d().tls().secretName() + " -o jsonpath='{.data.ca\\.crt}' | base64 -d > "
                + CA_FILE + ")");
    }

    /** A library that cannot use this topology: no settings, and why. */
    private static ClientSettings unavailable(String client, String title, String why) {
        return new ClientSettings(client, title, false, List.of(), List.of("not available: " + why));
    }

    /** A Python expression reading an environment variable (a KeyError names the variable if it is unset). */
    static String py(String env) {
        return "os.environ[\"" + env + "\"]";
    }

    /** Lines of code, each ended with "\n". */
    static final class Code {
        private final StringBuilder text = new StringBuilder();

        Code line(String line) {
            text.append(line).append('\n');
            return this;
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }
}
