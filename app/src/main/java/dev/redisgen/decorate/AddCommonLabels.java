package dev.redisgen.decorate;

import dev.redisgen.plan.Plan;
import io.fabric8.kubernetes.api.builder.TypedVisitor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.builder.VisitableBuilder;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;

/** app.kubernetes.io/part-of and managed-by on every object and pod template (SPEC "Labels"). */
final class AddCommonLabels implements Decorator {
    static final String PART_OF = "app.kubernetes.io/part-of";
    static final String MANAGED_BY = "app.kubernetes.io/managed-by";

    @Override
    public HasMetadata apply(HasMetadata object, Plan plan) {
        return Visit.each(object, new TypedVisitor<ObjectMetaBuilder>() {
            @Override
            public void visit(ObjectMetaBuilder meta) {
                meta.addToLabels(PART_OF, plan.profileName());
                meta.addToLabels(MANAGED_BY, "redisgen");
            }
        });
    }
}
