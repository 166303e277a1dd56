package dev.redisgen.profile;

@Doc("The effect of a node taint.")
public enum TaintEffect {
    @Spelled("NoSchedule") NO_SCHEDULE,
    @Spelled("PreferNoSchedule") PREFER_NO_SCHEDULE,
    @Spelled("NoExecute") NO_EXECUTE;

    public String kubernetesName() {
        return SchemaTypes.yamlName(this);
    }
}
