package dev.redisgen.render;

import dev.redisgen.plan.Plan;
import dev.redisgen.profile.LimitRangeSpec;
import dev.redisgen.profile.ResourceQuotaSpec;
import dev.redisgen.profile.Resources;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LimitRangeBuilder;
import io.fabric8.kubernetes.api.model.LimitRangeItemBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Namespace, ResourceQuota and LimitRange, when the profile owns them. */
final class NamespaceRenderer {
    private NamespaceRenderer() {
    }

    static List<HasMetadata> render(Plan plan) {
        var ns = plan.namespace();
        List<HasMetadata> out = new ArrayList<>();
        if (ns.create()) {
            Map<String, String> labels = new TreeMap<>(ns.labels());
            String level = ns.podSecurity().name().toLowerCase(Locale.ROOT);
            labels.put("pod-security.kubernetes.io/enforce", level);
            labels.put("pod-security.kubernetes.io/audit", level);
            labels.put("pod-security.kubernetes.io/warn", level);
            out.add(new NamespaceBuilder().withNewMetadata().withName(ns.name()).withLabels(labels).endMetadata().build());
        }
        ResourceQuotaSpec q = ns.resourceQuota();
        if (q != null && q.render()) {
            Map<String, Quantity> hard = new TreeMap<>();
            put(hard, "requests.cpu", q.requestsCpu());
            put(hard, "requests.memory", q.requestsMemory());
            put(hard, "limits.cpu", q.limitsCpu());
            put(hard, "limits.memory", q.limitsMemory());
            put(hard, "requests.storage", q.requestsStorage());
            put(hard, "persistentvolumeclaims", q.persistentVolumeClaims());
            put(hard, "pods", q.pods());
            put(hard, "services", q.services());
            out.add(new ResourceQuotaBuilder()
                    .withNewMetadata().withName(plan.profileName()).withNamespace(ns.name()).endMetadata()
                    .withNewSpec().withHard(hard).endSpec().build());
        }
        LimitRangeSpec lr = ns.limitRange();
        if (lr != null && lr.render()) {
            var item = new LimitRangeItemBuilder().withType("Container");
            if (lr.min() != null) item.withMin(amounts(lr.min()));
            if (lr.max() != null) item.withMax(amounts(lr.max()));
            if (lr.maxLimitRequestRatio() != null) {
                Map<String, Quantity> ratio = new TreeMap<>();
                put(ratio, "cpu", lr.maxLimitRequestRatio().cpu());
                put(ratio, "memory", lr.maxLimitRequestRatio().memory());
                item.withMaxLimitRequestRatio(ratio);
            }
            out.add(new LimitRangeBuilder()
                    .withNewMetadata().withName(plan.profileName()).withNamespace(ns.name()).endMetadata()
                    .withNewSpec().withLimits(item.build()).endSpec().build());
        }
        return out;
    }

    private static Map<String, Quantity> amounts(Resources.Amounts a) {
        Map<String, Quantity> m = new TreeMap<>();
        put(m, "cpu", a.cpu());
        put(m, "memory", a.memory());
        return m;
    }

    private static void put(Map<String, Quantity> m, String key, Object value) {
        if (value == null) {
            return;
        }
        String text = value instanceof BigDecimal b ? b.stripTrailingZeros().toPlainString() : value.toString();
        m.put(key, new Quantity(text));
    }
}
