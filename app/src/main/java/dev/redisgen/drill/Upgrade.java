package dev.redisgen.drill;

import dev.redisgen.drill.Topology.Group;
import dev.redisgen.drill.Topology.PodTemplate;
import dev.redisgen.drill.Topology.VolumeSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Scenario upgrade's rules: which pair of outputs it can roll between, which template a pod takes, and
 * whether the running Redis and Sentinel processes (or Redis Cluster nodes) run the settings the target output renders.
 */
final class Upgrade {
    /** The redis.conf settings compared with CONFIG GET after a roll (those the profile decides). */
    static final List<String> REDIS_SETTINGS = List.of("maxmemory", "maxmemory-policy", "min-replicas-to-write",
            "min-replicas-max-lag", "appendonly", "appendfsync", "save", "repl-backlog-size", "maxclients", "timeout",
            "tcp-keepalive", "slowlog-log-slower-than", "cluster-node-timeout", "cluster-require-full-coverage",
            "cluster-allow-reads-when-down", "cluster-replica-validity-factor", "cluster-migration-barrier");
    /** The settings of SENTINEL MASTER compared after a roll. */
    static final List<String> SENTINEL_SETTINGS = List.of("quorum", "down-after-milliseconds", "failover-timeout", "parallel-syncs");

    private Upgrade() {
    }

    /**
     * Why the drill cannot roll FROM into TO as Kubernetes would, or null. A Sentinel deployment's StatefulSets may change
     * their number of pods (added and removed as the StatefulSet controller does, see SentinelFaults.RollingUpgrade); a Redis Cluster's
     * shape may not (scenario scale, and `redisgen drain` to shrink).
     */
    static String unsupported(Topology from, Topology to) {
        for (Topology.ClusterGroup f : from.clusters()) {
            Topology.ClusterGroup t = to.clusters().stream().filter(g -> g.name().equals(f.name())).findFirst().orElse(null);
            if (t == null) {
                return "it has no Redis Cluster deployment " + f.name();
            }
            if (f.shards() != t.shards() || f.replicasPerShard() != t.replicasPerShard()) {
                return f.name() + ": " + f.shards() + " x " + f.replicasPerShard() + " nodes in one and " + t.shards() + " x "
                       + t.replicasPerShard() + " in the other: a scale (`redisgen drain` to shrink), not a roll";
            }
            if (f.port() != t.port()) {
                return f.name() + ": another port (a migration, not a roll)";
            }
        }
        for (Group f : from.groups()) {
            Group t = to.groups().stream().filter(g -> g.name().equals(f.name())).findFirst().orElse(null);
            if (t == null) {
                return "it has no Sentinel deployment " + f.name();
            }
            if (f.colocated() != t.colocated()) {
                return f.name() + ": Sentinels co-located in one and separate in the other (a migration, not a roll)";
            }
            // Redis and Sentinel pods may be added or removed (the StatefulSets scale as they roll); the proxy's may not.
            if ((f.proxy() == null) != (t.proxy() == null) || f.proxy() != null && f.proxy().replicas() != t.proxy().replicas()) {
                return f.name() + ": a write endpoint added or removed, or another number of proxy pods; the drill scales the"
                       + " StatefulSets, not the proxy Deployment";
            }
            if (!f.masterName().equals(t.masterName()) || f.redisPort() != t.redisPort() || f.sentinelPort() != t.sentinelPort()) {
                return f.name() + ": another master name or port (a migration, not a roll)";
            }
        }
        return null;
    }

    /** The template pod P of this lab takes from group TO. */
    static PodTemplate templateOf(Lab lab, Lab.Pod p, Group to) {
        if (lab.redisPods.contains(p)) {
            return to.redis();
        }
        if (lab.sentinelPods.contains(p)) {
            return to.sentinels();
        }
        return to.proxy();
    }

