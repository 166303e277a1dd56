package dev.redisgen.conf;

/**
 * Renders the sentinel.conf template for the config ConfigMap. sentinel-start.sh copies it to the
 * writable, kept {@code /data/sentinel/sentinel.conf}, replaces {@link #MASTER_HOST} and appends
 * myid, announce-ip and the auth lines. Quorum and timings are real values here, so changing them
 * changes the config checksum and rolls the pods.
 */
public final class SentinelConf {

    /** Placeholder for the master's address, substituted by sentinel-start.sh at start. */
    public static final String MASTER_HOST = "@MASTER_HOST@";

    private SentinelConf() {
    }

    public static String render(SentinelConfSpec s) {
        String m = s.masterName();
        Text t = new Text();
        t.comment("sentinel.conf template rendered by redisgen. Sentinel rewrites its config at every")
         .comment("failover, so sentinel-start.sh runs it from a writable copy kept on the volume")
         .comment("(/data/sentinel/sentinel.conf), replacing " + MASTER_HOST + " with the master it decided on")
         .comment("and appending myid, announce-ip and the auth lines. No secret is ever in this file.")
         .blank();

        t.comment("Sentinels are reached on pod IPs; requirepass (if set) and the NetworkPolicy guard them.")
         .lines(RedisConf.ports(s.port(), s.tlsAuthClients(), 0))
         .line("bind * -::*")
         .line("protected-mode no")
         .line("daemonize no")
         .line("logfile \"\"")
         .comment("Sentinel writes nothing to dir; /tmp is a writable emptyDir.")
         .line("dir /tmp")
         .comment("Notification/reconfig scripts cannot be set at runtime (SENTINEL SET).")
         .line("sentinel deny-scripts-reconfig yes")
         .blank();

        if (s.tlsAuthClients() != null) {
            t.comment("TLS towards clients and other Sentinels, and (tls-replication) towards the Redis pods. Sentinel")
             .comment("has no CONFIG SET: it reads the certificate files when it starts (see README \"TLS\").")
             .lines(RedisConf.tlsFiles(s.tlsAuthClients()))
             .line("tls-replication yes")
             .blank();
        }

        if (s.hostnames()) {
            t.comment("Stable pod names instead of IPs that change on restart. These must come before")
             .comment("\"sentinel monitor\": Sentinel resolves the monitored address while parsing it.")
             .line("sentinel resolve-hostnames yes")
             .line("sentinel announce-hostnames yes");
        } else {
            t.comment("IP mode: the start script resolves the master's pod name to its current IP.");
        }
        t.comment("One concrete pod, never a load-balanced Service (seed 002). " + s.sentinels()
                  + " Sentinels, quorum " + s.quorum() + ".")
         .line("sentinel monitor " + m + " " + MASTER_HOST + " " + s.redisPort() + " " + s.quorum())
         .line("sentinel down-after-milliseconds " + m + " " + s.downAfterMillis())
         .line("sentinel failover-timeout " + m + " " + s.failoverTimeoutMillis())
         .line("sentinel parallel-syncs " + m + " " + s.parallelSyncs());
        return t.toString();
    }
}
