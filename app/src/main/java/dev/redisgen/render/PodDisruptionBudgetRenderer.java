package dev.redisgen.render;

import dev.redisgen.plan.RedisPlan;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.util.ArrayList;
import java.util.List;

/** PDBs that keep quorum (or one copy of every slot) and never block a drain entirely. */
final class PodDisruptionBudgetRenderer {
    private PodDisruptionBudgetRenderer() {
    }

    static List<HasMetadata> render(RedisPlan d, String namespace) {
        List<HasMetadata> out = new ArrayList<>();
        if (d.isStandalone()) {
            // One pod: any PDB either blocks every drain or allows everything; none is honest.
            return out;
        }
        var pdb = new PodDisruptionBudgetBuilder()
                .withNewMetadata().withName(d.names().statefulSet()).withNamespace(namespace).withLabels(Labels.of(d, "redis")).endMetadata()
                .withNewSpec().withNewSelector().withMatchLabels(Labels.selector(d, "redis")).endSelector()
                // A pod that never becomes Ready (crash loop) can always be evicted: the budget protects
                // healthy pods and never blocks a drain on a broken one (SPEC "Disruption").
                .withUnhealthyPodEvictionPolicy("AlwaysAllow");
        if (d.disruption().minAvailable() != null) {
            pdb.withMinAvailable(new IntOrString(d.disruption().minAvailable()));
        } else {
            pdb.withMaxUnavailable(new IntOrString(d.disruption().maxUnavailable()));
        }
        out.add(pdb.endSpec().build());
        if (d.sentinel() != null && d.sentinel().separate()) {
            out.add(simple(d, namespace, d.names().sentinelStatefulSet(), "sentinel", Math.max(1, (d.sentinel().sentinels() - 1) / 2)));
        }
        if (d.proxy() != null && d.proxy().replicas() > 1) {
            out.add(simple(d, namespace, d.names().proxy(), "proxy", 1));
        }
        return out;
    }

    private static HasMetadata simple(RedisPlan d, String namespace, String name, String component, int maxUnavailable) {
        return new PodDisruptionBudgetBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).withLabels(Labels.of(d, component)).endMetadata()
                .withNewSpec().withNewSelector().withMatchLabels(Labels.selector(d, component)).endSelector()
                .withUnhealthyPodEvictionPolicy("AlwaysAllow")
                .withMaxUnavailable(new IntOrString(maxUnavailable)).endSpec()
                .build();
    }
}
