package dev.redisgen.decorate;

import dev.redisgen.plan.Plan;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.LinkedHashMap;
import java.util.Map;

/** app.kubernetes.io/part-of and managed-by on every object and pod template (SPEC "Labels"). */
final class AddCommonLabels implements Decorator {
    static final String PART_OF = "app.kubernetes.io/part-of";
    static final String MANAGED_BY = "app.kubernetes.io/managed-by";

    @Override
    public HasMetadata apply(HasMetadata object, Plan plan) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(PART_OF, plan.profileName());
        labels.put(MANAGED_BY, "redisgen");
        for (ObjectMeta meta : Objects.metadata(object)) {
            meta.setLabels(Objects.plus(meta.getLabels(), labels));
        }
        return object;
    }
}
