package dev.redisgen.decorate;

import dev.redisgen.plan.Plan;
import dev.redisgen.plan.RedisPlan;
import dev.redisgen.profile.TopologySpread;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import java.util.List;
import java.util.Map;

/**
 * Spreads the pods of each StatefulSet and Deployment evenly over zones and nodes (Polaris topologySpreadConstraint):
 * anti-affinity keeps two pods apart, spreading also balances the rest (5 pods over 3 zones: 2-2-1, not 3-1-1). Soft
 * (ScheduleAnyway) by default: a hard constraint leaves every pod Pending on a cluster whose nodes carry no zone label.
 */
final class AddTopologySpread implements Decorator {

    @Override
    public HasMetadata apply(HasMetadata object, Plan plan) {
        if (!Objects.isServer(object)) {
            return object;
        }
        RedisPlan d = HardenPodSecurity.owner(object, plan);
        var placement = d.placement();
        if (placement.spread() == TopologySpread.NONE) {
            return object;
        }
        Map<String, String> selector = Objects.componentSelector(object);
        String when = placement.spread() == TopologySpread.HARD ? "DoNotSchedule" : "ScheduleAnyway";
        List<TopologySpreadConstraint> constraints = placement.spreadKeys().stream()
                .map(key -> new TopologySpreadConstraintBuilder().withMaxSkew(placement.maxSkew()).withTopologyKey(key)
                        .withWhenUnsatisfiable(when).withNewLabelSelector().withMatchLabels(selector).endLabelSelector().build())
                .toList();
        return Objects.editPodSpec(object, spec -> spec.setTopologySpreadConstraints(constraints));
    }
}
