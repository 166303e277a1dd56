package dev.redisgen.diff;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What each changed setting of a Redis deployment means for its availability, in one line: the setting, how it
 * reaches the running processes, and whether the roll keeps the deployment highly available. Derived from the
 * deployment's shape after the change (pods, Sentinels, quorum, shards) and from which of its workloads restart
 * their pods, in which order.
 */
final class Verdicts {
    static final String SAFE = "safe";
    static final String CAUTION = "caution";
    static final String UNSAFE = "unsafe";
    static final String REFUSED = "refused";

    /** How a setting reaches the running processes. */
    static final String EFFECT_ROLLOUT = "rollout";
    static final String EFFECT_RESTART = "restart";
    static final String EFFECT_RUNTIME = "runtime";
    static final String EFFECT_PROCEDURE = "procedure";

    private static final Pattern VERSION = Pattern.compile(":(\\d+)(?:\\.(\\d+))?");

    private Verdicts() {
    }

    /**
     * One changed setting of a deployment.
     *
     * @param effect   rollout (a new pod template rolls the pods), restart (read at every start; the config checksum
     *                 rolls the pods), runtime (Sentinel keeps it in the sentinel.conf on its volume; applied when the
     *                 Sentinel restarts), procedure (needs the steps printed with the object)
     * @param verdict  safe, caution, unsafe (cannot be applied as is without losing data or availability), refused
     *                 (the API server refuses it)
     * @param line     the whole verdict for people, one line
     */
    record SettingChange(String deployment, String setting, String before, String after, String effect, String verdict,
                         String reason, String line) {
    }

    /**
     * @param rollouts  object id to its rollout, for every workload that changed
     * @param refused   ids of the objects whose update the API server refuses
     */
    static List<SettingChange> of(Shape before, Shape after, Map<String, Rollouts.Rollout> rollouts, Set<String> refused) {
        List<SettingChange> out = new ArrayList<>();
        Set<String> keys = new LinkedHashSet<>(before.settings().keySet());
        keys.addAll(after.settings().keySet());
        String roll = roll(after, rollouts).brief();
        // One line per image move, naming every container that makes it ("image a→b (redis/init, redis/redis)").
        Map<String, List<String>> images = new LinkedHashMap<>();
        for (String key : keys) {
            String a = before.settings().getOrDefault(key, NONE);
            String b = after.settings().getOrDefault(key, NONE);
            if (a.equals(b) || key.equals(Shape.REDIS_PODS) && after.topology().equals("cluster")) {
                // A cluster's pod count follows from shards and replicas per shard, which say it better.
                continue;
            }
            if ((key.startsWith(Shape.IMAGE) || key.startsWith(Shape.RESOURCES)) && (a.equals(NONE) || b.equals(NONE))) {
                // A container added or removed (the exporter on or off): the object's fields list it.
                continue;
            }
            if (key.startsWith(Shape.IMAGE)) {
                images.computeIfAbsent(a + "\n" + b, k -> new ArrayList<>()).add(key.substring(Shape.IMAGE.length()));
                continue;
            }
            out.add(change(key, key, label(key, a, b, after), a, b, before, after, refused, roll));
        }
        for (Map.Entry<String, List<String>> image : images.entrySet()) {
            String[] ab = image.getKey().split("\n");
            out.add(change(Shape.IMAGE + image.getValue().get(0), "image",
                    "image " + ab[0] + "→" + ab[1] + " (" + String.join(", ", image.getValue()) + ")", ab[0], ab[1], before, after, refused, roll));
        }
        return out;
    }

    private static final String NONE = "(none)";

    private static SettingChange change(String key, String setting, String label, String a, String b, Shape before, Shape after,
            Set<String> refused, String roll) {
        Judgement j = judge(key, a, b, before, after, refused);
        return new SettingChange(after.instance(), setting, a, b, j.effect, j.verdict, j.reason, label
                + ": " + j.verdict + (j.reason.isEmpty() ? "" : " (" + j.reason + ")") + (j.verdict.equals(REFUSED) ? "" : "; " + roll));
    }

    private record Judgement(String verdict, String effect, String reason) {
    }

    private static String label(String key, String a, String b, Shape after) {
        String change = key + " " + a + "→" + b;
        if (key.equals(Shape.QUORUM)) {
            return change + " with " + after.sentinelCount() + " Sentinels";
        }
        return change;
    }

