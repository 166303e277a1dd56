package dev.redisgen.emit;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The order in which {@code kubectl apply -f -} must meet the objects (SPEC "Interfaces"): the
 * namespace and its limits before anything lands in it, RBAC and config before the pods that use
 * them, workloads before the budgets and policies that select them, monitoring CRs last.
 *
 * <p>Unlike fabric8's {@code HasMetadataComparator}, an unknown kind is an error, not "last": a
 * renderer that adds a kind must decide where it goes (habit 3: order is data).
 */
public final class ApplyOrder {

    /** The apply order, one kind a line. */
    static final List<String> KINDS = List.of(
            "Namespace",
            "ResourceQuota",
            "LimitRange",
            "ServiceAccount",
            "Role",
            "ClusterRole",
            "RoleBinding",
            "ClusterRoleBinding",
            "Secret",
            // cert-manager writes the TLS Secret the pods mount: before the pods, so they start with it sooner.
            "Certificate",
            "ConfigMap",
            "PersistentVolumeClaim",
            "Service",
            "StatefulSet",
            "Deployment",
            "PodDisruptionBudget",
            "NetworkPolicy",
            "Job",
            "CronJob",
            "ServiceMonitor",
            "PodMonitor",
            "PrometheusRule");

    /** Kinds of {@link #KINDS} without a fabric8 model in redisgen's dependencies: rendered as GenericKubernetesResource. */
    static final java.util.Set<String> GENERIC_KINDS = java.util.Set.of("Certificate");

    private static final Map<String, Integer> RANK = rankOf(KINDS);

    private ApplyOrder() {
    }

    /**
     * A new list sorted by kind rank, then by name; the sort is stable. Among NetworkPolicies, one that allows nothing
     * (a default deny) comes after the ones that allow: applying the stream never isolates a pod before the policies
     * that let its traffic through exist.
     *
     * @throws IllegalStateException for a kind without a rank or two objects with the same kind,
     *     namespace and name (both are programming errors in a renderer, not user input)
     */
    public static List<HasMetadata> sort(List<? extends HasMetadata> objects) {
        Objects.requireNonNull(objects, "objects");
        Map<String, HasMetadata> seen = new HashMap<>();
        for (HasMetadata object : objects) {
            rank(object);
            String id = id(object);
            if (seen.putIfAbsent(id, object) != null) {
                throw new IllegalStateException("two objects are both " + id + "; every object needs its own name");
            }
        }
        List<HasMetadata> sorted = new ArrayList<>(objects);
        sorted.sort(Comparator.comparingInt(ApplyOrder::rank).thenComparing(ApplyOrder::denyOnly).thenComparing(ApplyOrder::name));
        return List.copyOf(sorted);
    }

    private static boolean denyOnly(HasMetadata object) {
        return object instanceof io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy np && np.getSpec() != null
                && (np.getSpec().getIngress() == null || np.getSpec().getIngress().isEmpty())
                && (np.getSpec().getEgress() == null || np.getSpec().getEgress().isEmpty());
    }

    static int rank(HasMetadata object) {
        String kind = object.getKind();
        Integer rank = kind == null ? null : RANK.get(kind);
        if (rank == null) {
            throw new IllegalStateException("no apply order for kind " + kind + "; add it to ApplyOrder");
        }
        return rank;
    }

    /** {@code Kind namespace/name}, or {@code Kind name} for cluster-scoped objects. */
    static String id(HasMetadata object) {
        String namespace = object.getMetadata() == null ? null : object.getMetadata().getNamespace();
        return object.getKind() + " " + (namespace == null ? "" : namespace + "/") + name(object);
    }

    private static String name(HasMetadata object) {
        String name = object.getMetadata() == null ? null : object.getMetadata().getName();
        if (name == null || name.isEmpty()) {
            throw new IllegalStateException(object.getKind() + " without metadata.name; every object needs a name");
        }
        return name;
    }

    private static Map<String, Integer> rankOf(List<String> kinds) {
        Map<String, Integer> rank = new HashMap<>();
        for (int i = 0; i < kinds.size(); i++) {
            rank.put(kinds.get(i), i);
        }
        return Map.copyOf(rank);
    }
}
