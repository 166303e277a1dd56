package dev.redisgen.render;

import dev.redisgen.conf.AclUsers;
import dev.redisgen.conf.HaproxyConf;
import dev.redisgen.conf.HaproxySpec;
import dev.redisgen.conf.MonitoringAssets;
import dev.redisgen.conf.RedisConf;
import dev.redisgen.conf.RedisConfSpec;
import dev.redisgen.conf.Scripts;
import dev.redisgen.conf.SentinelConf;
import dev.redisgen.conf.SentinelConfSpec;
import dev.redisgen.plan.Names;
import dev.redisgen.plan.Planner;
import dev.redisgen.plan.RedisPlan;
import dev.redisgen.profile.Aof;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * ConfigMaps: redis.conf and sentinel.conf (read-only; the start scripts copy them into writable volumes),
 * the pod scripts byte for byte as they are in the source tree, the proxy's haproxy.cfg, the dashboard.
 * No password is ever written here: the scripts add it at start from the Secret's env (SPEC "Auth").
 */
final class ConfigMapRenderer {
    private ConfigMapRenderer() {
    }

    static List<HasMetadata> render(RedisPlan d, String namespace) {
        List<HasMetadata> out = new ArrayList<>();
        Map<String, String> config = new TreeMap<>();
        config.put("redis.conf", RedisConf.render(redisConf(d)));
        if (d.sentinel() != null) {
            config.put("sentinel.conf", SentinelConf.render(sentinelConf(d)));
        }
        if (d.aclUsers() != null) {
            // The users and their rules, password placeholders only (AclUsers): the start scripts hash the passwords in.
            config.put("users.acl", AclUsers.render(aclUsers(d)));
        }
        out.add(configMap(d, namespace, d.names().config(), "config", config));

        Map<String, String> scripts = new TreeMap<>();
        for (String name : Scripts.names()) {
            scripts.put(name, Scripts.load(name));
        }
        out.add(configMap(d, namespace, d.names().scripts(), "scripts", scripts));

        if (d.proxy() != null) {
            Map<String, String> proxy = new TreeMap<>(Map.of("haproxy.cfg", HaproxyConf.render(haproxy(d, namespace))));
            if (d.tls() != null) {
                // The loop that reloads HAProxy (SIGUSR2, seamless) when Kubernetes swaps in a renewed certificate.
                proxy.put(HaproxyConf.RELOAD_SCRIPT, HaproxyConf.reloadScript());
            }
            out.add(configMap(d, namespace, d.names().proxyConfig(), "proxy", proxy));
        }
        if (d.exporter() != null && d.monitoring().dashboard()) {
            String title = "Redis " + d.name() + " (" + namespace + ")";
            String json = MonitoringAssets.dashboard(title, MonitoringAssets.dashboardUid(namespace + "/" + d.name()));
            var cm = new ConfigMapBuilder(configMap(d, namespace, d.names().dashboard(), "dashboard", Map.of(d.name() + ".json", json)))
                    // The Grafana sidecar imports ConfigMaps with this label (kube-prometheus-stack default).
                    .editMetadata().addToLabels("grafana_dashboard", "1").endMetadata()
                    .build();
            out.add(cm);
        }
        return out;
    }

    static RedisConfSpec redisConf(RedisPlan d) {
        var p = d.persistence();
        List<String> save = p == null ? List.of() : p.rdb();
        String fsync = p == null || p.aof() == Aof.OFF ? null : p.aof().name().toLowerCase(Locale.ROOT);
        var r = d.redis();
        RedisConfSpec.Replication replication = d.isSentinel() ? new RedisConfSpec.Replication(r.minReplicasToWrite(),
                Planner.minReplicasMaxLagSeconds(d.sentinel().downAfterMilliseconds()))
                : d.isCluster() && d.cluster().replicasPerShard() > 0 ? new RedisConfSpec.Replication(r.minReplicasToWrite(),
                Planner.minReplicasMaxLagSeconds(d.cluster().nodeTimeoutMilliseconds())) : null;
        // cluster-require-full-coverage no: with one shard down the other shards keep serving their slots.
        RedisConfSpec.Cluster cluster = d.isCluster() ? new RedisConfSpec.Cluster(d.cluster().nodeTimeoutMilliseconds(), false) : null;
        return new RedisConfSpec(Planner.REDIS_PORT, save, fsync, r.maxmemory(), r.maxmemoryPolicy(), r.ioThreads(), r.lazyfreeLazyEviction(),
                r.maxclients(), r.slowlogMicros(), r.tcpKeepalive(), replication, cluster, tlsAuthClients(d),
                d.tls() == null ? 0 : d.tls().plainPort());
    }

    static AclUsers.Spec aclUsers(RedisPlan d) {
        var u = d.aclUsers();
        return new AclUsers.Spec(u.application(), d.purpose().name().toLowerCase(Locale.ROOT), u.allowCommands(), d.isSentinel(), d.isCluster(),
                d.backup() != null);
    }

    static SentinelConfSpec sentinelConf(RedisPlan d) {
        var s = d.sentinel();
        return new SentinelConfSpec(Planner.SENTINEL_PORT, s.masterName(), Planner.REDIS_PORT, s.sentinels(), s.quorum(),
                s.downAfterMilliseconds(), s.failoverTimeoutMilliseconds(), s.parallelSyncs(), s.hostnames(), tlsAuthClients(d));
    }

    static HaproxySpec haproxy(RedisPlan d, String namespace) {
        Names n = d.names();
        List<String> redis = new ArrayList<>();
        for (int i = 0; i < d.redisReplicas(); i++) {
            redis.add(Names.fqdn(n.podName(i), n.headless(), namespace, d.clusterDomain()));
        }
        List<String> sentinels = new ArrayList<>();
        for (int i = 0; i < d.sentinel().sentinels(); i++) {
            sentinels.add(d.sentinel().separate() ? Names.fqdn(n.sentinelPodName(i), n.sentinelHeadless(), namespace, d.clusterDomain())
                    : Names.fqdn(n.podName(i), n.headless(), namespace, d.clusterDomain()));
        }
        boolean redisAuth = d.auth() != null;
        boolean sentinelAuth = d.auth() != null && d.auth().sentinelPasswordKey() != null;
        return new HaproxySpec(d.sentinel().masterName(), redis, Planner.REDIS_PORT, sentinels, Planner.SENTINEL_PORT, d.sentinel().quorum(),
                Planner.REDIS_PORT, Planner.PROXY_READ_PORT, 0, redisAuth, d.aclUsers() != null, sentinelAuth, 1000,
                tlsAuthClients(d), keepsPlain(d) ? Planner.PROXY_PLAIN_WRITE_PORT : 0, keepsPlain(d) ? Planner.PROXY_PLAIN_READ_PORT : 0);
    }

    /** tls.plainPort kept: the proxy binds plain text too. */
    static boolean keepsPlain(RedisPlan d) {
        return d.tls() != null && d.tls().keepsPlainText();
    }

    /** tls-auth-clients, or null without TLS. */
    private static String tlsAuthClients(RedisPlan d) {
        return d.tls() == null ? null : d.tls().authClients().redisName();
    }

    private static io.fabric8.kubernetes.api.model.ConfigMap configMap(RedisPlan d, String namespace, String name, String component, Map<String, String> data) {
        return new ConfigMapBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).withLabels(Labels.of(d, component)).endMetadata()
                .withData(new TreeMap<>(data))
                .build();
    }
}
