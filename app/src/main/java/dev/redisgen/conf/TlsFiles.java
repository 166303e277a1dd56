package dev.redisgen.conf;

/**
 * Where the TLS Secret (cert-manager's shape: tls.crt, tls.key, ca.crt) is mounted read-only in every pod that speaks TLS.
 * Kubernetes updates a Secret volume by swapping a symlink, so these paths stay valid across a renewal.
 */
public final class TlsFiles {
    public static final String DIR = "/tls";
    public static final String CERT = DIR + "/tls.crt";
    public static final String KEY = DIR + "/tls.key";
    public static final String CA = DIR + "/ca.crt";

    private TlsFiles() {
    }
}
