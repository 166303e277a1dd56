package dev.redisgen.explain;

import dev.redisgen.profile.Cpu;
import dev.redisgen.profile.Memory;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.Map;

/**
 * Reads what explain needs from the rendered objects: the very objects {@code render} prints, so every
 * number and name explain shows is the output's, not a second computation of it.
 */
final class Manifests {
    static final String INSTANCE = "app.kubernetes.io/instance";
    static final String COMPONENT = "app.kubernetes.io/component";

    private Manifests() {
    }

    static String label(HasMetadata o, String key) {
        Map<String, String> labels = o.getMetadata().getLabels();
        return labels == null ? null : labels.get(key);
    }

    /** The deployment (profile entry) an object belongs to. */
    static String instance(HasMetadata o) {
        return label(o, INSTANCE);
    }

    static boolean isWorkload(HasMetadata o) {
        return o instanceof StatefulSet || o instanceof Deployment || o instanceof Job || o instanceof CronJob;
    }

    static PodTemplateSpec template(HasMetadata o) {
        if (o instanceof StatefulSet s) {
            return s.getSpec().getTemplate();
        }
        if (o instanceof Deployment d) {
            return d.getSpec().getTemplate();
        }
        if (o instanceof Job j) {
            return j.getSpec().getTemplate();
        }
        if (o instanceof CronJob c) {
            return c.getSpec().getJobTemplate().getSpec().getTemplate();
        }
        throw new IllegalArgumentException(o.getKind() + " has no pod template");
    }

    static PodSpec pod(HasMetadata o) {
        return template(o).getSpec();
    }

    /** Pods the workload keeps running: replicas, or one pod per Job run. */
    static int replicas(HasMetadata o) {
        if (o instanceof StatefulSet s) {
            return orOne(s.getSpec().getReplicas());
        }
        if (o instanceof Deployment d) {
            return orOne(d.getSpec().getReplicas());
        }
        if (o instanceof Job j) {
            return orOne(j.getSpec().getParallelism());
        }
        return orOne(((CronJob) o).getSpec().getJobTemplate().getSpec().getParallelism());
    }

    /**
     * Pods of this workload that can exist at once: a Deployment's rolling update adds its maxSurge (an
     * integer here; a percentage is rounded up as Kubernetes does), a StatefulSet replaces pods one at a time.
     */
    static int peakPods(HasMetadata o) {
        int replicas = replicas(o);
        if (o instanceof Deployment d && d.getSpec().getStrategy() != null && d.getSpec().getStrategy().getRollingUpdate() != null) {
            IntOrString surge = d.getSpec().getStrategy().getRollingUpdate().getMaxSurge();
            if (surge != null && surge.getIntVal() != null) {
                return replicas + surge.getIntVal();
            }
            if (surge != null && surge.getStrVal() != null && surge.getStrVal().endsWith("%")) {
                int percent = Integer.parseInt(surge.getStrVal().substring(0, surge.getStrVal().length() - 1));
                return replicas + (replicas * percent + 99) / 100;
            }
        }
        return replicas;
    }

    static List<PersistentVolumeClaim> claimTemplates(HasMetadata o) {
        if (o instanceof StatefulSet s && s.getSpec().getVolumeClaimTemplates() != null) {
            return s.getSpec().getVolumeClaimTemplates();
        }
        return List.of();
    }

    static Memory claimSize(PersistentVolumeClaim c) {
        return memory(c.getSpec().getResources().getRequests().get("storage"));
    }

    static int orOne(Integer n) {
        return n == null ? 1 : n;
    }

    static List<Container> containers(PodSpec spec) {
        return spec.getContainers() == null ? List.of() : spec.getContainers();
    }

    static List<Container> initContainers(PodSpec spec) {
        return spec.getInitContainers() == null ? List.of() : spec.getInitContainers();
    }

    /** A container's request or limit of a resource; absent counts as zero (resources-complete refuses that before render). */
    static Quantity amount(Container c, boolean limits, String resource) {
        if (c.getResources() == null) {
            return null;
        }
        Map<String, Quantity> m = limits ? c.getResources().getLimits() : c.getResources().getRequests();
        return m == null ? null : m.get(resource);
    }

    static Cpu cpu(Quantity q) {
        return q == null ? Cpu.ofMillis(0) : Cpu.parse(text(q));
    }

    static Memory memory(Quantity q) {
        return q == null ? Memory.ofBytes(0) : Memory.parse(text(q));
    }

    private static String text(Quantity q) {
        return q.getAmount() + (q.getFormat() == null ? "" : q.getFormat());
    }

    /** The Service's type as the API server defaults it: ClusterIP when the object leaves it out. */
    static String serviceType(Service s) {
        return s.getSpec().getType() == null ? "ClusterIP" : s.getSpec().getType();
    }

    static String serviceDns(String service, String namespace, String domain) {
        return service + "." + namespace + ".svc." + domain;
    }

    /** The port number a Service publishes under a port name, or -1. */
    static int servicePort(Service s, String name) {
        return s.getSpec().getPorts().stream().filter(p -> name.equals(p.getName())).mapToInt(p -> p.getPort()).findFirst().orElse(-1);
    }
}