    private static Judgement judge(String key, String a, String b, Shape before, Shape after, Set<String> refused) {
        int s = after.sentinelCount();
        Judgement tls = tls(key, a, b, after);
        if (tls != null) {
            return tls;
        }
        if (key.equals(Shape.QUORUM)) {
            int q = Shape.number(b);
            if (q <= s / 2 || q > s) {
                return new Judgement(UNSAFE, EFFECT_RUNTIME, "quorum must be above " + s + "/2 and at most " + s);
            }
            if (q == s) {
                return new Judgement(CAUTION, EFFECT_RUNTIME, "every Sentinel must see the master down: while one is away, as during "
                        + "this roll, no failover can start; applied when each Sentinel restarts");
            }
            return new Judgement(SAFE, EFFECT_RUNTIME, "applied when each Sentinel restarts");
        }
        if (key.equals(Shape.DOWN_AFTER)) {
            int downAfter = Shape.number(b);
            int oldLag = Shape.number(before.redisConf().getOrDefault("min-replicas-max-lag", "0"));
            if (oldLag > 0 && oldLag * 1000 >= downAfter) {
                return new Judgement(CAUTION, EFFECT_RUNTIME, "until each Redis pod has restarted it keeps min-replicas-max-lag "
                        + oldLag + " s, not below the new down-after " + downAfter + " ms: an isolated master could take writes "
                        + "after the Sentinels promote another; applied when each Sentinel restarts");
            }
            return new Judgement(SAFE, EFFECT_RUNTIME, "applied when each Sentinel restarts; Sentinels not yet restarted keep " + a + " ms");
        }
        if (key.equals(Shape.FAILOVER_TIMEOUT) || key.equals(Shape.PARALLEL_SYNCS)) {
            return new Judgement(SAFE, EFFECT_RUNTIME, "applied when each Sentinel restarts");
        }
        if (key.startsWith(Shape.SENTINEL_CONF)) {
            return new Judgement(SAFE, EFFECT_RUNTIME, "applied when each Sentinel restarts");
        }
        if (key.equals(Shape.SENTINELS) || key.equals(Shape.REDIS_PODS) && after.topology().equals("sentinel") && after.sentinels() == null) {
            if (Shape.number(b) < Shape.number(a)) {
                return new Judgement(CAUTION, EFFECT_ROLLOUT, "the highest ordinals go, a master among them handing over first; the "
                        + "remaining Sentinels forget them (each restarts in the roll and drops the removed pods from its kept state; one "
                        + "that learnt one again while it terminated sends itself SENTINEL RESET " + masterName(after) + " once it is gone, "
                        + "one Sentinel at a time: sentinel-notify.sh), else they would count them in the majority a failover needs; "
                        + "the removed pods go while the others roll, so a master among them may hand over to a pod deleted a moment "
                        + "later, whose preStop waits for that failover to end, writes flowing, and hands over again (redisgen drill, "
                        + "gateway-ha 5 to 3 pods: longest write gap 1.2 to 1.6 s in 3 rounds)");
            }
            if (key.equals(Shape.REDIS_PODS)) {
                return new Judgement(SAFE, EFFECT_ROLLOUT, "the new pods start as replicas, each with a full sync from the master, "
                        + "and their Sentinels join the others");
            }
            return new Judgement(SAFE, EFFECT_ROLLOUT, "the new Sentinels find the others through the master");
        }
        if (key.equals(Shape.REDIS_PODS) && !after.topology().equals("cluster")) {
            if (Shape.number(b) < Shape.number(a)) {
                return new Judgement(CAUTION, EFFECT_ROLLOUT, "the highest ordinals go; a master among them hands over first");
            }
            return new Judgement(SAFE, EFFECT_ROLLOUT, "the new pods start as replicas, each with a full sync from the master");
        }
        if (key.equals(Shape.SHARDS) || key.equals(Shape.REPLICAS_PER_SHARD)) {
            return cluster(key, a, b, after);
        }
        if (key.startsWith(Shape.IMAGE)) {
            int[] va = version(a);
            int[] vb = version(b);
            if (key.endsWith("/redis") && va != null && vb != null && (vb[0] < va[0] || vb[0] == va[0] && vb[1] < va[1])) {
                return new Judgement(UNSAFE, EFFECT_ROLLOUT, "a downgrade: the replicas roll first and cannot load the RDB the master "
                        + "on the newer Redis sends them");
            }
            return new Judgement(SAFE, EFFECT_ROLLOUT, "");
        }
        if (key.startsWith(Shape.RESOURCES)) {
            if (memoryLimit(b) != null && memoryLimit(a) != null && memoryLimit(b).compareTo(memoryLimit(a)) < 0) {
                return new Judgement(CAUTION, EFFECT_ROLLOUT, "a lower memory limit: a pod that uses more is OOM-killed");
            }
            return new Judgement(SAFE, EFFECT_ROLLOUT, "");
        }
        if (key.startsWith(Shape.DISK) || key.startsWith(Shape.STORAGE_CLASS)) {
            String object = key.startsWith(Shape.DISK) ? key.substring(Shape.DISK.length()) : key.substring(Shape.STORAGE_CLASS.length());
            String workload = object.contains("/") ? object.substring(0, object.indexOf('/')) : object;
            boolean isRefused = refused.stream().anyMatch(id -> id.endsWith("/" + workload)
                    && (id.startsWith("StatefulSet/") || id.startsWith("PersistentVolumeClaim/")));
            if (isRefused) {
                return new Judgement(REFUSED, EFFECT_PROCEDURE, "the API server refuses it as is; see the procedure under the object");
            }
            return new Judgement(CAUTION, EFFECT_PROCEDURE, "grows in place only where the StorageClass allows volume expansion");
        }
        if (key.equals(Shape.REDIS_CONF + "maxmemory")) {
            if (bytes(b) != null && bytes(a) != null && bytes(b) < bytes(a)) {
                return new Judgement(CAUTION, EFFECT_RESTART, "a pod holding more data after its restart evicts keys or, with noeviction, "
                        + "refuses writes");
            }
            return new Judgement(SAFE, EFFECT_RESTART, "redis.conf is read at every start");
        }
        if (key.startsWith(Shape.REDIS_CONF)) {
            return new Judgement(SAFE, EFFECT_RESTART, "redis.conf is read at every start");
        }
        return new Judgement(SAFE, EFFECT_ROLLOUT, "");
    }