    /** What differs between the running processes and what TO renders, one line per difference (empty: none). */
    static List<String> mismatches(Lab lab, Group to, Resp.Login redisPassword, Resp.Login sentinelPassword) {
        List<String> off = redisMismatches(lab.redisPods, to.redis(), to.redisPort(), redisPassword);
        String sentinelConf = file(to.sentinels(), "sentinel.conf");
        int stagger = to.sentinels().container("sentinel-start.sh")
                .flatMap(c -> c.literal("SENTINEL_STAGGER_MILLISECONDS")).map(Integer::parseInt).orElse(250);
        for (Lab.Pod s : lab.sentinelPods) {
            Object r = Resp.once(s.ip, to.sentinelPort(), sentinelPassword, 1000, "SENTINEL", "master", to.masterName());
            Map<String, String> have = r instanceof List<?> l ? Resp.fields(l) : Map.of();
            Map<String, String> rendered = sentinelSettings(sentinelConf, to.masterName());
            // Sentinel N runs with the rendered down-after + N x the stagger (sentinel-start.sh).
            rendered.computeIfPresent("down-after-milliseconds", (k, v) -> Long.toString(Long.parseLong(v) + (long) s.ordinal * stagger));
            // ...and the pods that exist: after a scale the Sentinels count the replicas and Sentinels there are now, not
            // gone ones (a gone Sentinel still counts in the majority a failover needs; a gone replica stays s_down).
            rendered.put("num-slaves", Integer.toString(lab.redisPods.size() - 1));
            rendered.put("num-other-sentinels", Integer.toString(lab.sentinelPods.size() - 1));
            for (Map.Entry<String, String> w : rendered.entrySet()) {
                if (!w.getValue().equals(have.get(w.getKey()))) {
                    off.add(String.format(Locale.ROOT, "Sentinel %s %s is %s, rendered %s", s.name, w.getKey(), have.get(w.getKey()),
                            w.getValue()));
                }
            }
        }
        return off;
    }

    /** What differs between the running redis-servers of PODS (CONFIG GET) and REDIS_SETTINGS of the redis.conf REDIS mounts. */
    static List<String> redisMismatches(List<Lab.Pod> pods, PodTemplate redis, int port, Resp.Login login) {
        List<String> off = new ArrayList<>();
        Map<String, String> want = redisSettings(file(redis, "redis.conf"));
        for (Lab.Pod p : pods) {
            for (Map.Entry<String, String> w : want.entrySet()) {
                Object r = Resp.once(p.ip, port, login, 1000, "CONFIG", "GET", w.getKey());
                String have = r instanceof List<?> l && l.size() == 2 ? String.valueOf(l.get(1)) : null;
                if (!Objects.equals(normalize(w.getKey(), have), normalize(w.getKey(), w.getValue()))) {
                    off.add(String.format(Locale.ROOT, "%s %s is %s, rendered %s", p.name, w.getKey(), have, w.getValue()));
                }
            }
        }
        return off;
    }

    static String file(PodTemplate t, String name) {
        return t.volumes().stream().filter(v -> v.kind() == VolumeSource.Kind.CONFIG_MAP && v.files().containsKey(name))
                .map(v -> v.files().get(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + name + " mounted in " + t.statefulSet()));
    }

    /** REDIS_SETTINGS as redis.conf sets them (save lines joined as CONFIG GET joins them). */
    static Map<String, String> redisSettings(String conf) {
        Map<String, String> m = new LinkedHashMap<>();
        List<String> saves = new ArrayList<>();
        for (String line : conf.split("\n")) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            String[] kv = t.split("\\s+", 2);
            String key = kv[0].toLowerCase(Locale.ROOT);
            String value = kv.length > 1 ? unquote(kv[1]) : "";
            if (key.equals("save")) {
                if (!value.isEmpty()) {
                    saves.add(value);
                }
                m.put("save", "");
            } else if (REDIS_SETTINGS.contains(key)) {
                m.put(key, value);
            }
        }
        if (m.containsKey("save")) {
            m.put("save", String.join(" ", saves));
        }
        return m;
    }

    /** SENTINEL_SETTINGS of MASTER as sentinel.conf sets them (quorum: the monitor line's last word). */
    static Map<String, String> sentinelSettings(String conf, String master) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : conf.split("\n")) {
            String[] w = line.strip().split("\\s+");
            if (w.length >= 4 && w[0].equals("sentinel") && w[2].equals(master)) {
                if (w[1].equals("monitor") && w.length >= 6) {
                    m.put("quorum", w[5]);
                } else if (SENTINEL_SETTINGS.contains(w[1])) {
                    m.put(w[1], w[3]);
                }
            }
        }
        return m;
    }

    private static String unquote(String v) {
        String t = v.strip();
        return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t;
    }

    /** Memory settings in bytes, as Redis parses them (k = 1000, kb = 1024, ...); the rest as they are. */
    static String normalize(String key, String value) {
        if (value == null || !(key.equals("maxmemory") || key.equals("repl-backlog-size"))) {
            return value;
        }
        String v = value.strip().toLowerCase(Locale.ROOT);
        long mul = 1;
        String[][] units = {{"gb", "1073741824"}, {"mb", "1048576"}, {"kb", "1024"}, {"g", "1000000000"}, {"m", "1000000"},
            {"k", "1000"}, {"b", "1"}};
        for (String[] u : units) {
            if (v.endsWith(u[0])) {
                mul = Long.parseLong(u[1]);
                v = v.substring(0, v.length() - u[0].length());
                break;
            }
        }
        try {
            return Long.toString(Long.parseLong(v.strip()) * mul);
        } catch (NumberFormatException e) {
            return value;
        }
    }
}
