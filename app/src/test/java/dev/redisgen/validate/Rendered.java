package dev.redisgen.validate;

import dev.redisgen.emit.YamlWriter;
import dev.redisgen.pipeline.Pipeline;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/** The rendered output of the built-in profiles, rendered once per JVM, and views on it. */
final class Rendered {
    /**
     * The built-ins, and a profile that sets every scheduling and packaging field (node selector, tolerations,
     * priority class, pull Secrets, pod and Service metadata, exposed Services, cluster domain, storage classes), and TLS: a
     * Sentinel deployment with a cert-manager Certificate, a single cache with an existing Secret, a Redis Cluster.
     */
    static final List<String> PROFILES = List.of("jewelry-shop", "gateway-ha", "airflow", "analytics-cluster",
            "app/src/test/resources/profiles/valid/scheduling-and-exposure.yaml", "app/src/test/resources/profiles/valid/tls.yaml",
            "app/src/test/resources/profiles/valid/tls-plain-port.yaml", "app/src/test/resources/drill/analytics-cluster-tls.yaml");

    private static final Map<String, List<HasMetadata>> OBJECTS = new ConcurrentHashMap<>();

    private Rendered() {
    }

    /** Objects rendered elsewhere (a mutant of the corpus test), checked by the same views under {@code key}. */
    static void register(String key, List<HasMetadata> objects) {
        OBJECTS.put(key, List.copyOf(objects));
    }

    static void forget(String key) {
        OBJECTS.remove(key);
    }

    static List<HasMetadata> objects(String profile) {
        return OBJECTS.computeIfAbsent(profile, p -> List.copyOf(Pipeline.render(p).objects()));
    }

    /** The exact multi-document YAML that `redisgen render` prints. */
    static String yaml(String profile) {
        return YamlWriter.write(objects(profile));
    }

    static <T extends HasMetadata> List<T> of(String profile, Class<T> type) {
        return objects(profile).stream().filter(type::isInstance).map(type::cast).toList();
    }

    static String id(HasMetadata o) {
        return o.getKind() + "/" + o.getMetadata().getName();
    }

    /**
     * One pod template and how many pods of it can exist at once: replicas for StatefulSet and
     * Deployment, parallelism for a Job, one for each CronJob (concurrencyPolicy aside, a quota
     * must hold the one run it starts).
     */
    record Workload(HasMetadata owner, PodTemplateSpec template, int pods, List<PersistentVolumeClaim> claimTemplates) {
        String id() {
            return Rendered.id(owner);
        }

        PodSpec spec() {
            return template.getSpec();
        }

        Map<String, String> labels() {
            Map<String, String> l = template.getMetadata() == null ? null : template.getMetadata().getLabels();
            return l == null ? Map.of() : l;
        }

        String namespace() {
            return owner.getMetadata().getNamespace();
        }

        /**
         * The label sets the pods will carry: the template's labels, and for a StatefulSet also the
         * labels its controller adds to each pod (statefulset.kubernetes.io/pod-name and, since
         * v1.28, apps.kubernetes.io/pod-index), which per-pod Services select.
         */
        List<Map<String, String>> podLabelSets() {
            if (!(owner instanceof StatefulSet)) {
                return List.of(labels());
            }
            List<Map<String, String>> out = new ArrayList<>();
            for (int i = 0; i < pods; i++) {
                Map<String, String> l = new java.util.TreeMap<>(labels());
                l.put("statefulset.kubernetes.io/pod-name", owner.getMetadata().getName() + "-" + i);
                l.put("apps.kubernetes.io/pod-index", Integer.toString(i));
                out.add(l);
            }
            return out;
        }

        /** Whether the selector selects at least one of this workload's pods. */
        boolean selectedBy(Map<String, String> selector) {
            return podLabelSets().stream().anyMatch(l -> selects(selector, l));
        }

        boolean isBatch() {
            return owner instanceof Job || owner instanceof CronJob;
        }

        /** Init containers first, then app containers, as the kubelet starts them. */
        List<Container> allContainers() {
            return Stream.concat(nonNull(spec().getInitContainers()).stream(), nonNull(spec().getContainers()).stream()).toList();
        }

        boolean isInit(Container c) {
            return nonNull(spec().getInitContainers()).contains(c);
        }
    }

    static List<Workload> workloads(String profile) {
        List<Workload> out = new ArrayList<>();
        for (HasMetadata o : objects(profile)) {
            if (o instanceof StatefulSet s) {
                out.add(new Workload(s, s.getSpec().getTemplate(), replicas(s.getSpec().getReplicas()),
                        nonNull(s.getSpec().getVolumeClaimTemplates())));
            } else if (o instanceof Deployment d) {
                out.add(new Workload(d, d.getSpec().getTemplate(), replicas(d.getSpec().getReplicas()), List.of()));
            } else if (o instanceof Job j) {
                Integer par = j.getSpec().getParallelism();
                out.add(new Workload(j, j.getSpec().getTemplate(), par == null ? 1 : par, List.of()));
            } else if (o instanceof CronJob c) {
                Integer par = c.getSpec().getJobTemplate().getSpec().getParallelism();
                out.add(new Workload(c, c.getSpec().getJobTemplate().getSpec().getTemplate(), par == null ? 1 : par, List.of()));
            }
        }
        return out;
    }

    private static int replicas(Integer r) {
        return r == null ? 1 : r; // the API server defaults replicas to 1
    }

    static <T> List<T> nonNull(List<T> list) {
        return list == null ? List.of() : list;
    }

    static <K, V> Map<K, V> nonNull(Map<K, V> map) {
        return map == null ? Map.of() : map;
    }

    static boolean selects(Map<String, String> selector, Map<String, String> labels) {
        return selector != null && !selector.isEmpty()
               && selector.entrySet().stream().allMatch(e -> Objects.equals(labels.get(e.getKey()), e.getValue()));
    }
}