    /**
     * TLS switched on or off (tls-port appears or goes), and the plain-text port closing: null for any other key. No pod
     * speaks both ways to its peers, so the roll cannot go one pod at a time, and clients on the closed port are cut off.
     */
    private static Judgement tls(String key, String a, String b, Shape after) {
        boolean cluster = after.topology().equals("cluster");
        String pods = "kubectl -n " + after.redis().namespace() + " delete pod -l app.kubernetes.io/instance=" + after.instance();
        boolean standalone = !cluster && !after.topology().equals("sentinel");
        if (standalone && (key.equals(Shape.ACL_USERS) || key.equals(Shape.REDIS_CONF + "tls-port") && a.equals(NONE) != b.equals(NONE))) {
            return new Judgement(CAUTION, EFFECT_RESTART, "the pod restarts on it; its clients must follow ("
                    + (key.equals(Shape.ACL_USERS) ? (b.equals("on") ? "AUTH as the application user" : "AUTH with the password alone")
                       : (a.equals(NONE) ? "TLS" : "plain text"))
                    + ")");
        }
        if (key.equals(Shape.REDIS_CONF + "tls-port") && a.equals(NONE) != b.equals(NONE)) {
            boolean on = a.equals(NONE);
            String peers = cluster ? "replicates and gossips on the cluster bus" : "replicates and reaches the Sentinels";
            return new Judgement(UNSAFE, EFFECT_PROCEDURE, "TLS " + (on ? "on" : "off") + ": the pods cannot roll one at a time, a pod "
                    + "restarted " + (on ? "with" : "without") + " TLS " + peers + " in a way the pods not rolled yet do not speak, so it "
                    + "never becomes Ready and the roll stops at the first pod; apply, then restart every pod of the deployment at once ("
                    + pods + "): they come back together on the new setting, as after a reboot, and nothing is served until they have"
                    + (on ? "; clients on plain text must move first or keep a plain port with tls.plainPort"
                          : "; TLS clients must move back to plain text (rediss:// to redis://)"));
        }
        if (key.equals(Shape.ACL_USERS)) {
            boolean on = b.equals("on");
            return new Judgement(UNSAFE, EFFECT_PROCEDURE, "ACL users " + (on ? "on" : "off") + ": the pods cannot roll one at a time, "
                    + (on ? "a restarted pod replicates and its Sentinel logs in as users the pods not rolled yet do not have, and "
                            + "they log in to it as the default user, which it turns off"
                          : "a restarted pod logs in with the one password as the default user, which the pods not rolled yet turn "
                            + "off, and they log in to it as users it does not have")
                    + ", so it never becomes Ready and the roll stops at the first pod; apply, then restart every pod of the deployment "
                    + "at once (" + pods + "): they come back together, as after a reboot, and nothing is served until they have; "
                    + (on ? "clients must log in as the application user (AUTH app PASSWORD, the same password)"
                          : "clients must log in with the password alone again (AUTH PASSWORD)"));
        }
        boolean port = key.equals(Shape.REDIS_CONF + "port") || key.equals(Shape.SENTINEL_CONF + "port");
        if (port && b.equals("0") && !a.equals("0")) {
            String who = key.startsWith(Shape.SENTINEL_CONF)
                    ? "every Sentinel-aware client still on plain text is cut off from the Sentinels (they keep no plain port: such "
                      + "clients must speak TLS)"
                    : "every client still on plain text (redis://) on port " + a + " is cut off; tls: {plainPort: 6380} keeps plain text "
                      + "on a second port while clients move (they change only the port), remove it once the last one moved";
            return new Judgement(UNSAFE, EFFECT_RESTART, "the plain-text port closes: " + who);
        }
        if (port && !a.equals("0") && !b.equals("0") && !a.equals(NONE) && !b.equals(NONE)
            && after.redisConf().containsKey("tls-port") && key.startsWith(Shape.REDIS_CONF)) {
            return new Judgement(CAUTION, EFFECT_RESTART, "plain-text clients move from port " + a + " to port " + b
                    + " (tls.plainPort); TLS stays on port " + after.redisConf().get("tls-port"));
        }
        return null;
    }

