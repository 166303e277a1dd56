package dev.redisgen.profile;

@Doc("A toleration of a node taint, as in a pod spec.")
public record Toleration(
        @Doc("Taint key; absent with `operator: Exists` tolerates every taint.") String key,
        @Default("Equal") @Doc("`Equal` (key and value match) or `Exists` (any value of the key).") TolerationOperator operator,
        @Doc("Taint value for `Equal`; must be absent for `Exists`.") String value,
        @Doc("`NoSchedule`, `PreferNoSchedule` or `NoExecute`; absent matches every effect.") TaintEffect effect,
        @Doc("For `NoExecute`: seconds the pod stays on a node after the taint appears; absent: forever.") Long tolerationSeconds) {
}
