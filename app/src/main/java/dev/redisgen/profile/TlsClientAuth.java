package dev.redisgen.profile;

@Doc("Whether Redis and Sentinel ask clients for a certificate (`tls-auth-clients`).")
public enum TlsClientAuth {
    /** A client may present a certificate (then it must be valid); without one it still connects. */
    @Spelled("optional") OPTIONAL,
    /** Mutual TLS: every client must present a certificate signed by the CA. */
    @Spelled("yes") YES;

    /** The value of {@code tls-auth-clients}. */
    public String redisName() {
        return SchemaTypes.yamlName(this);
    }
}
