package dev.redisgen.profile;

@Doc("The kind of the cert-manager issuer a `Certificate` names.")
public enum IssuerKind {
    /** An issuer in the deployment's namespace. */
    @Spelled("Issuer") ISSUER,
    /** A cluster-wide issuer. */
    @Spelled("ClusterIssuer") CLUSTER_ISSUER;

    /** The value of {@code issuerRef.kind}. */
    public String kubernetesName() {
        return SchemaTypes.yamlName(this);
    }
}
