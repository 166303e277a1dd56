package dev.redisgen.diff;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One Redis deployment as its objects show it (the objects carry {@code app.kubernetes.io/instance}): its
 * workloads, its redis.conf and sentinel.conf, and the settings a profile change moves, by name. Read from the
 * rendered objects of either side, so the previous output needs no profile.
 *
 * @param settings setting name to value, in a fixed order (see {@link #read})
 */
record Shape(String instance, String topology, Manifest redis, Manifest sentinels, Manifest proxy,
             Map<String, String> redisConf, Map<String, String> sentinelConf, Map<String, String> settings) {

    static final String REDIS_PODS = "Redis pods";
    static final String SENTINELS = "Sentinels";
    static final String QUORUM = "quorum";
    static final String DOWN_AFTER = "down-after-milliseconds";
    static final String FAILOVER_TIMEOUT = "failover-timeout";
    static final String PARALLEL_SYNCS = "parallel-syncs";
    static final String SHARDS = "shards";
    static final String REPLICAS_PER_SHARD = "replicas per shard";
    static final String EXPORTER = "exporter";
    static final String PROXY_PODS = "proxy pods";
    static final String ACL_USERS = "ACL users";
    static final String REDIS_CONF = "redis.conf ";
    static final String SENTINEL_CONF = "sentinel.conf ";
    static final String IMAGE = "image ";
    static final String RESOURCES = "resources ";
    static final String DISK = "disk ";
    static final String STORAGE_CLASS = "storage class ";

    /** The sentinel.conf settings a Sentinel keeps in the file on its volume (rewritten by Sentinel itself). */
    static final List<String> SENTINEL_KEPT = List.of(QUORUM, DOWN_AFTER, FAILOVER_TIMEOUT, PARALLEL_SYNCS);

    int sentinelCount() {
        return number(settings.get(SENTINELS));
    }

    int redisPods() {
        return number(settings.get(REDIS_PODS));
    }

    static int number(String value) {
        try {
            return value == null ? 0 : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The deployment named {@code instance} among {@code objects}, or null when it has no Redis workload there. */
    static Shape read(String instance, List<Manifest> objects) {
        Manifest redis = null;
        Manifest sentinels = null;
        Manifest proxy = null;
        Manifest config = null;
        for (Manifest m : objects) {
            if (!instance.equals(m.label("instance"))) {
                continue;
            }
            String component = m.label("component");
            if (m.isWorkload() && "redis".equals(component)) {
                redis = m;
            } else if (m.isWorkload() && "sentinel".equals(component)) {
                sentinels = m;
            } else if (m.isWorkload() && "proxy".equals(component)) {
                proxy = m;
            } else if (m.kind().equals("ConfigMap") && "config".equals(component)) {
                config = m;
            }
        }
        if (redis == null) {
            return null;
        }
        Map<String, String> redisConf = config == null ? Map.of() : conf(config.tree().path("data").path("redis.conf").asText(""));
        Map<String, String> sentinelConf = config == null ? Map.of() : conf(config.tree().path("data").path("sentinel.conf").asText(""));
        boolean cluster = ApplyRules.isCluster(redis);
        String topology = cluster ? "cluster" : sentinelConf.isEmpty() ? "standalone" : "sentinel";
        Map<String, String> s = new LinkedHashMap<>();
        s.put(REDIS_PODS, Integer.toString(ApplyRules.replicas(redis)));
        if (topology.equals("sentinel")) {
            boolean coLocated = sentinels == null;
            s.put(SENTINELS, Integer.toString(ApplyRules.replicas(coLocated ? redis : sentinels)));
            String monitor = sentinelConf.getOrDefault("sentinel monitor", "");
            String[] words = monitor.split(" ");
            s.put(QUORUM, words.length >= 4 ? words[words.length - 1] : "");
            for (String key : List.of(DOWN_AFTER, FAILOVER_TIMEOUT, PARALLEL_SYNCS)) {
                String line = sentinelConf.getOrDefault("sentinel " + key, "");
                s.put(key, line.isEmpty() ? "" : line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        if (cluster) {
            JsonNode env = redis.template().path("spec").path("containers").path(0).path("env");
            s.put(SHARDS, Trees.named(env, "SHARDS").path("value").asText(""));
            s.put(REPLICAS_PER_SHARD, Trees.named(env, "REPLICAS_PER_SHARD").path("value").asText(""));
        }
        boolean exporter = false;
        for (Manifest w : new Manifest[] {redis, sentinels, proxy}) {
            if (w == null) {
                continue;
            }
            for (String list : List.of("initContainers", "containers")) {
                for (JsonNode c : w.template().path("spec").path(list)) {
                    String where = w.name() + "/" + c.path("name").asText();
                    exporter |= c.path("name").asText().endsWith("exporter");
                    s.put(IMAGE + where, c.path("image").asText(""));
                    s.put(RESOURCES + where, resources(c.path("resources")));
                }
            }
            for (JsonNode claim : w.tree().path("spec").path("volumeClaimTemplates")) {
                String where = w.name() + "/" + claim.path("metadata").path("name").asText();
                s.put(DISK + where, claim.path("spec").path("resources").path("requests").path("storage").asText(""));
                s.put(STORAGE_CLASS + where, claim.path("spec").path("storageClassName").asText("(default)"));
            }
        }
        s.put(EXPORTER, exporter ? "on" : "off");
        // ACL users (auth.users): the pods log in as named users (REDIS_USER), the default user is off.
        boolean acl = false;
        for (JsonNode c : redis.template().path("spec").path("containers")) {
            acl |= !Trees.named(c.path("env"), "REDIS_USER").isMissingNode();
        }
        s.put(ACL_USERS, acl ? "on" : "off");
        if (proxy != null) {
            s.put(PROXY_PODS, Integer.toString(ApplyRules.replicas(proxy)));
        }
        for (Manifest m : objects) {
            if (instance.equals(m.label("instance")) && m.kind().equals("PersistentVolumeClaim")) {
                s.put(DISK + m.name(), m.tree().path("spec").path("resources").path("requests").path("storage").asText(""));
            }
        }
        redisConf.forEach((k, v) -> s.put(REDIS_CONF + k, v));
        sentinelConf.forEach((k, v) -> {
            if (!k.equals("sentinel monitor") && !SENTINEL_KEPT.contains(k.replaceFirst("^sentinel ", ""))) {
                s.put(SENTINEL_CONF + k, v);
            }
        });
        return new Shape(instance, topology, redis, sentinels, proxy, redisConf, sentinelConf, s);
    }

    /**
     * A redis.conf or sentinel.conf as key to line: the key is the first word ({@code sentinel} and the next word for
     * Sentinel's own directives), comments and blank lines left out, a repeated key's lines joined.
     */
    static Map<String, String> conf(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] words = line.split("\\s+");
            String key = words[0].equals("sentinel") && words.length > 1 ? "sentinel " + words[1] : words[0];
            String value = key.startsWith("sentinel ") ? line.substring(key.length()).strip()
                    : line.substring(words[0].length()).strip();
            out.merge(key, value, (a, b) -> a + "; " + b);
        }
        return out;
    }

    /** "requests cpu 100m, memory 128Mi; limits cpu 500m, memory 512Mi" (every resource, in the manifest's order). */
    static String resources(JsonNode resources) {
        StringBuilder out = new StringBuilder();
        for (String kind : List.of("requests", "limits")) {
            JsonNode amounts = resources.path(kind);
            if (amounts.isEmpty()) {
                continue;
            }
            out.append(out.length() == 0 ? "" : "; ").append(kind);
            String separator = " ";
            for (var it = amounts.fields(); it.hasNext(); ) {
                var e = it.next();
                out.append(separator).append(e.getKey()).append(' ').append(e.getValue().asText());
                separator = ", ";
            }
        }
        return out.toString();
    }
}
