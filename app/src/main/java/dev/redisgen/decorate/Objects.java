package dev.redisgen.decorate;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.function.UnaryOperator;

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

    /** A copy of the workload whose pod template is replaced by {@code edit(template)}. */
    static HasMetadata withTemplate(HasMetadata o, UnaryOperator<PodTemplateSpec> edit) {
        PodTemplateSpec t = edit.apply(template(o));
        if (o instanceof StatefulSet s) return new StatefulSetBuilder(s).editSpec().withTemplate(t).endSpec().build();
        if (o instanceof Deployment d) return new DeploymentBuilder(d).editSpec().withTemplate(t).endSpec().build();
        if (o instanceof Job j) return new JobBuilder(j).editSpec().withTemplate(t).endSpec().build();
        if (o instanceof CronJob c) {
            return new CronJobBuilder(c).editSpec().editJobTemplate().editSpec().withTemplate(t).endSpec().endJobTemplate().endSpec().build();
        }
        throw new IllegalArgumentException("no pod template in " + o.getKind());
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
