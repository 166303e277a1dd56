package dev.redisgen.conf;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code users.acl}: the ACL users of one deployment, in Redis's ACL syntax, without passwords. Each password is a
 * {@code #${VAR}} placeholder that the start script (common.sh {@code auth_conf_lines}) replaces by the SHA-256 of the
 * env var VAR (from the Secret) when it writes the runtime redis.conf, so that no password is in a ConfigMap and the
 * runtime file holds hashes only (but {@code masterauth}, which Redis needs in clear).
 *
 * <p>Every user starts from nothing ({@code resetkeys resetchannels -@all}) and gets exactly what its job needs:
 * <ul>
 * <li>{@code default}: off, so that a connection without AUTH can run nothing (NOAUTH); every client library redisgen
 *     names (redis-py, Jedis, Lettuce, go-redis, Celery/kombu, Django) sends {@code AUTH user password} or
 *     {@code HELLO 3 AUTH user password}, which need no user to be on before them.</li>
 * <li>the application user: every data command but the {@code @dangerous} category; a cache also without {@code @blocking}.</li>
 * <li>{@code replication}: {@code masteruser} of the replicas (and the cluster's): PSYNC, REPLCONF, PING.</li>
 * <li>{@code sentinel}: the commands Redis's ACL documentation lists for Sentinel.</li>
 * <li>{@code exporter}: what redis_exporter and the HAProxy health checks read.</li>
 * <li>{@code admin}: exactly the commands the pod scripts and Jobs send (CONTRACT.md "ACL users").</li>
 * </ul>
 */
public final class AclUsers {
    /** The env var whose value the placeholder of each user stands for (CONTRACT.md). */
    public static final String APP_VAR = "ACL_APP_PASSWORD";
    public static final String REPLICATION_VAR = "ACL_REPLICATION_PASSWORD";
    public static final String SENTINEL_VAR = "ACL_SENTINEL_PASSWORD";
    public static final String EXPORTER_VAR = "ACL_EXPORTER_PASSWORD";
    /** The scripts' user authenticates with REDIS_USER / REDIS_PASSWORD, as the scripts always have. */
    public static final String ADMIN_VAR = "REDIS_PASSWORD";

    public static final String REPLICATION = "replication";
    public static final String SENTINEL = "sentinel";
    public static final String EXPORTER = "exporter";
    public static final String ADMIN = "admin";
    /** User names an application user may not take. */
    public static final List<String> RESERVED = List.of("default", REPLICATION, SENTINEL, EXPORTER, ADMIN);

    /** What the Sentinels send to Redis (Redis docs, "ACL rules for Sentinel"; checked against 7.0 by AclLiveTest). */
    public static final List<String> SENTINEL_COMMANDS = List.of("multi", "exec", "slaveof", "ping", "subscribe", "config|rewrite", "role",
            "publish", "info", "client|setname", "client|kill", "script|kill");

    /** What a replica (Sentinel topology or Cluster) sends to its master. */
    public static final List<String> REPLICATION_COMMANDS = List.of("psync", "replconf", "ping");

    /**
     * What redis_exporter (1.45 to 1.55) sends on a scrape: INFO ALL, CONFIG GET *, SLOWLOG LEN/GET, LATENCY LATEST (and
     * HISTOGRAM), CLIENT LIST, CLUSTER INFO/NODES in a cluster, PING; SELECT for the per-database key metrics. The HAProxy
     * health checks (PING, INFO replication) use the same user: nothing here writes or reads a key.
     */
    public static final List<String> EXPORTER_COMMANDS = List.of("ping", "info", "config|get", "slowlog|len", "slowlog|get", "latency|latest",
            "latency|histogram", "client|list", "client|setname", "cluster|info", "cluster|nodes", "select", "dbsize", "memory|usage", "echo");

    /** What the pod scripts send (grep of scripts/*.sh), per topology: see CONTRACT.md "ACL users". */
    static final List<String> ADMIN_COMMON = List.of("ping", "info", "config|get", "config|set", "dbsize");
    static final List<String> ADMIN_SENTINEL = List.of("replicaof", "client|pause", "client|unpause", "multi", "exec");
    static final List<String> ADMIN_CLUSTER = List.of("cluster|nodes", "cluster|info", "cluster|myid", "cluster|meet", "cluster|addslotsrange",
            "cluster|set-config-epoch", "cluster|replicate", "cluster|failover", "cluster|forget", "restore", "restore-asking", "select",
            // cluster-create.sh scaling out: a pod back from a scale in with its old volume is made an empty master (CLUSTER RESET SOFT)
            "cluster|reset",
            // cluster-prestop.sh: a takeover after no replica won an election waits for the replica under a write pause
            "client|pause", "client|unpause",
            // cluster-create.sh moving slots (redis-cli --cluster rebalance, finish_slot) under its lock key
            "cluster|setslot", "cluster|getkeysinslot", "cluster|countkeysinslot", "cluster|keyslot", "migrate", "asking",
            "set", "get", "pexpire", "del");
    /** backup.sh: {@code redis-cli --rdb} is REPLCONF rdb-only and SYNC. */
    static final List<String> ADMIN_BACKUP = List.of("replconf", "sync");

    private AclUsers() {
    }

    /**
     * @param application   the application user's name
     * @param purpose       {@code cache}, {@code broker} or {@code store}
     * @param allowCommands commands given back to the application user on purpose
     * @param sentinel      a Sentinel topology (users sentinel and replication)
     * @param cluster       a Redis Cluster (user replication for the replicas' link to their master)
     * @param backup        backup CronJobs or restore Jobs run with the admin user
     */
    public record Spec(String application, String purpose, List<String> allowCommands, boolean sentinel, boolean cluster, boolean backup) {
        public Spec {
            allowCommands = List.copyOf(allowCommands);
        }
    }

    /** The application user's rules (without password). */
    public static String applicationRules(String purpose, List<String> allowCommands) {
        // ROLE (in @dangerous) comes back: a Sentinel client checks with it that the address the Sentinels named is
        // master (Redis's Sentinel client guidelines, step 3); it tells the replication role and addresses, nothing more.
        StringBuilder r = new StringBuilder("~* &* +@all -@dangerous +role");
        if (purpose.equals("cache")) {
            r.append(" -@blocking");
        }
        for (String c : allowCommands) {
            r.append(" +").append(c);
        }
        return r.toString();
    }

    /** The admin user's commands for the given topology. */
    public static List<String> adminCommands(Spec s) {
        List<String> c = new ArrayList<>(ADMIN_COMMON);
        if (s.sentinel()) {
            c.addAll(ADMIN_SENTINEL);
        }
        if (s.cluster()) {
            c.addAll(ADMIN_CLUSTER);
        }
        if (s.backup() || s.cluster()) {
            c.addAll(ADMIN_BACKUP);
        }
        return c;
    }

    public static String render(Spec s) {
        Text t = new Text();
        t.comment("ACL users (redisgen). No password is in this file: the start script replaces each #${VAR} by the SHA-256")
         .comment("of env var VAR (from the Secret) in the runtime redis.conf. A user line resets what it does not grant.")
         .comment("A connection without AUTH is the default user, which is off: it can run nothing.")
         .line("user default off resetpass resetkeys resetchannels -@all")
         .comment("The application: every data command but @dangerous (FLUSHALL, FLUSHDB, DEBUG, CONFIG, KEYS, SHUTDOWN, ...)"
                 + (s.purpose().equals("cache") ? "; a cache pops no queue (-@blocking)." : "."))
         .line(user(s.application(), APP_VAR, applicationRules(s.purpose(), s.allowCommands())));
        if (s.sentinel() || s.cluster()) {
            t.comment("Replicas authenticate to their master as this user (masteruser/masterauth).")
             .line(user(REPLICATION, REPLICATION_VAR, "resetkeys resetchannels -@all" + plus(REPLICATION_COMMANDS)));
        }
        if (s.sentinel()) {
            t.comment("The Sentinels (sentinel auth-user/auth-pass): the commands Redis's ACL docs list for Sentinel.")
             .line(user(SENTINEL, SENTINEL_VAR, "resetkeys allchannels -@all" + plus(SENTINEL_COMMANDS)));
        }
        t.comment("redis_exporter and the write endpoint's health checks: read-only introspection, no key.")
         .line(user(EXPORTER, EXPORTER_VAR, "resetkeys resetchannels -@all" + plus(EXPORTER_COMMANDS)))
         .comment("The pod scripts, probes and Jobs: exactly the commands they send." + (s.cluster() ? " Keys: cluster-restore.sh's MIGRATE (RESTORE)." : ""))
         .line(user(ADMIN, ADMIN_VAR, (s.cluster() ? "~*" : "resetkeys") + " resetchannels -@all" + plus(adminCommands(s))));
        return t.toString();
    }

    private static String user(String name, String var, String rules) {
        return "user " + name + " on #${" + var + "} " + rules;
    }

    private static String plus(List<String> commands) {
        StringBuilder b = new StringBuilder();
        for (String c : commands) {
            b.append(" +").append(c);
        }
        return b.toString();
    }
}
