package dev.redisgen.profile;

@Doc("The cert-manager `Certificate` redisgen renders: its DNS names are the deployment's Services, the per-pod names "
        + "`*.<headless>.<namespace>.svc[.<clusterDomain>]`, `localhost`, and IP address 127.0.0.1.")
public record CertManagerSpec(
        @Required @Doc("Name of the cert-manager issuer that signs it (an issuer with a CA, so that `ca.crt` is filled).") String issuer,
        @Default("Issuer") @Doc("`Issuer` (in the deployment's namespace) or `ClusterIssuer`.") IssuerKind kind,
        @Default("2160h") @Doc("Lifetime of each certificate (a Go duration: `h`, `m`, `s`).") String duration,
        @Default("720h") @Doc("How long before expiry cert-manager renews it; Redis picks the renewed files up without a restart.")
        String renewBefore) {
}
