package dev.redisgen.decorate;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Pod-template access across the workload kinds, so each decorator edits templates in one way. */
final class Objects {
    private Objects() {
    }

    static boolean isWorkload(HasMetadata o) {
        return o instanceof StatefulSet || o instanceof Deployment || o instanceof Job || o instanceof CronJob;
    }

    /** Long-running workloads (not Jobs): anti-affinity and config checksums apply to these. */
    static boolean isServer(HasMetadata o) {
        return o instanceof StatefulSet || o instanceof Deployment;
    }

    static PodTemplateSpec template(HasMetadata o) {
        if (o instanceof StatefulSet s) return s.getSpec().getTemplate();
        if (o instanceof Deployment d) return d.getSpec().getTemplate();
        if (o instanceof Job j) return j.getSpec().getTemplate();
        if (o instanceof CronJob c) return c.getSpec().getJobTemplate().getSpec().getTemplate();
        throw new IllegalArgumentException("no pod template in " + o.getKind());
    }

    /** The workload, its pod template's spec edited in place by {@code edit} (made first when the template has none). */
    static HasMetadata editPodSpec(HasMetadata o, Consumer<PodSpec> edit) {
        PodTemplateSpec t = template(o);
        if (t.getSpec() == null) {
            t.setSpec(new PodSpec());
        }
        edit.accept(t.getSpec());
        return o;
    }

    /** The workload, its pod template's metadata edited in place by {@code edit} (made first when there is none). */
    static HasMetadata editPodMetadata(HasMetadata o, Consumer<ObjectMeta> edit) {
        PodTemplateSpec t = template(o);
        if (t.getMetadata() == null) {
            t.setMetadata(new ObjectMeta());
        }
        edit.accept(t.getMetadata());
        return o;
    }

    /**
     * Every ObjectMeta of the object, as a fabric8 visitor of ObjectMetaBuilder would find them in the kinds redisgen
     * renders: the object's own; a workload's pod template's; a CronJob's job template's; a StatefulSet's
     * volumeClaimTemplates'; a generic ephemeral volume's claim template's. {@code AddCommonLabelsTest} walks every
     * rendered object by reflection and fails on an ObjectMeta this list misses.
     */
    static List<ObjectMeta> metadata(HasMetadata o) {
        List<ObjectMeta> all = new ArrayList<>();
        add(all, o.getMetadata());
        if (o instanceof CronJob c && c.getSpec() != null && c.getSpec().getJobTemplate() != null) {
            add(all, c.getSpec().getJobTemplate().getMetadata());
        }
        if (o instanceof StatefulSet s && s.getSpec() != null && s.getSpec().getVolumeClaimTemplates() != null) {
            for (PersistentVolumeClaim claim : s.getSpec().getVolumeClaimTemplates()) {
                add(all, claim.getMetadata());
            }
        }
        if (isWorkload(o) && template(o) != null) {
            PodTemplateSpec t = template(o);
            add(all, t.getMetadata());
            if (t.getSpec() != null && t.getSpec().getVolumes() != null) {
                for (Volume v : t.getSpec().getVolumes()) {
                    if (v.getEphemeral() != null && v.getEphemeral().getVolumeClaimTemplate() != null) {
                        add(all, v.getEphemeral().getVolumeClaimTemplate().getMetadata());
                    }
                }
            }
        }
        return all;
    }

    private static void add(List<ObjectMeta> all, ObjectMeta meta) {
        if (meta != null) {
            all.add(meta);
        }
    }

    /** {@code map} with {@code more} put over it, as a new map (the old one may be shared; null is no map yet). */
    static Map<String, String> plus(Map<String, String> map, Map<String, String> more) {
        Map<String, String> out = map == null ? new LinkedHashMap<>() : new LinkedHashMap<>(map);
        out.putAll(more);
        return out;
    }

    /** The pods of this workload alone, as anti-affinity and spread constraints select them: its instance and component. */
    static java.util.Map<String, String> componentSelector(HasMetadata o) {
        java.util.Map<String, String> selector = new java.util.TreeMap<>();
        selector.put("app.kubernetes.io/instance", label(o, "app.kubernetes.io/instance"));
        selector.put("app.kubernetes.io/component", label(o, "app.kubernetes.io/component"));
        return selector;
    }

    static String label(HasMetadata o, String key) {
        var labels = o.getMetadata().getLabels();
        return labels == null ? null : labels.get(key);
    }
}