    private static Judgement cluster(String key, String a, String b, Shape after) {
        boolean fewer = Shape.number(b) < Shape.number(a);
        String ns = after.redis().namespace();
        String sts = after.redis().name();
        if (key.equals(Shape.SHARDS) && fewer) {
            // Applied directly, the StatefulSet would drop the highest ordinals with their slots: the drain Job first.
            int keep = Shape.number(b) * (1 + Math.max(0, Shape.number(after.settings().getOrDefault(Shape.REPLICAS_PER_SHARD, "1"))));
            return new Judgement(UNSAFE, EFFECT_PROCEDURE, "the StatefulSet removes pods " + sts + "-" + keep + " and up with every slot "
                    + "and key their masters hold; drain them first, with the old output still applied: redisgen drain with the "
                    + "profile and options of this diff | kubectl create -f -, then kubectl -n " + ns + " wait --for=condition=complete job -l "
                    + "app.kubernetes.io/component=drain-cluster,app.kubernetes.io/instance=" + after.instance() + " --timeout=1h "
                    + "(README \"Scaling a Redis Cluster\"); then apply this output (the healers forget the removed nodes 60 s after "
                    + "they are gone)");
        }
        if (key.equals(Shape.SHARDS)) {
            return new Judgement(CAUTION, EFFECT_PROCEDURE, "the new pods start empty; the creation Job of the new spec (a new name) "
                    + "makes them the new shards' masters and replicas and moves an even share of the slots to them (redis-cli --cluster "
                    + "rebalance: keys move with MIGRATE, clients follow ASK and MOVED; a load on every master while it runs); wait for "
                    + "it with kubectl -n " + ns + " wait --for=condition=complete job -l app.kubernetes.io/component=create-cluster,"
                    + "app.kubernetes.io/instance=" + after.instance() + " --timeout=1h, then prune the old Job");
        }
        if (fewer) {
            return new Judgement(CAUTION, EFFECT_PROCEDURE, "remove the nodes first (redis-cli --cluster del-node) so the others forget them");
        }
        return new Judgement(CAUTION, EFFECT_PROCEDURE, "the new pods start outside the cluster: add each as a replica with redis-cli "
                + "--cluster add-node --cluster-slave");
    }

    /**
     * What the pods of the deployment go through: {@code brief} ends every verdict line ("pods roll one at a time;
     * failover expected once"), {@code detail} says it once per deployment, with the reasons.
     */
    record Roll(String brief, String detail) {
    }

