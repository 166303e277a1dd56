package dev.redisgen.conf;

import java.util.Locale;

/** Renders redis.conf for the config ConfigMap: deterministic text, {@code \n} line ends, no secrets. */
public final class RedisConf {

    /** Redis' data directory in every pod (the PVC, or an emptyDir without persistence). */
    public static final String DATA_DIR = "/data";

    private RedisConf() {
    }

    public static String render(RedisConfSpec s) {
        Text t = new Text();
        t.comment("redis.conf rendered by redisgen. The start script copies it to /run/redis/redis.conf")
         .comment("(mode 0600) and appends the runtime lines: announced address, requirepass/masterauth")
         .comment("from the Secret, replicaof. No secret is ever in this file.")
         .blank();

        t.comment("Network. Pods reach each other on pod IPs, so Redis listens on every interface, IPv4")
         .comment("and IPv6 (\"-\": no error where IPv6 is off). Access is guarded by requirepass and the")
         .comment("NetworkPolicy; protected mode would refuse every non-loopback client of a")
         .comment("password-less deployment, replicas and Sentinels included, so it is off.")
         .lines(ports(s.port(), s.tlsAuthClients(), s.plainPort()))
         .line("bind * -::*")
         .line("protected-mode no")
         .line("tcp-keepalive " + s.tcpKeepaliveSeconds())
         .line("timeout 0")
         .line("maxclients " + s.maxclients())
         .blank();

        t.comment("Process: foreground, logs to stdout, no pidfile (read-only root filesystem).")
         .line("daemonize no")
         .line("supervised no")
         .line("logfile \"\"")
         .blank();

        t.comment("Persistence in " + RedisConf.DATA_DIR + ".")
         .line("dir " + RedisConf.DATA_DIR)
         .line("dbfilename dump.rdb");
        if (s.savePoints().isEmpty()) {
            t.comment("No RDB snapshots.").line("save \"\"");
        } else {
            t.line("save " + String.join(" ", s.savePoints()));
        }
        if (s.appendonly()) {
            t.line("appendonly yes")
             .line("appendfsync " + s.appendfsync())
             .line("appendfilename \"appendonly.aof\"");
        } else {
            t.line("appendonly no");
        }
        t.blank();

        t.comment("Memory.");
        if (s.maxmemory() != null) {
            t.line("maxmemory " + s.maxmemory().toLowerCase(Locale.ROOT));
        }
        t.line("maxmemory-policy " + s.maxmemoryPolicy())
         .line("lazyfree-lazy-eviction " + yesNo(s.lazyfreeLazyEviction()))
         .blank();

        t.comment("Threads and diagnostics.")
         .line("io-threads " + s.ioThreads());
        if (s.ioThreads() > 1) {
            t.line("io-threads-do-reads yes");
        }
        t.line("slowlog-log-slower-than " + s.slowlogLogSlowerThanMicros())
         .blank();

        if (s.tls()) {
            t.comment("TLS: replicas talk TLS to their master" + (s.cluster() != null ? ", and nodes to each other on the cluster bus" : "")
                      + "; the certificate")
             .comment("also serves as the client certificate of those connections. The files are the mounted Secret;")
             .comment("tls-reload.sh runs CONFIG SET tls-cert-file (same paths) when Kubernetes swaps in a renewed one.")
             .lines(tlsFiles(s.tlsAuthClients()))
             .line("tls-replication yes");
            if (s.cluster() != null) {
                t.line("tls-cluster yes");
            }
            t.blank();
        }

        RedisConfSpec.Replication r = s.replication();
        if (r != null) {
            t.comment("Replication. Replicas never take writes; they serve (possibly stale) reads while the")
             .comment("master is away, and sync the RDB over the socket (no extra disk I/O on the master).")
             .line("replica-read-only yes")
             .line("replica-serve-stale-data yes")
             .line("repl-diskless-sync yes")
             // The default 5 s delay batches replicas into one transfer; a Sentinel set has one or two, and
             // a new master refuses writes (min-replicas-to-write) until one is attached, so start at once.
             // `redisgen drill` measured 5 s of refused writes after a preStop hand-over without this.
             .comment("Start a full resync at once: a new master takes writes only once a replica is attached.")
             .line("repl-diskless-sync-delay 0");
            if (r.minReplicasToWrite() > 0) {
                t.comment("Split-brain mitigation: a master cut off from its replicas stops taking writes")
                 .comment("after min-replicas-max-lag seconds, bounding what an isolated old master loses.");
                if (s.cluster() != null) {
                    t.comment("Lag below cluster-node-timeout: it stops before the majority promotes its replica.")
                     .comment("cluster-heal.sh lifts it (CONFIG SET) while every replica of the master is failing.");
                }
            }
            t.line("min-replicas-to-write " + r.minReplicasToWrite())
             .line("min-replicas-max-lag " + r.minReplicasMaxLagSeconds())
             .blank();
        }

        RedisConfSpec.Cluster c = s.cluster();
        if (c != null) {
            t.comment("Redis Cluster. nodes.conf is relative to dir, so it is kept on the volume; the start")
             .comment("script refreshes its IPs after a restart. Clients are redirected by hostname")
             .comment("(cluster-announce-hostname is added at start), which survives pod IP changes.")
             .line("cluster-enabled yes")
             .line("cluster-config-file nodes.conf")
             .line("cluster-node-timeout " + c.nodeTimeoutMillis())
             .line("cluster-require-full-coverage " + yesNo(c.requireFullCoverage()))
             .line("cluster-preferred-endpoint-type hostname")
             .blank();
        }
        return t.toString();
    }

    /**
     * The listening ports: plain text on PORT, or TLS on PORT and the plain-text port closed ({@code port 0}): clients keep the
     * port they know, and nothing reaches Redis unencrypted (shared with sentinel.conf).
     */
    static java.util.List<String> ports(int port, String tlsAuthClients, int plainPort) {
        if (tlsAuthClients == null) {
            return java.util.List.of("port " + port);
        }
        if (plainPort != 0) {
            // Redis takes both: plain text on `port`, TLS on `tls-port`. Replicas announce and reach the TLS port
            // (tls-replication yes), and with tls-cluster the bus stays at tls-port + 10000.
            return java.util.List.of("# Plain text kept open for clients not yet on TLS (tls.plainPort); every peer speaks TLS.",
                    "port " + plainPort, "tls-port " + port);
        }
        return java.util.List.of("port 0", "tls-port " + port);
    }

    /** The certificate, key, CA and client-certificate lines of redis.conf and sentinel.conf. */
    static java.util.List<String> tlsFiles(String tlsAuthClients) {
        return java.util.List.of("tls-cert-file " + TlsFiles.CERT, "tls-key-file " + TlsFiles.KEY, "tls-ca-cert-file " + TlsFiles.CA,
                "tls-auth-clients " + tlsAuthClients);
    }

    static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }
}
