package dev.redisgen.conf;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders haproxy.cfg (HAProxy 2.6+, TCP mode): an endpoint for clients that are not Sentinel-aware
 * that reaches only the current master, kept true across failover (SPEC "Client routing"), in the
 * design of the dandydeveloper redis-ha chart. A pod gets write traffic only when it answers
 * {@code role:master} itself AND a quorum of Sentinels name it in {@code get-master-addr-by-name}.
 * Passwords are never literals: HAProxy reads them from its env ({@code %[env(REDIS_PASSWORD)]} in a RESP AUTH).
 */
public final class HaproxyConf {

    /**
     * HAProxy's {@code bind ... ssl crt} needs certificate and key in one PEM: the proxy container concatenates the mounted
     * Secret's tls.crt and tls.key into this file of its emptyDir at start, never into a ConfigMap.
     */
    public static final String PEM = "/tmp/tls/tls.pem";

    /** The proxy ConfigMap's key (mounted at /config) of the reload loop for a renewed certificate; with TLS only. */
    public static final String RELOAD_SCRIPT = "tls-reload.sh";

    /**
     * The proxy container's command with TLS: build {@link #PEM} (umask 077: it holds the key), start HAProxy and
     * {@link #RELOAD_SCRIPT} (given HAProxy's master PID) in the background, and stay the container's first process: a stop
     * signal goes on to HAProxy, and the container ends when HAProxy has. Two faults of the command before: the reload loop
     * was started with {@code "$$"}, which the kubelet reduces to {@code "$"} in a command (Kubernetes' {@code $(VAR)}
     * expansion; in a pod the loop exited at once and a renewed certificate was never loaded), and HAProxy, exec'd as the
     * first process, became the loop's parent and on SIGTERM waited for it: each proxy pod took its whole grace period to
     * stop (found by redisgen drill with TLS and ACL users). No {@code $$} and no {@code $(} in it.
     */
    public static final String TLS_START = "umask 077 && mkdir -p /tmp/tls && cat " + TlsFiles.CERT + " " + TlsFiles.KEY + " >" + PEM
                                           + " && { haproxy -W -db -f /config/haproxy.cfg & hp=$!; sh /config/" + RELOAD_SCRIPT
                                           + " \"$hp\" & trap 'kill -TERM \"$hp\" 2>/dev/null' TERM INT;"
                                           + " while kill -0 \"$hp\" 2>/dev/null; do wait \"$hp\"; st=$?; done; exit \"${st:-0}\"; }";

