package dev.redisgen.drill;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * A certificate authority made for one drill (or one test) with openssl, valid for two days, its key never leaving the
 * directory it was made in. It issues server-and-client certificates into directories in the shape cert-manager writes a
 * TLS Secret ({@code tls.crt}, {@code tls.key}, {@code ca.crt}), and gives the Java side a socket factory that trusts it:
 * the one place the drill's clients get their TLS from.
 */
public final class ThrowawayCa {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration OPENSSL = Duration.ofSeconds(30);

    private final Path dir;

    private ThrowawayCa(Path dir) {
        this.dir = dir;
    }

    /** A new CA in DIR (ca.key, ca.crt). */
    public static ThrowawayCa create(Path dir) throws IOException {
        Files.createDirectories(dir);
        openssl(dir, "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ca.key");
        openssl(dir, "req", "-x509", "-new", "-key", "ca.key", "-sha256", "-days", "2", "-subj", "/CN=redisgen throw-away CA " + serial(),
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-out", "ca.crt");
        return new ThrowawayCa(dir);
    }

    /** The CA certificate (PEM). */
    public Path caCertificate() {
        return dir.resolve("ca.crt");
    }

    /**
     * A new key and certificate for DNS_NAMES and IPS (server and client auth), written with the CA's certificate into TARGET as
     * tls.key, tls.crt and ca.crt. Every call makes a new key and serial: a renewal.
     */
    public Path issue(Path target, List<String> dnsNames, List<String> ips) throws IOException {
        Files.createDirectories(target);
        String name = "leaf-" + serial();
        List<String> san = new ArrayList<>();
        dnsNames.forEach(n -> san.add("DNS:" + n));
        ips.forEach(i -> san.add("IP:" + i));
        Files.writeString(dir.resolve(name + ".ext"), "subjectAltName=" + String.join(",", san) + "\n"
                + "extendedKeyUsage=serverAuth,clientAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n");
        openssl(dir, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", name + ".key",
                "-subj", "/CN=redisgen", "-out", name + ".csr");
        openssl(dir, "x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-set_serial", "0x" + serial(),
                "-days", "2", "-sha256", "-extfile", name + ".ext", "-out", name + ".crt");
        Files.copy(dir.resolve(name + ".key"), target.resolve("tls.key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(dir.resolve(name + ".crt"), target.resolve("tls.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(caCertificate(), target.resolve("ca.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    /**
     * Sockets that trust this CA only. The peer's chain is verified; its name is not (the drill dials pod IPs that change on
     * recreation, as Redis's own replication and Sentinel do not check names either).
     */
    public SSLSocketFactory socketFactory() throws IOException {
        try (InputStream in = Files.newInputStream(caCertificate())) {
            Certificate ca = CertificateFactory.getInstance("X.509").generateCertificate(in);
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("ca", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), RANDOM);
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot trust " + caCertificate() + ": " + e.getMessage(), e);
        }
    }

    private static String serial() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        b[0] &= 0x7f;
        return HexFormat.of().formatHex(b);
    }

    private static void openssl(Path dir, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        Process p = pb.start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(OPENSSL.toSeconds(), java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " failed: " + new String(out, java.nio.charset.StandardCharsets.UTF_8).strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", cmd), e);
        }
    }
}
