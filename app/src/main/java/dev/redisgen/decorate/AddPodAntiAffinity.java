package dev.redisgen.decorate;

import dev.redisgen.plan.Plan;
import dev.redisgen.plan.RedisPlan;
import dev.redisgen.profile.AntiAffinity;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTermBuilder;
import java.util.List;
import java.util.Map;

/**
 * Spreads the pods of each server workload over the profile's topology keys, so one node (or zone) loss
 * takes at most one Redis, Sentinel or proxy (seed 000 §12, seed 003).
 */
final class AddPodAntiAffinity implements Decorator {

    @Override
    public HasMetadata apply(HasMetadata object, Plan plan) {
        if (!Objects.isServer(object)) {
            return object;
        }
        RedisPlan d = HardenPodSecurity.owner(object, plan);
        var placement = d.placement();
        if (placement.antiAffinity() == AntiAffinity.NONE || d.redisReplicas() < 2 && d.isStandalone()) {
            return object;
        }
        Map<String, String> selector = Objects.componentSelector(object);
        List<PodAffinityTerm> terms = placement.topologyKeys().stream()
                .map(key -> new PodAffinityTermBuilder().withTopologyKey(key).withNewLabelSelector().withMatchLabels(selector).endLabelSelector().build())
                .toList();
        Affinity affinity = placement.antiAffinity() == AntiAffinity.HARD
                ? new AffinityBuilder().withNewPodAntiAffinity().withRequiredDuringSchedulingIgnoredDuringExecution(terms).endPodAntiAffinity().build()
                : new AffinityBuilder().withNewPodAntiAffinity().withPreferredDuringSchedulingIgnoredDuringExecution(terms.stream()
                        .map(t -> new WeightedPodAffinityTermBuilder().withWeight(placement.weight()).withPodAffinityTerm(t).build()).toList())
                        .endPodAntiAffinity().build();
        return Objects.editPodSpec(object, spec -> spec.setAffinity(affinity));
    }
}