    /** The text of {@link #RELOAD_SCRIPT} (a file on the classpath, shellchecked by HaproxyConfTest). */
    public static String reloadScript() {
        try (var in = HaproxyConf.class.getClassLoader().getResourceAsStream("redisgen/proxy/" + RELOAD_SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException("missing from the classpath: redisgen/proxy/" + RELOAD_SCRIPT);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private HaproxyConf() {
    }

    public static String render(HaproxySpec s) {
        String inter = s.checkIntervalMillis() + "ms";
        Text t = new Text();
        t.comment("haproxy.cfg rendered by redisgen. Writes reach only the pod that reports role:master")
         .comment("AND is named master by at least " + s.quorum() + " of " + s.sentinelHosts().size()
                  + " Sentinels; when none qualifies, connections are refused rather than sent to a")
         .comment("replica (READONLY) or to an isolated old master. Passwords come from the env.")
         .comment("TLS: clients, Redis and Sentinel all speak TLS; the certificate and key come from the Secret.", 0, s.tls())
         .blank();

        t.line("global")
         .comment("Read-only root filesystem: no pidfile, no stats socket; logs on stdout.", 1)
         .line("    log stdout format raw local0")
         .line("    maxconn 4096")
         .blank();

        t.line("defaults")
         .line("    mode tcp")
         .line("    log global")
         .line("    option tcplog")
         .line("    timeout connect 4s")
         .comment("Pooled Redis connections idle for long; TCP keepalives detect dead peers.", 1)
         .line("    timeout client 1h")
         .line("    timeout server 1h")
         .line("    option clitcpka")
         .line("    option srvtcpka")
         .line("    timeout check 2s")
         .blank();

        t.comment("Pod names come and go with the pods: resolve at runtime, start without them.")
         .comment("A recreated pod has a new IP, and its name does not resolve while it is gone: ask again every")
         .comment("second whatever the last answer was (HAProxy's defaults wait 10 s after a valid answer and 30 s")
         .comment("after NXDOMAIN, which kept the write endpoint shut for 35 s in `redisgen drill`).")
         .line("resolvers k8s")
         .line("    parse-resolv-conf")
         .line("    resolve_retries 3")
         .line("    timeout resolve 1s")
         .line("    timeout retry 1s")
         .line("    hold valid 1s")
         .line("    hold nx 1s")
         .line("    hold refused 1s")
         .line("    hold timeout 1s")
         .line("    hold other 1s")
         .line("    hold obsolete 0s")
         .blank();

        // With TLS every server (Redis and Sentinel) is reached over TLS, its certificate verified against the CA, checks included.
        String serverOpts = " check inter " + inter + " fall 1 rise 1 resolvers k8s resolve-prefer ipv4 init-addr none"
                            + (s.tls() ? " ssl verify required ca-file " + TlsFiles.CA + " crt " + PEM + " check-ssl" : "");
        // With tls-auth-clients yes the frontends ask clients for a certificate the CA signed, as Redis does.
        String bindTls = !s.tls() ? "" : " ssl crt " + PEM + ("yes".equals(s.tlsAuthClients()) ? " verify required ca-file " + TlsFiles.CA : "");

        // One backend per Redis pod whose servers are the Sentinels: a Sentinel is "up" in it while it
        // names that pod master. nbsrv() of the backend counts the Sentinels that agree.
        for (int i = 0; i < s.redisHosts().size(); i++) {
            String host = s.redisHosts().get(i);
            t.comment("Sentinels that name " + host + " master.")
             .line("backend sentinels_name_r" + i)
             .line("    option tcp-check")
             .line("    tcp-check connect" + (s.tls() ? " ssl" : ""));
            if (s.sentinelAuth()) {
                t.line(auth("SENTINEL_PASSWORD"))
                 .line("    tcp-check expect string +OK");
            }
            t.line("    tcp-check send \"SENTINEL get-master-addr-by-name " + s.masterName() + "\\r\\n\"")
             .comment("The reply holds the host as one bulk string: CRLF, host, CRLF.", 1)
             .line("    tcp-check expect string \"\\r\\n" + host + "\\r\\n\"")
             .line("    tcp-check send \"QUIT\\r\\n\"");
            for (int j = 0; j < s.sentinelHosts().size(); j++) {
                t.line("    server s" + j + " " + s.sentinelHosts().get(j) + ":" + s.sentinelPort() + serverOpts);
            }
            t.blank();
        }

        t.comment("Read-write: the pod that reports role:master and that the Sentinels name.")
         .line("frontend redis_master")
         .line("    bind :" + s.masterPort() + bindTls);
        plainBind(t, s.plainMasterPort());
        t         .line("    default_backend redis_master")
         .blank()
         .line("backend redis_master")
         .line("    option tcp-check");
        roleCheck(t, s, "role:master");
        List<String> qualified = new ArrayList<>();
        for (int i = 0; i < s.redisHosts().size(); i++) {
            t.line("    acl r" + i + "_named nbsrv(sentinels_name_r" + i + ") ge " + s.quorum())
             .line("    acl r" + i + "_up srv_is_up(redis_master/r" + i + ")");
            qualified.add("r" + i + "_up r" + i + "_named");
        }
        t.comment("No pod qualifies (failover in progress, Sentinels disagree): refuse, never guess.", 1)
         .line("    tcp-request content reject unless " + String.join(" || ", qualified));
        for (int i = 0; i < s.redisHosts().size(); i++) {
            t.line("    use-server r" + i + " if r" + i + "_up r" + i + "_named");
        }
        for (int i = 0; i < s.redisHosts().size(); i++) {
            t.comment("A pod that stops being master drops its clients, so they reconnect to the new one.", 1, i == 0)
             .line("    server r" + i + " " + s.redisHosts().get(i) + ":" + s.redisPort() + serverOpts
                   + " on-marked-down shutdown-sessions");
        }
        t.blank();

        if (s.replicaPort() > 0) {
            t.comment("Read-only: pods that report role:slave.")
             .line("frontend redis_replicas")
             .line("    bind :" + s.replicaPort() + bindTls);
            plainBind(t, s.plainReplicaPort());
            t             .line("    default_backend redis_replicas")
             .blank()
             .line("backend redis_replicas")
             .line("    balance leastconn")
             .line("    option tcp-check");
            roleCheck(t, s, "role:slave");
            for (int i = 0; i < s.redisHosts().size(); i++) {
                t.line("    server r" + i + " " + s.redisHosts().get(i) + ":" + s.redisPort() + serverOpts
                       + " on-marked-down shutdown-sessions");
            }
            t.blank();
        }

        if (s.healthPort() > 0) {
            t.comment("Liveness of HAProxy itself (not of Redis).")
             .line("frontend healthz")
             .line("    mode http")
             .line("    bind :" + s.healthPort())
             .line("    timeout client 5s")
             .line("    monitor-uri /healthz")
             .blank();
        }
        return t.toString();
    }

    /**
     * The check's AUTH with its arguments from the env, sent as a RESP array whose lengths HAProxy computes
     * ({@code %[env(X),length]}, bytes): an inline {@code AUTH ${X}} splits a password with a space or a quote into other
     * arguments, and Redis answers WRONGPASS or ERR, so every check failed and the endpoint refused every client.
     */
    static String auth(String... envVars) {
        StringBuilder b = new StringBuilder("    tcp-check send-lf \"*" + (envVars.length + 1) + "\\r\\n\\$4\\r\\nAUTH\\r\\n");
        for (String v : envVars) {
            b.append("\\$%[env(").append(v).append("),length]\\r\\n%[env(").append(v).append(")]\\r\\n");
        }
        return b.append('"').toString();
    }

    /** tls.plainPort kept: a plain-text bind beside the TLS one, for clients not yet on TLS (servers still over TLS). */
    private static void plainBind(Text t, int port) {
        if (port > 0) {
            t.comment("Plain text kept beside TLS while clients move (tls.plainPort); Redis is still reached over TLS.", 1)
             .line("    bind :" + port);
        }
    }

    private static void roleCheck(Text t, HaproxySpec s, String role) {
        t.line("    tcp-check connect" + (s.tls() ? " ssl" : ""));
        if (s.redisAuth()) {
            t.line(s.redisUser() ? auth("REDIS_USER", "REDIS_PASSWORD") : auth("REDIS_PASSWORD"))
             .line("    tcp-check expect string +OK");
        }
        t.line("    tcp-check send \"PING\\r\\n\"")
         .line("    tcp-check expect string +PONG")
         .line("    tcp-check send \"INFO replication\\r\\n\"")
         .line("    tcp-check expect string " + role)
         .line("    tcp-check send \"QUIT\\r\\n\"")
         .line("    tcp-check expect string +OK");
    }
}
