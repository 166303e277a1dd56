package dev.redisgen.plan;

import dev.redisgen.profile.LimitRangeSpec;
import dev.redisgen.profile.PodSecurityLevel;
import dev.redisgen.profile.ResourceQuotaSpec;
import java.util.List;
import java.util.Map;

/**
 * Every decision redisgen makes for one profile. Renderers read only this.
 *
 * @param clusterDomain the cluster's DNS domain (each deployment's plan carries it too, for its pods' names)
 */
public record Plan(String profileName, String clusterDomain, NamespacePlan namespace, List<RedisPlan> deployments) {

    public Plan {
        deployments = List.copyOf(deployments);
    }

    /** The namespace and what its admission enforces. */
    public record NamespacePlan(String name, boolean create, PodSecurityLevel podSecurity, Map<String, String> labels,
                                LimitRangeSpec limitRange, ResourceQuotaSpec resourceQuota) {
    }

    /** Every pod template the plan produces, across deployments, in a stable order. */
    public List<PodPlan> pods() {
        return deployments.stream().flatMap(d -> d.pods().stream()).toList();
    }
}
