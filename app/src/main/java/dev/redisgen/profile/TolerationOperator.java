package dev.redisgen.profile;

@Doc("How a toleration matches a taint's value.")
public enum TolerationOperator {
    /** The taint's key and value equal the toleration's. */
    @Spelled("Equal") EQUAL,
    /** Any value of the key (or, without a key, every taint). */
    @Spelled("Exists") EXISTS;

    public String kubernetesName() {
        return SchemaTypes.yamlName(this);
    }
}
