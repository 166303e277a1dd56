package dev.redisgen.conf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisgen.drill.ThrowawayCa;
import dev.redisgen.pipeline.Pipeline;
import dev.redisgen.profile.Overrides;
import dev.redisgen.profile.ProfileLoader;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS for real: the airflow profile rendered with {@code tls: {}}, its redis.conf and sentinel.conf and the pod scripts run by
 * real redis-server and redis-sentinel 7.0 (Debian's, built with OpenSSL) on 127.0.10.x (no other test class uses it), with a
 * throw-away CA made here by openssl and the TLS Secret laid out as the kubelet lays out a Secret volume (files that are
 * symlinks through {@code ..data}, swapped at once on an update). Replication, the Sentinel and its failover, the probes,
 * prestop.sh, redis_exporter and the HAProxy write endpoint all speak TLS; the plain-text port is closed; a renewed
 * certificate reaches Redis without a restart (tls-reload.sh), while connections made before keep working. A Redis Cluster
 * (6 TLS nodes) is created by cluster-create.sh over TLS, its bus on TLS too.
 */
class TlsLiveTest {
    static final String HOST0 = "127.0.10.2";
    static final String HOST1 = "127.0.10.3";
    static final String SENTINEL_HOST = "127.0.10.4";
    static final String PASSWORD = "tls pw-1";
    static final String SENTINEL_PASSWORD = "tls-sentinel-2";

    @TempDir
    Path tmp;

    int port;
    int sentinelPort;
    /** The kept plain-text port (tls.plainPort, rendered 6380) on this test's loopback; 0: none. */
    int plainPort;
    List<HasMetadata> objects = new ArrayList<>();
    Path scripts;
    /** The TLS Secret as the kubelet mounts it: tls.crt, tls.key, ca.crt are symlinks through ..data. */
    Path tls;
    ThrowawayCa ca;
    Map<String, String> config = new TreeMap<>();
    Map<String, Map<String, String>> containerEnv = new TreeMap<>();
    List<Volume> volumes = new ArrayList<>();

    void render(String tlsSpec) throws Exception {
        String text = Files.readString(Path.of("profiles/airflow.yaml"));
        var profile = ProfileLoader.parse("airflow.yaml", text, Overrides.of(List.of(), List.of("deployments[0].tls=" + tlsSpec)));
        var result = Pipeline.render(profile);
        assertThat(result.hasErrors()).as(result.findings().toString()).isFalse();
        objects.addAll(result.objects());
        for (HasMetadata o : result.objects()) {
            if (o instanceof ConfigMap cm && cm.getData().containsKey("redis.conf")) {
                config.putAll(cm.getData());
            }
            if (o instanceof StatefulSet s) {
                volumes.addAll(s.getSpec().getTemplate().getSpec().getVolumes());
                for (Container c : s.getSpec().getTemplate().getSpec().getContainers()) {
                    Map<String, String> env = new LinkedHashMap<>();
                    for (EnvVar e : c.getEnv()) {
                        env.put(e.getName(), e.getValue() != null ? e.getValue()
                                : e.getValueFrom().getSecretKeyRef() != null ? "secret:" + e.getValueFrom().getSecretKeyRef().getKey() : "field");
                    }
                    containerEnv.put(c.getName(), env);
                }
            }
        }
    }

    /** A new certificate for every address of this test, made the current content of the Secret volume at once. */
    void renew(String version) throws Exception {
        Path data = ca.issue(tls.resolve("..v" + version), List.of("localhost"), List.of("127.0.0.1", HOST0, HOST1, SENTINEL_HOST));
        Path link = tls.resolve("..data_tmp");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, data.getFileName());
        Files.move(link, tls.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        for (String f : List.of("tls.crt", "tls.key", "ca.crt")) {
            if (!Files.exists(tls.resolve(f), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(tls.resolve(f), Path.of("..data", f));
            }
        }
    }

    Map<String, String> env(String pod, String host, Path root) {
        Map<String, String> env = new HashMap<>();
        containerEnv.get("redis").forEach((k, v) -> {
            if (!v.startsWith("secret:") && !v.equals("field")) {
                env.put(k, v);
            }
        });
        env.put("REDIS_PASSWORD", PASSWORD);
        env.put("SENTINEL_PASSWORD", SENTINEL_PASSWORD);
        env.put("TLS_DIR", tls.toString());
        env.put("TLS_RELOAD_SECONDS", "1");
        env.put("SCRIPTS_DIR", scripts.toString());
        env.put("DATA_DIR", root.resolve("data").toString());
        env.put("CONFIG_DIR", root.resolve("config").toString());
        env.put("RUN_DIR", root.resolve("run").toString());
        env.put("POD_NAME", pod);
        env.put("POD_NAMESPACE", "airflow");
        env.put("POD_IP", host);
        env.put("REPLICAS", "2");
        env.put("SENTINELS", "1");
        env.put("REDIS_PORT", Integer.toString(port));
        env.put("SENTINEL_PORT", Integer.toString(sentinelPort));
        env.put("ADDRESS_MODE", "ip");
        env.put("POD_ADDRESSES", HOST0 + " " + HOST1);
        env.put("SENTINEL_ADDRESSES", SENTINEL_HOST + ":" + sentinelPort);
        env.put("LOCAL_REDIS_HOST", host);
        env.put("LOCAL_SENTINEL_HOST", SENTINEL_HOST);
        env.put("GUARD_INTERVAL_SECONDS", "1");
        env.put("DNS_WAIT_SECONDS", "5");
        return env;
    }

    Path pod(String pod, String host) throws Exception {
        Path root = tmp.resolve(pod);
        Path conf = Files.createDirectories(root.resolve("config"));
        Files.createDirectories(root.resolve("data"));
        Files.writeString(conf.resolve("redis.conf"), local(config.get("redis.conf").replace("\ntls-port 6379\n", "\ntls-port " + port + "\n")
                .replace("\nport 6380\n", "\nport " + plainPort + "\n")
                .replace("\ndir /data\n", "\ndir " + root.resolve("data") + "\n").replace("bind * -::*", "bind " + host)));
        Files.writeString(conf.resolve("sentinel.conf"), local(config.get("sentinel.conf").replace("tls-port 26379", "tls-port " + sentinelPort)
                .replace("bind * -::*", "bind " + host).replace("\ndir /tmp\n", "\ndir " + root + "\n")
                .replace("@MASTER_HOST@ 6379 2", "@MASTER_HOST@ " + port + " 1")
                .replace("down-after-milliseconds mymaster 5000", "down-after-milliseconds mymaster 2000")));
        return root;
    }

    /** The rendered /tls paths pointed at this test's Secret volume. */
    String local(String text) {
        return text.replace(" " + TlsFiles.DIR + "/", " " + tls + "/");
    }

    Proc.Background start(String pod, String host, String script) throws Exception {
        Path root = tmp.resolve(pod);
        return new Proc.Background(List.of("sh", scripts.resolve(script).toString()), env(pod, host, root), root.resolve("log-" + System.nanoTime()));
    }

    /** redis-cli over TLS (the CA, and this pod's certificate as client certificate), as the scripts run it. */
    String cli(String host, int p, String password, String... args) {
        List<String> cmd = new ArrayList<>(List.of("redis-cli", "--tls", "--cacert", tls.resolve("ca.crt").toString(),
                "--cert", tls.resolve("tls.crt").toString(), "--key", tls.resolve("tls.key").toString(), "-h", host, "-p", Integer.toString(p)));
        cmd.addAll(List.of(args));
        return run(cmd, password);
    }

    /** redis-cli over TLS trusting the CA but presenting no certificate: a client library set up with the CA only. */
    String cliWithoutCertificate(String host, int p, String password, String... args) {
        List<String> cmd = new ArrayList<>(List.of("redis-cli", "--tls", "--cacert", tls.resolve("ca.crt").toString(), "-h", host, "-p",
                Integer.toString(p)));
        cmd.addAll(List.of(args));
        return run(cmd, password);
    }

    /** Plain-text redis-cli. */
    static String plainCli(String host, int p, String password, String... args) {
        List<String> cmd = new ArrayList<>(List.of("redis-cli", "-h", host, "-p", Integer.toString(p)));
        cmd.addAll(List.of(args));
        return run(cmd, password);
    }

    static String run(List<String> cmd, String password) {
        Proc.Result r = Proc.run(cmd, password == null ? Map.of() : Map.of("REDISCLI_AUTH", password), Duration.ofSeconds(10));
        return (r.stdout() + r.stderr()).strip();
    }

    boolean role(String host, String role) {
        String info = cli(host, port, PASSWORD, "INFO", "replication");
        return info.contains("role:" + role) && (role.equals("master") || info.contains("master_link_status:up"));
    }

    String sentinelField(String key) {
        List<String> flat = cli(SENTINEL_HOST, sentinelPort, SENTINEL_PASSWORD, "SENTINEL", "MASTER", "mymaster").lines().toList();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            if (flat.get(i).equals(key)) {
                return flat.get(i + 1);
            }
        }
        return null;
    }

    /** A TLS handshake with HOST:PORT (trusting the CA); the serial of the certificate the server presents. */
    BigInteger servedSerial(SSLSocketFactory f, String host, int p) throws Exception {
        try (SSLSocket s = (SSLSocket) f.createSocket()) {
            s.connect(new InetSocketAddress(host, p), 2000);
            s.setSoTimeout(2000);
            s.startHandshake();
            return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    static BigInteger fileSerial(Path crt) throws Exception {
        try (InputStream in = Files.newInputStream(crt)) {
            return ((X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in)).getSerialNumber();
        }
    }

    /** One RESP command on an open connection; the first line of the answer. */
    static String call(Socket s, String... args) throws Exception {
        StringBuilder b = new StringBuilder("*" + args.length + "\r\n");
        for (String a : args) {
            b.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        }
        OutputStream out = s.getOutputStream();
        out.write(b.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        InputStream in = s.getInputStream();
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    void requireBinaries() {
        Binaries.require("redis-server");
        Binaries.require("redis-sentinel");
        Binaries.require("redis-cli");
        Binaries.require("openssl");
    }

    @Test
    void everyConnectionSpeaksTlsAndARenewedCertificateNeedsNoRestart() throws Exception {
        sentinelDeployment(false);
    }

    /**
     * Mutual TLS ({@code authClients: "yes"}): the same pods, scripts, exporter and proxy keep working with the pod's certificate
     * (replication, the probes, prestop.sh's hand-over, the guard recording the new master, the Sentinel's notification script
     * setting its info-period, the exporter's scrape, HAProxy's checks and routing), and a client that trusts the CA but
     * presents no certificate is refused by Redis, the Sentinel and the HAProxy frontend (with {@code optional} the same
     * client is served: the other test checks that).
     */
    @Test
    void mutualTlsKeepsEveryComponentWorkingAndRefusesAClientWithoutCertificate() throws Exception {
        sentinelDeployment(true);
    }

    void sentinelDeployment(boolean mutual) throws Exception {
        requireBinaries();
        Path haproxy = Binaries.require("haproxy");
        Path exporterBinary = Binaries.require("prometheus-redis-exporter");
        port = Proc.freePort();
        sentinelPort = Proc.freePort();
        scripts = ScriptFiles.materialize(tmp.resolve("scripts"));
        ca = ThrowawayCa.create(tmp.resolve("ca"));
        tls = Files.createDirectories(tmp.resolve("tls"));
        renew("1");
        render(mutual ? "{authClients: \"yes\"}" : "{}");
        String authClients = mutual ? "yes" : "optional";

        // What is rendered: TLS on the usual ports, the plain ones closed, the Secret mounted, the exporter on rediss://.
        assertThat(config.get("redis.conf")).contains("\nport 0\n", "\ntls-port 6379\n", "\ntls-cert-file /tls/tls.crt\n",
                "\ntls-key-file /tls/tls.key\n", "\ntls-ca-cert-file /tls/ca.crt\n", "\ntls-auth-clients " + authClients + "\n", "\ntls-replication yes\n")
                .doesNotContain("\nport 6379\n", "tls-cluster");
        assertThat(config.get("sentinel.conf")).contains("\nport 0\n", "\ntls-port 26379\n", "\ntls-replication yes\n",
                "\ntls-cert-file /tls/tls.crt\n", "\ntls-auth-clients " + authClients + "\n");
        assertThat(volumes).anySatisfy(v -> {
            assertThat(v.getSecret()).isNotNull();
            assertThat(v.getSecret().getSecretName()).isEqualTo("redis-tls");
        });
        assertThat(containerEnv.get("redis")).containsEntry("TLS_DIR", "/tls");
        assertThat(containerEnv.get("sentinel")).containsEntry("TLS_DIR", "/tls");
        assertThat(containerEnv.get("redis-exporter")).containsEntry("REDIS_ADDR", "rediss://localhost:6379")
                .containsEntry("REDIS_EXPORTER_TLS_CA_CERT_FILE", "/tls/ca.crt");

        pod("redis-0", HOST0);
        pod("redis-1", HOST1);
        pod("redis-sentinel-0", SENTINEL_HOST);
        Proc.Background pod1 = null;
        try (Proc.Background pod0 = start("redis-0", HOST0, "redis-start.sh");
             Proc.Background sentinel = start("redis-sentinel-0", SENTINEL_HOST, "sentinel-start.sh")) {
            pod1 = start("redis-1", HOST1, "redis-start.sh");
            Proc.Background p1 = pod1;
            // Replication over TLS (tls-replication yes).
            assertThat(Proc.await(Duration.ofSeconds(30), () -> role(HOST1, "slave"))).as("pod 1 replicates pod 0; log:\n" + p1.logText()).isTrue();
            assertThat(role(HOST0, "master")).as(pod0.logText()).isTrue();
            assertThat(Proc.await(Duration.ofSeconds(10), () -> "OK".equals(cli(HOST0, port, PASSWORD, "SET", "k", "v")))).isTrue();
            assertThat(cli(HOST0, port, PASSWORD, "WAIT", "1", "2000")).isEqualTo("1");
            assertThat(cli(HOST1, port, PASSWORD, "GET", "k")).isEqualTo("v");

            // The plain-text port is closed, and plain text on the TLS port gets no answer.
            assertThat(cli(HOST0, port, PASSWORD, "CONFIG", "GET", "port")).isEqualTo("port\n0");
            Proc.Result plain = Proc.run(List.of("redis-cli", "-h", HOST0, "-p", Integer.toString(port), "PING"),
                    Map.of("REDISCLI_AUTH", PASSWORD), Duration.ofSeconds(10));
            assertThat(plain.stdout() + plain.stderr()).doesNotContain("PONG");
            Proc.Result plainSentinel = Proc.run(List.of("redis-cli", "-h", SENTINEL_HOST, "-p", Integer.toString(sentinelPort), "PING"),
                    Map.of("REDISCLI_AUTH", SENTINEL_PASSWORD), Duration.ofSeconds(10));
            assertThat(plainSentinel.stdout() + plainSentinel.stderr()).doesNotContain("PONG");

            // A client that trusts the CA but has no certificate: refused with mutual TLS, served without.
            if (mutual) {
                assertThat(cliWithoutCertificate(HOST0, port, PASSWORD, "PING")).doesNotContain("PONG");
                assertThat(cliWithoutCertificate(SENTINEL_HOST, sentinelPort, SENTINEL_PASSWORD, "PING")).doesNotContain("PONG");
            } else {
                assertThat(cliWithoutCertificate(HOST0, port, PASSWORD, "PING")).isEqualTo("PONG");
                assertThat(cliWithoutCertificate(SENTINEL_HOST, sentinelPort, SENTINEL_PASSWORD, "PING")).isEqualTo("PONG");
            }

            // The probes (common.sh's redis-cli with --tls).
            for (String probe : List.of("readiness.sh", "liveness.sh")) {
                Proc.Result r = Proc.run(List.of("sh", scripts.resolve(probe).toString()), env("redis-1", HOST1, tmp.resolve("redis-1")),
                        Duration.ofSeconds(20));
                assertThat(r.exitCode()).as(probe + ": " + r.stdout() + r.stderr()).isZero();
            }

            // redis_exporter over TLS, with the rendered env (the address moved from localhost to this pod's loopback address).
            int metricsPort = Proc.freePort();
            Map<String, String> xenv = new HashMap<>();
            containerEnv.get("redis-exporter").forEach((k, v) -> {
                if (!v.startsWith("secret:") && !v.equals("field")) {
                    xenv.put(k, local(" " + v).substring(1));
                }
            });
            xenv.put("REDIS_PASSWORD", PASSWORD);
            xenv.put("REDIS_ADDR", xenv.get("REDIS_ADDR").replace("localhost:6379", HOST0 + ":" + port));
            xenv.put("REDIS_EXPORTER_WEB_LISTEN_ADDRESS", "127.0.0.1:" + metricsPort);
            assertThat(xenv.get("REDIS_EXPORTER_TLS_CA_CERT_FILE")).isEqualTo(tls.resolve("ca.crt").toString());
            try (Proc.Background exporter = new Proc.Background(List.of(exporterBinary.toString()), xenv, tmp.resolve("exporter.log"))) {
                HttpClient http = HttpClient.newHttpClient();
                String[] body = {""};
                assertThat(Proc.await(Duration.ofSeconds(20), () -> {
                    try {
                        body[0] = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(),
                                HttpResponse.BodyHandlers.ofString()).body();
                        return body[0].contains("\nredis_up 1");
                    } catch (Exception e) {
                        return false;
                    }
                })).as(exporter.logText() + body[0]).isTrue();
                assertThat(body[0]).contains("redis_connected_slaves 1", "redis_exporter_last_scrape_error{err=\"\"} 0");
            }

            // Sentinel over TLS: it sees the replica (it reached both over TLS), and fails over when prestop.sh asks.
            assertThat(Proc.await(Duration.ofSeconds(30), () -> "1".equals(sentinelField("num-slaves"))))
                    .as("sentinel sees the replica; log:\n" + sentinel.logText()).isTrue();
            // sentinel-notify.sh, run by the Sentinel on +monitor, set its periods over TLS (the defaults are 10000, 1000, 2000).
            assertThat(Proc.await(Duration.ofSeconds(20), () -> cli(SENTINEL_HOST, sentinelPort, SENTINEL_PASSWORD, "SENTINEL", "DEBUG")
                    .toLowerCase(java.util.Locale.ROOT).matches("(?s).*info-period\n1000\n.*ping-period\n250\n.*publish-period\n500\n.*")))
                    .as("notify set info-period, ping-period and publish-period; " + cli(SENTINEL_HOST, sentinelPort, SENTINEL_PASSWORD,
                    "SENTINEL", "DEBUG") + "\nlog:\n" + sentinel.logText()).isTrue();
            Proc.Result stop = Proc.run(List.of("sh", scripts.resolve("prestop.sh").toString()), env("redis-0", HOST0, tmp.resolve("redis-0")),
                    Duration.ofSeconds(60));
            assertThat(stop.stderr()).as(sentinel.logText()).contains("handed over");
            assertThat(Proc.await(Duration.ofSeconds(30), () -> HOST1.equals(sentinelField("ip")) && role(HOST1, "master")
                    && role(HOST0, "slave"))).as("failover to pod 1; sentinel log:\n" + sentinel.logText()).isTrue();
            assertThat(cli(HOST1, port, PASSWORD, "GET", "k")).isEqualTo("v");
            // Pod 1's split-brain guard (INFO to its own Redis every second) recorded that it is master now.
            Path lastMaster = tmp.resolve("redis-1/data/.redisgen/last-master");
            assertThat(Proc.await(Duration.ofSeconds(10), () -> {
                try {
                    return Files.readString(lastMaster).strip().equals(HOST1 + " " + port);
                } catch (java.io.IOException e) {
                    return false;
                }
            })).as("the guard records the promotion; log:\n" + p1.logText()).isTrue();

            // The HAProxy write endpoint: TLS to clients (a PEM built at start into its emptyDir), to Redis and to the Sentinel.
            int masterPort = Proc.freePort();
            int replicaPort = Proc.freePort();
            // tls.plainPort kept: plain-text binds beside TLS on both frontends (the servers still over TLS).
            int plainMasterPort = Proc.freePort();
            int plainReplicaPort = Proc.freePort();
            HaproxySpec spec = new HaproxySpec("mymaster", List.of(HOST0, HOST1), port, List.of(SENTINEL_HOST), sentinelPort, 1, masterPort,
                    replicaPort, 0, true, false, true, 500, authClients, plainMasterPort, plainReplicaPort);
            Path proxyTmp = Files.createDirectories(tmp.resolve("proxy-tmp"));
            Files.writeString(tmp.resolve("haproxy.cfg"), local(HaproxyConf.render(spec)).replace(HaproxyConf.PEM, proxyTmp + "/tls/tls.pem"));
            assertThat(Files.readString(tmp.resolve("haproxy.cfg"))).contains("ssl crt " + proxyTmp + "/tls/tls.pem", "check-ssl",
                    "ssl verify required ca-file " + tls + "/ca.crt");
            // The rendered reload loop beside it (the proxy ConfigMap's tls-reload.sh), every second here instead of 10 s.
            Files.writeString(tmp.resolve("proxy-" + HaproxyConf.RELOAD_SCRIPT), HaproxyConf.reloadScript());
            // As the kubelet runs a command: $$ reduced to $ (the rendered one has none).
            String startProxy = local(" " + HaproxyConf.TLS_START).substring(1).replace("$$", "$").replace("/tmp/tls", proxyTmp + "/tls")
                    .replace("/config/haproxy.cfg", tmp.resolve("haproxy.cfg").toString()).replace("{ haproxy -W", "{ " + haproxy + " -W")
                    .replace("/config/" + HaproxyConf.RELOAD_SCRIPT, tmp.resolve("proxy-" + HaproxyConf.RELOAD_SCRIPT).toString());
            assertThat(startProxy).doesNotContain("/config/");
            Proc.Background proxy = new Proc.Background(List.of("sh", "-c", startProxy), Map.of("REDIS_PASSWORD", PASSWORD, "SENTINEL_PASSWORD",
                    SENTINEL_PASSWORD, "TLS_DIR", tls.toString(), "HAPROXY_PEM", proxyTmp + "/tls/tls.pem", "TLS_RELOAD_SECONDS", "1"),
                    tmp.resolve("haproxy.log"));
            try {
                assertThat(Proc.await(Duration.ofSeconds(20), () -> "OK".equals(cli("127.0.0.1", masterPort, PASSWORD, "SET", "k2", "via-proxy"))))
                        .as("a write through the proxy; log:\n" + proxy.logText()).isTrue();
                assertThat(cli(HOST1, port, PASSWORD, "GET", "k2")).isEqualTo("via-proxy");
                // The checks log in with the password "tls pw-1" (a space: one RESP argument, not two words).
                assertThat(proxy.logText()).as("no check failed at AUTH").doesNotContain("expect string '+OK'");
                assertThat(cli("127.0.0.1", masterPort, PASSWORD, "INFO", "replication")).contains("role:master");
                assertThat(Proc.await(Duration.ofSeconds(20), () -> cli("127.0.0.1", replicaPort, PASSWORD, "INFO", "replication")
                        .contains("role:slave"))).as(proxy.logText()).isTrue();
                assertThat(Files.getPosixFilePermissions(proxyTmp.resolve("tls/tls.pem"))).containsExactlyInAnyOrder(
                        java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
                // The plain-text binds: a client without TLS writes through the read-write one and reads through the read-only one;
                // the TLS binds still refuse plain text.
                assertThat(plainCli("127.0.0.1", plainMasterPort, PASSWORD, "SET", "k3", "plain-via-proxy")).as(proxy.logText()).isEqualTo("OK");
                assertThat(cli(HOST1, port, PASSWORD, "GET", "k3")).isEqualTo("plain-via-proxy");
                assertThat(Proc.await(Duration.ofSeconds(20), () -> plainCli("127.0.0.1", plainReplicaPort, PASSWORD, "INFO", "replication")
                        .contains("role:slave"))).as(proxy.logText()).isTrue();
                assertThat(plainCli("127.0.0.1", masterPort, PASSWORD, "PING")).doesNotContain("PONG");
                String withoutCertificate = cliWithoutCertificate("127.0.0.1", masterPort, PASSWORD, "PING");
                if (mutual) {
                    assertThat(withoutCertificate).as("the proxy's frontend refuses a client without a certificate").doesNotContain("PONG");
                } else {
                    assertThat(withoutCertificate).isEqualTo("PONG");
                }
            if (mutual) {
                return; // the rotation below is the same with either setting; the client socket here presents no certificate
            }

            // Rotation: a renewed certificate (new key, new serial) is swapped into the volume. Redis (tls-reload.sh) serves it to
            // new handshakes within seconds, without a restart; a connection made before keeps working.
            SSLSocketFactory trusting = ca.socketFactory();
            BigInteger before = fileSerial(tls.resolve("tls.crt"));
            assertThat(servedSerial(trusting, HOST1, port)).isEqualTo(before);
            String runId = cli(HOST1, port, PASSWORD, "INFO", "server").lines().filter(l -> l.startsWith("run_id:")).findFirst().orElseThrow();
            assertThat(servedSerial(trusting, "127.0.0.1", masterPort)).as("the proxy's frontend").isEqualTo(before);
            // A client connected through the write endpoint before the renewal (the endpoint refuses connections while its checks
            // find no master: try until one is in).
            SSLSocket[] through = {null};
            assertThat(Proc.await(Duration.ofSeconds(20), () -> {
                try {
                    SSLSocket c = (SSLSocket) trusting.createSocket();
                    c.connect(new InetSocketAddress("127.0.0.1", masterPort), 2000);
                    c.setSoTimeout(5000);
                    c.startHandshake();
                    if ("+OK".equals(call(c, "AUTH", PASSWORD)) && "+OK".equals(call(c, "SET", "k4", "before-renewal"))) {
                        through[0] = c;
                        return true;
                    }
                    c.close();
                    return false;
                } catch (Exception e) {
                    return false;
                }
            })).as("a connection through the proxy; log:\n" + proxy.logText()).isTrue();
            try (SSLSocket old = (SSLSocket) trusting.createSocket(); SSLSocket oldProxy = through[0]) {
                old.connect(new InetSocketAddress(HOST1, port), 2000);
                old.setSoTimeout(5000);
                old.startHandshake();
                assertThat(call(old, "AUTH", PASSWORD)).isEqualTo("+OK");
                renew("2");
                BigInteger after = fileSerial(tls.resolve("tls.crt"));
                assertThat(after).isNotEqualTo(before);
                long swapped = System.nanoTime();
                assertThat(Proc.await(Duration.ofSeconds(20), () -> {
                    try {
                        return after.equals(servedSerial(trusting, HOST1, port)) && after.equals(servedSerial(trusting, HOST0, port));
                    } catch (Exception e) {
                        return false;
                    }
                })).as("both pods serve the new certificate; log:\n" + p1.logText()).isTrue();
                System.err.printf("TlsLiveTest: the renewed certificate was served %.1f s after the swap%n", (System.nanoTime() - swapped) / 1e9);
                assertThat(call(old, "PING")).as("a connection made before the renewal").isEqualTo("+PONG");
                assertThat(p1.logText()).contains("reloaded the certificate files");
                // HAProxy: its reload loop rebuilt the PEM and reloaded the master-worker process (SIGUSR2): new handshakes get the
                // renewed certificate, the connection made before keeps working (the old worker serves it until it closes).
                assertThat(Proc.await(Duration.ofSeconds(20), () -> {
                    try {
                        return after.equals(servedSerial(trusting, "127.0.0.1", masterPort));
                    } catch (Exception e) {
                        return false;
                    }
                })).as("the proxy serves the new certificate; log:\n" + proxy.logText()).isTrue();
                double proxyServed = (System.nanoTime() - swapped) / 1e9;
                assertThat(call(oldProxy, "EXISTS", "k4")).as("a connection through the proxy made before the renewal").isEqualTo(":1");
                assertThat(call(oldProxy, "PING")).isEqualTo("+PONG");
                long reloaded = System.nanoTime();
                assertThat(Proc.await(Duration.ofSeconds(20), () -> "OK".equals(cli("127.0.0.1", masterPort, PASSWORD, "SET", "k5", "new-worker"))))
                        .as("a write through the reloaded proxy; log:\n" + proxy.logText()).isTrue();
                System.err.printf("TlsLiveTest: the proxy served the renewed certificate %.1f s after the swap; a new connection wrote"
                        + " through it %.1f s later%n", proxyServed, (System.nanoTime() - reloaded) / 1e9);
                assertThat(proxy.logText()).contains("HAProxy reloaded (SIGUSR2");
                assertThat(Files.getPosixFilePermissions(proxyTmp.resolve("tls/tls.pem"))).containsExactlyInAnyOrder(
                        java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
                // A stop (SIGTERM to the container's first process) ends HAProxy and the container within seconds, the reload loop
                // beside it (HAProxy as the first process waited for that loop, its child, for the whole grace period).
                long stopAt = System.nanoTime();
                proxy.process.toHandle().destroy();
                assertThat(proxy.process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).as("the proxy stops on SIGTERM; log:\n"
                        + proxy.logText()).isTrue();
                System.err.printf("TlsLiveTest: the proxy stopped %.1f s after SIGTERM%n", (System.nanoTime() - stopAt) / 1e9);
            }
            assertThat(cli(HOST1, port, PASSWORD, "INFO", "server")).as("no restart").contains(runId);
            // Replication and the Sentinel carry on over TLS; a new replica handshake uses the renewed certificate.
            assertThat(cli(HOST1, port, PASSWORD, "SET", "k3", "after-renewal")).isEqualTo("OK");
            assertThat(cli(HOST1, port, PASSWORD, "WAIT", "1", "2000")).isEqualTo("1");
            assertThat(cli(SENTINEL_HOST, sentinelPort, SENTINEL_PASSWORD, "SENTINEL", "get-master-addr-by-name", "mymaster")).startsWith(HOST1);
            } finally {
                proxy.close();
            }
        } finally {
            if (pod1 != null) {
                pod1.close();
            }
        }
    }

    /**
     * {@code tls.plainPort}: Redis keeps plain text open on a second port for clients not yet on TLS, while every peer stays on
     * TLS: the replica reaches its master on the TLS port (the only one Sentinel and the scripts know), the Sentinel has no
     * plain port, and the rendered Services, container ports and NetworkPolicy carry the plain port for clients only.
     */
    @Test
    void aKeptPlainPortServesBesideTlsWhileReplicationStaysOnTls() throws Exception {
        requireBinaries();
        port = Proc.freePort();
        sentinelPort = Proc.freePort();
        plainPort = Proc.freePort();
        scripts = ScriptFiles.materialize(tmp.resolve("scripts"));
        ca = ThrowawayCa.create(tmp.resolve("ca"));
        tls = Files.createDirectories(tmp.resolve("tls"));
        renew("1");
        render("{plainPort: 6380}");

        assertThat(config.get("redis.conf")).contains("\nport 6380\n", "\ntls-port 6379\n", "\ntls-replication yes\n").doesNotContain("\nport 0\n");
        assertThat(config.get("sentinel.conf")).contains("\nport 0\n", "\ntls-port 26379\n");
        StatefulSet sts = objects.stream().filter(o -> o instanceof StatefulSet).map(StatefulSet.class::cast).findFirst().orElseThrow();
        Container redis = sts.getSpec().getTemplate().getSpec().getContainers().stream().filter(c -> c.getName().equals("redis")).findFirst()
                .orElseThrow();
        assertThat(redis.getPorts()).anySatisfy(cp -> {
            assertThat(cp.getName()).isEqualTo("redis-plain");
            assertThat(cp.getContainerPort()).isEqualTo(6380);
        });
        // The probes stay on TLS: none names the plain port.
        assertThat(List.of(redis.getLivenessProbe(), redis.getReadinessProbe()).toString()).doesNotContain("redis-plain", "6380");
        var headless = objects.stream().filter(o -> o instanceof io.fabric8.kubernetes.api.model.Service svc
                && "None".equals(svc.getSpec().getClusterIP()) && svc.getMetadata().getName().endsWith("headless"))
                .map(io.fabric8.kubernetes.api.model.Service.class::cast).findFirst().orElseThrow();
        assertThat(headless.getSpec().getPorts()).anySatisfy(sp -> assertThat(sp.getPort()).isEqualTo(6380));
        var redisPolicy = objects.stream().filter(o -> o instanceof io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy np
                && np.getSpec().getPodSelector().getMatchLabels().getOrDefault("app.kubernetes.io/component", "").equals("redis"))
                .map(io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class::cast).findFirst().orElseThrow();
        // 6380 is open to the clients' rule only: the rule that admits the deployment's own pods (replication, the Sentinels,
        // the proxy, the Jobs) names 6379 alone.
        var rules = redisPolicy.getSpec().getIngress();
        assertThat(rules).anySatisfy(r -> assertThat(r.getPorts()).anySatisfy(pp -> assertThat(pp.getPort().getIntVal()).isEqualTo(6380)));
        assertThat(rules.get(0).getPorts()).extracting(pp -> pp.getPort().getIntVal()).containsExactly(6379);

        pod("redis-0", HOST0);
        pod("redis-1", HOST1);
        pod("redis-sentinel-0", SENTINEL_HOST);
        Proc.Background pod1 = null;
        try (Proc.Background pod0 = start("redis-0", HOST0, "redis-start.sh");
             Proc.Background sentinel = start("redis-sentinel-0", SENTINEL_HOST, "sentinel-start.sh")) {
            pod1 = start("redis-1", HOST1, "redis-start.sh");
            Proc.Background p1 = pod1;
            assertThat(Proc.await(Duration.ofSeconds(30), () -> role(HOST1, "slave"))).as("pod 1 replicates pod 0; log:\n" + p1.logText()).isTrue();
            // Both ports serve: plain text on the kept port, TLS on the usual one; each refuses the other's protocol.
            // role:slave comes before the master counts the replica as good (its first REPLCONF ACK): until then a write is
            // refused with NOREPLICAS (min-replicas-to-write 1), as a CI run saw.
            assertThat(Proc.await(Duration.ofSeconds(15), () -> "OK".equals(plainCli(HOST0, plainPort, PASSWORD, "SET", "plain", "p"))))
                    .as("a write on the kept plain port once pod 1 is a good replica").isTrue();
            assertThat(cli(HOST0, port, PASSWORD, "GET", "plain")).isEqualTo("p");
            assertThat(plainCli(HOST1, plainPort, PASSWORD, "PING")).isEqualTo("PONG");
            assertThat(plainCli(HOST0, port, PASSWORD, "PING")).doesNotContain("PONG");
            assertThat(plainCli(SENTINEL_HOST, sentinelPort, SENTINEL_PASSWORD, "PING")).as("Sentinel keeps no plain port").doesNotContain("PONG");
            assertThat(cli(HOST0, port, PASSWORD, "CONFIG", "GET", "port")).isEqualTo("port\n" + plainPort);
            // Replication stays on TLS: the replica follows the master's TLS port (which speaks nothing else) and announces its own.
            String replica = cli(HOST1, port, PASSWORD, "INFO", "replication");
            assertThat(replica).contains("master_port:" + port, "master_link_status:up");
            assertThat(cli(HOST0, port, PASSWORD, "INFO", "replication")).contains("slave0:ip=" + HOST1 + ",port=" + port + ",");
            assertThat(cli(HOST0, port, PASSWORD, "WAIT", "1", "2000")).isEqualTo("1");
            assertThat(plainCli(HOST1, plainPort, PASSWORD, "GET", "plain")).isEqualTo("p");
            // The Sentinel monitors and names the TLS port.
            assertThat(Proc.await(Duration.ofSeconds(30), () -> "1".equals(sentinelField("num-slaves")))).as(sentinel.logText()).isTrue();
            assertThat(sentinelField("port")).isEqualTo(Integer.toString(port));
        } finally {
            if (pod1 != null) {
                pod1.close();
            }
        }
    }

    @Test
    void aClusterIsCreatedOverTls() throws Exception {
        requireBinaries();
        scripts = ScriptFiles.materialize(tmp.resolve("scripts"));
        ca = ThrowawayCa.create(tmp.resolve("ca"));
        tls = Files.createDirectories(tmp.resolve("tls"));
        List<String> ips = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ips.add("127.0.10." + (20 + i));
        }
        for (int i = 0; i < 6; i++) {
            ips.add("127.0.10." + (40 + i));
        }
        ips.add("127.0.10.99");
        ca.issue(tls, List.of("localhost"), ips);
        try (ClusterLab lab = new ClusterLab(tmp.resolve("cluster"), "tlsc", 3, 1, ClusterLab.freeClusterPort(), List.of("deployments[0].tls={}"));
             ClusterLab fresh = new ClusterLab(tmp.resolve("fresh"), "tlsf", 3, 1, ClusterLab.freeClusterPort(), List.of("deployments[0].tls={}"))) {
            assertThat(lab.redisConf).contains("\ntls-port 6379\n", "\nport 0\n", "\ntls-cluster yes\n", "\ntls-replication yes\n");
            assertThat(lab.podEnv).containsEntry("TLS_DIR", "/tls");
            // A TLS handshake per redis-cli call: on this shared 2-core machine (load average up to 25 beside the drills) the
            // 2 s bound of ClusterLab cut some off; the pods' default is 3 s.
            lab.extraEnv.put("REDIS_CLI_TIMEOUT", "5");
            fresh.extraEnv.put("REDIS_CLI_TIMEOUT", "5");
            lab.tls(tls);
            lab.startAll("127.0.10.", 20);
            Proc.Result create = lab.run("sh", "cluster-create.sh", lab.jobEnv(), Duration.ofSeconds(90));
            assertThat(create.exitCode()).as(create.stdout() + create.stderr() + lab.logs()).isZero();
            assertThat(Proc.await(Duration.ofSeconds(30), lab::allOk)).as(lab.logs()).isTrue();
            // The bus speaks TLS too: every node sees every other connected.
            assertThat(lab.cli(0, "CLUSTER", "NODES").lines().filter(l -> l.contains(" connected")).count()).isEqualTo(6);
            assertThat(lab.cli(0, "CONFIG", "GET", "tls-cluster")).isEqualTo("tls-cluster\nyes");
            Proc.Result plain = Proc.run(List.of("redis-cli", "-h", ips.get(0), "-p", Integer.toString(lab.port), "PING"),
                    Map.of("REDISCLI_AUTH", ClusterLab.PASSWORD), Duration.ofSeconds(10));
            assertThat(plain.stdout() + plain.stderr()).doesNotContain("PONG");

            // The backup Job (redis-cli --rdb over TLS) and the restore Job into a fresh TLS cluster: its private server
            // MIGRATEs every key over TLS (tls-cluster yes).
            // Each write retried up to 15 s: a master refuses writes (NOREPLICAS, the cluster's write fence) until it counts
            // its replica as linked, which may come a moment after cluster_state:ok (a CI run's key:17 was refused everywhere).
            for (int i = 0; i < 30; i++) {
                String key = "key:" + i;
                String value = "v" + i;
                assertThat(Proc.await(Duration.ofSeconds(15), () -> onOwner(lab, "OK", "SET", key, value))).as("SET " + key).isTrue();
            }
            Path backups = tmp.resolve("backup");
            Map<String, String> benv = lab.jobEnv();
            benv.put("BACKUP_DIR", backups.toString());
            benv.put("BACKUP_NAME", "hourly");
            Proc.Result backup = lab.run("sh", "backup.sh", benv, Duration.ofSeconds(60));
            assertThat(backup.exitCode()).as(backup.all()).isZero();
            fresh.tls(tls);
            fresh.startAll("127.0.10.", 40);
            Proc.Result created = fresh.run("sh", "cluster-create.sh", fresh.jobEnv(), Duration.ofSeconds(90));
            assertThat(created.exitCode()).as(created.all() + fresh.logs()).isZero();
            Map<String, String> renv = fresh.jobEnv();
            renv.putAll(fresh.restoreJobEnv("hourly/latest"));
            assertThat(renv).containsEntry("TLS_DIR", "/tls");
            renv.put("TLS_DIR", tls.toString());
            renv.put("REDIS_PORT", Integer.toString(fresh.port));
            renv.put("BACKUP_DIR", backups.toString());
            renv.put("RESTORE_LOCAL_HOST", "127.0.10.99");
            renv.put("RESTORE_LOCAL_PORT", Integer.toString(Proc.freePort()));
            Proc.Result restore = fresh.run("sh", "cluster-restore.sh", renv, Duration.ofSeconds(120));
            assertThat(restore.exitCode()).as(restore.all()).isZero();
            assertThat(restore.stderr()).contains("30 keys");
            for (int i = 0; i < 30; i++) {
                assertThat(onOwner(fresh, "v" + i, "GET", "key:" + i)).as("key:" + i + " restored").isTrue();
            }
        }
    }

    /**
     * {@code tls.plainPort} in a Redis Cluster: the bus and the creation Job stay on TLS, and a plain-text client on the kept
     * port is told the plain ports (Redis 7 gossips each node's plain port beside its TLS port and answers a connection with
     * its own kind): CLUSTER SLOTS and MOVED name the plain port, so it can follow the redirections.
     */
    @Test
    void aClusterTellsPlainClientsThePlainPorts() throws Exception {
        requireBinaries();
        scripts = ScriptFiles.materialize(tmp.resolve("scripts"));
        ca = ThrowawayCa.create(tmp.resolve("ca"));
        tls = Files.createDirectories(tmp.resolve("tls"));
        List<String> ips = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ips.add("127.0.10." + (60 + i));
        }
        ca.issue(tls, List.of("localhost"), ips);
        int plain = Proc.freePort();
        try (ClusterLab lab = new ClusterLab(tmp.resolve("cluster"), "tlsp", 3, 1, ClusterLab.freeClusterPort(),
                List.of("deployments[0].tls={plainPort: 6380}"))) {
            assertThat(lab.redisConf).contains("\nport 6380\n", "\ntls-port 6379\n", "\ntls-cluster yes\n");
            lab.redisConf = lab.redisConf.replace("\nport 6380\n", "\nport " + plain + "\n");
            lab.extraEnv.put("REDIS_CLI_TIMEOUT", "5");
            lab.tls(tls);
            lab.startAll("127.0.10.", 60);
            Proc.Result create = lab.run("sh", "cluster-create.sh", lab.jobEnv(), Duration.ofSeconds(90));
            assertThat(create.exitCode()).as(create.stdout() + create.stderr() + lab.logs()).isZero();
            assertThat(Proc.await(Duration.ofSeconds(30), lab::allOk)).as(lab.logs()).isTrue();
            assertThat(Proc.await(Duration.ofSeconds(20), () -> {
                String slots = plainCli(ips.get(0), plain, ClusterLab.PASSWORD, "CLUSTER", "SLOTS");
                return slots.lines().filter(l -> l.equals(Integer.toString(lab.port))).count() == 0
                       && slots.lines().filter(l -> l.equals(Integer.toString(plain))).count() == 6;
            })).as("CLUSTER SLOTS on the plain port names the plain ports: "
                   + plainCli(ips.get(0), plain, ClusterLab.PASSWORD, "CLUSTER", "SLOTS")).isTrue();
            // A key of another shard: MOVED names the plain port (over TLS it names the TLS port).
            for (int i = 0; i < 20; i++) {
                String moved = plainCli(ips.get(0), plain, ClusterLab.PASSWORD, "SET", "key:" + i, "v");
                if (moved.startsWith("MOVED") || moved.contains("MOVED")) {
                    assertThat(moved).endsWith(":" + plain);
                    assertThat(lab.cli(0, "SET", "key:" + i, "v")).contains("MOVED").endsWith(":" + lab.port);
                    return;
                }
            }
            throw new AssertionError("no key of another shard among 20");
        }
    }

    /** Whether some node of LAB answers WANT to the command (the others redirect: the pods' names resolve only in the pods). */
    static boolean onOwner(ClusterLab lab, String want, String... command) {
        for (int n = 0; n < lab.total(); n++) {
            if (want.equals(lab.cli(n, command))) {
                return true;
            }
        }
        return false;
    }
}
