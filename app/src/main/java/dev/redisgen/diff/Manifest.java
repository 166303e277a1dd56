package dev.redisgen.diff;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One Kubernetes object as text and as a tree, on either side of a comparison.
 *
 * @param namespace null for a cluster-scoped object
 * @param tree      the object as parsed (never null)
 * @param origin    where it was read: a file, {@code file:line}, {@code (rendered)} or {@code (live)}
 */
public record Manifest(String kind, String namespace, String name, JsonNode tree, String origin) {
    public Manifest {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tree, "tree");
    }

    /** {@code Kind/namespace/name} ({@code Kind/name} cluster-scoped), as the hunk headers of emit's UnifiedDiff name objects. */
    public String id() {
        return kind + "/" + (namespace == null ? "" : namespace + "/") + name;
    }

    /** The object's label {@code app.kubernetes.io/<key>}, or null. */
    String label(String key) {
        JsonNode v = tree.path("metadata").path("labels").path("app.kubernetes.io/" + key);
        return v.isTextual() ? v.asText() : null;
    }

    /** The pod template of a workload (StatefulSet, Deployment, Job), or a missing node. */
    JsonNode template() {
        return tree.path("spec").path("template");
    }

    boolean isWorkload() {
        return kind.equals("StatefulSet") || kind.equals("Deployment");
    }
}