    static Roll roll(Shape after, Map<String, Rollouts.Rollout> rollouts) {
        List<String> brief = new ArrayList<>();
        List<String> detail = new ArrayList<>();
        Rollouts.Rollout redis = rollouts.get(after.redis().id());
        boolean redisRolls = redis != null && redis.restartsPods();
        if (redisRolls) {
            boolean statefulSet = after.redis().kind().equals("StatefulSet");
            boolean coLocated = after.topology().equals("sentinel") && after.sentinels() == null;
            brief.add(statefulSet ? "pods roll one at a time" : "the pod restarts");
            detail.add(after.redis().kind() + " " + after.redis().name() + ": " + redis.summary()
                    + (coLocated ? " (each pod's Sentinel restarts with it)" : ""));
            switch (after.topology()) {
                case "sentinel" -> {
                    brief.add("failover expected once");
                    detail.add("the master restarts once: its preStop asks the Sentinels to fail over to a replica first, so one "
                            + "failover is expected (one more for each time the Sentinels promote a pod not rolled yet)");
                }
                case "cluster" -> {
                    String timeout = after.redisConf().getOrDefault("cluster-node-timeout", "?");
                    brief.add("each master restarts once");
                    detail.add("each master's slots take no writes while it restarts, and fail over to its replica if that lasts "
                            + "over cluster-node-timeout " + timeout + " ms");
                }
                default -> {
                    boolean persistent = "yes".equals(after.redisConf().get("appendonly"))
                            || after.redisConf().containsKey("save") && !after.redisConf().get("save").equals("\"\"");
                    brief.add("down while it restarts");
                    detail.add("nothing serves while the pod restarts" + (persistent ? "" : ", and it comes back empty (no persistence)"));
                }
            }
        }
        Rollouts.Rollout sentinels = after.sentinels() == null ? null : rollouts.get(after.sentinels().id());
        if (sentinels != null && sentinels.restartsPods()) {
            brief.add("Sentinel pods roll one at a time" + (redisRolls ? "" : "; no failover"));
            detail.add("StatefulSet " + after.sentinels().name() + ": " + sentinels.summary());
        }
        Rollouts.Rollout proxy = after.proxy() == null ? null : rollouts.get(after.proxy().id());
        if (proxy != null && proxy.restartsPods()) {
            brief.add("proxy pods replaced one at a time");
            detail.add("Deployment " + after.proxy().name() + ": " + proxy.summary() + "; plain clients reconnect");
        }
        for (Rollouts.Rollout r : new Rollouts.Rollout[] {redis, sentinels, proxy}) {
            if (r != null && !r.restartsPods() && !r.summary().equals("no pod restarts")) {
                detail.add(r.summary());
            }
        }
        if (brief.isEmpty()) {
            brief.add("no pod restarts");
        }
        return new Roll(String.join("; ", brief), String.join("\n", detail));
    }

    private static String masterName(Shape shape) {
        String monitor = shape.sentinelConf().getOrDefault("sentinel monitor", "");
        return monitor.isEmpty() ? "MASTER" : monitor.split(" ")[0];
    }

    private static int[] version(String image) {
        Matcher m = VERSION.matcher(image);
        if (!m.find()) {
            return null;
        }
        return new int[] {Integer.parseInt(m.group(1)), m.group(2) == null ? 0 : Integer.parseInt(m.group(2))};
    }

    private static java.math.BigDecimal memoryLimit(String resources) {
        Matcher m = Pattern.compile("limits[^;]*memory (\\S+?)(,|$)").matcher(resources);
        return m.find() ? ApplyRules.quantity(com.fasterxml.jackson.databind.node.TextNode.valueOf(m.group(1))) : null;
    }

    /** A redis.conf size ("384mb", "6gb", "1048576") in bytes, or null. */
    static Long bytes(String size) {
        Matcher m = Pattern.compile("(\\d+)([kmg]b?)?", Pattern.CASE_INSENSITIVE).matcher(size.strip());
        if (!m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2).toLowerCase(java.util.Locale.ROOT);
        return switch (unit) {
            case "k" -> n * 1000;
            case "kb" -> n * 1024;
            case "m" -> n * 1000_000;
            case "mb" -> n * 1024 * 1024;
            case "g" -> n * 1000_000_000;
            case "gb" -> n * 1024 * 1024 * 1024;
            default -> n;
        };
    }
}
