package dev.redisgen.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An offline stand-in for the API server, the judge of {@code redisgen diff}'s predictions where no cluster is at hand:
 * what {@code kubectl apply} of a new manifest over the object an earlier apply created ends in, accepted or refused.
 * Written from Kubernetes' update validation (pkg/apis/apps/validation ValidateStatefulSetUpdate, pkg/apis/batch/validation
 * ValidateJobSpecUpdate and validatePodTemplateUpdate, pkg/apis/core/validation ValidatePersistentVolumeClaimUpdate,
 * ValidateServiceUpdate with validateUpgradeDowngradeClusterIPs, ValidateConfigMapUpdate, ValidateSecretUpdate, and the
 * Deployment strategy's selector check), following its shape rather than diff's: the live object is built as the
 * server holds it (defaults, allocated values), the apply is a three-way merge of the last applied manifest, the live
 * object and the new manifest, and each validation clones the new object, resets the fields the kind lets change
 * to their old values, and compares whole specs.
 *
 * <p>Assumptions, where the server's answer depends on the cluster: claims are bound and their StorageClass allows
 * expansion (the PersistentVolumeClaimResize admission is not modelled); Jobs are not suspended; nobody else manages
 * fields of these objects.
 */
final class ApiServerModel {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private ApiServerModel() {
    }

    /** The errors the API server answers {@code kubectl apply} of {@code next} with, where {@code applied} was applied before. */
    static List<String> apply(JsonNode applied, JsonNode next) {
        ObjectNode old = stored(applied.deepCopy(), true);
        ObjectNode merged = merge(applied, old, next);
        restoreAllocated(old, merged);
        return validateUpdate(stored(merged, false), old);
    }

    /** The object as the server stores it: defaults set and, on create, values allocated. */
    private static ObjectNode stored(ObjectNode o, boolean create) {
        String kind = o.path("kind").asText();
        ObjectNode spec = o.path("spec") instanceof ObjectNode s ? s : o.putObject("spec");
        switch (kind) {
            case "StatefulSet" -> {
                defaultTo(spec, "replicas", F.numberNode(1));
                defaultTo(spec, "podManagementPolicy", F.textNode("OrderedReady"));
                defaultTo(spec, "revisionHistoryLimit", F.numberNode(10));
                ObjectNode strategy = spec.path("updateStrategy") instanceof ObjectNode u ? u : spec.putObject("updateStrategy");
                defaultTo(strategy, "type", F.textNode("RollingUpdate"));
                ObjectNode retention = spec.path("persistentVolumeClaimRetentionPolicy") instanceof ObjectNode r ? r
                        : spec.putObject("persistentVolumeClaimRetentionPolicy");
                defaultTo(retention, "whenDeleted", F.textNode("Retain"));
                defaultTo(retention, "whenScaled", F.textNode("Retain"));
                for (JsonNode claim : spec.path("volumeClaimTemplates")) {
                    ObjectNode c = (ObjectNode) claim;
                    defaultTo((ObjectNode) c.path("spec"), "volumeMode", F.textNode("Filesystem"));
                    c.putObject("status").put("phase", "Pending");
                }
            }
            case "Job" -> {
                // The server generates the selector and labels the template with the Job's uid.
                String uid = "uid-" + o.path("metadata").path("name").asText();
                if (create && !spec.has("selector")) {
                    spec.putObject("selector").putObject("matchLabels").put("batch.kubernetes.io/controller-uid", uid);
                }
                ObjectNode meta = spec.path("template").path("metadata") instanceof ObjectNode m ? m
                        : ((ObjectNode) spec.path("template")).putObject("metadata");
                ObjectNode labels = meta.path("labels") instanceof ObjectNode l ? l : meta.putObject("labels");
                if (create) {
                    labels.put("batch.kubernetes.io/controller-uid", uid);
                    labels.put("batch.kubernetes.io/job-name", o.path("metadata").path("name").asText());
                }
                defaultTo(spec, "completions", F.numberNode(1));
                defaultTo(spec, "parallelism", F.numberNode(1));
                defaultTo(spec, "completionMode", F.textNode("NonIndexed"));
            }
            case "PersistentVolumeClaim" -> {
                defaultTo(spec, "volumeMode", F.textNode("Filesystem"));
                if (create) {
                    defaultTo(spec, "volumeName", F.textNode("pvc-" + o.path("metadata").path("name").asText()));
                }
                ObjectNode status = o.putObject("status");
                status.put("phase", "Bound");
                status.putObject("capacity").set("storage", spec.path("resources").path("requests").path("storage"));
            }
            case "Service" -> {
                defaultTo(spec, "type", F.textNode("ClusterIP"));
                if (create && !spec.path("type").asText().equals("ExternalName")) {
                    defaultTo(spec, "clusterIP", F.textNode("10.96.0.10"));
                    if (!spec.has("clusterIPs")) {
                        spec.putArray("clusterIPs").add(spec.path("clusterIP").asText());
                    }
                }
            }
            default -> {
            }
        }
        return o;
    }

    private static void defaultTo(ObjectNode node, String field, JsonNode value) {
        if (!node.has(field) || node.get(field).isNull()) {
            node.set(field, value);
        }
    }

    /**
     * kubectl apply's three-way merge: what the new manifest sets wins, what the last applied manifest set and the new
     * one no longer does is deleted, everything else (defaults, allocated values) stays as the server holds it. A list
     * that changed is replaced as a whole; the server defaults it again.
     */
    private static ObjectNode merge(JsonNode lastApplied, JsonNode live, JsonNode next) {
        ObjectNode out = live.deepCopy();
        for (Iterator<Map.Entry<String, JsonNode>> it = next.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode was = lastApplied.path(e.getKey());
            JsonNode liveValue = live.path(e.getKey());
            if (e.getValue().isObject() && liveValue.isObject()) {
                out.set(e.getKey(), merge(was.isObject() ? was : F.objectNode(), liveValue, e.getValue()));
            } else if (e.getValue().isArray() && e.getValue().equals(was) && liveValue.isArray()) {
                out.set(e.getKey(), liveValue);
            } else {
                out.set(e.getKey(), e.getValue().deepCopy());
            }
        }
        for (Iterator<String> it = lastApplied.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!next.has(key)) {
                out.remove(key);
            }
        }
        return out;
    }

    /** The Service registry's patchAllocatedValues: a clusterIP (and clusterIPs) the update leaves empty keeps the old one. */
    private static void restoreAllocated(ObjectNode old, ObjectNode updated) {
        if (!updated.path("kind").asText().equals("Service")) {
            return;
        }
        ObjectNode a = (ObjectNode) old.path("spec");
        ObjectNode b = (ObjectNode) updated.path("spec");
        boolean needsIp = !a.path("type").asText().equals("ExternalName") && !b.path("type").asText().equals("ExternalName");
        if (needsIp && b.path("clusterIP").asText("").isEmpty()) {
            b.set("clusterIP", a.path("clusterIP"));
        }
        if (needsIp && b.path("clusterIPs").isEmpty() && !a.path("clusterIPs").isEmpty()) {
            b.set("clusterIPs", a.path("clusterIPs"));
        }
        // normalizeClusterIPs: a changed clusterIP with the old clusterIPs becomes clusterIPs [clusterIP].
        if (!b.path("clusterIP").equals(a.path("clusterIP")) && b.path("clusterIPs").equals(a.path("clusterIPs"))) {
            b.putArray("clusterIPs").add(b.path("clusterIP").asText());
        }
    }

    private static List<String> validateUpdate(ObjectNode updated, ObjectNode old) {
        List<String> errors = new ArrayList<>();
        String kind = updated.path("kind").asText();
        ObjectNode newSpec = (ObjectNode) updated.path("spec");
        ObjectNode oldSpec = (ObjectNode) old.path("spec");
        switch (kind) {
            case "StatefulSet" -> {
                ObjectNode clone = newSpec.deepCopy();
                for (String mutable : List.of("replicas", "template", "updateStrategy", "minReadySeconds", "ordinals",
                        "persistentVolumeClaimRetentionPolicy")) {
                    resetTo(clone, oldSpec, mutable);
                }
                if (!clone.equals(oldSpec)) {
                    errors.add("spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', "
                            + "'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden");
                }
            }
            case "Job" -> {
                for (String immutable : List.of("completions", "selector", "template", "completionMode", "podFailurePolicy",
                        "backoffLimitPerIndex", "managedBy", "successPolicy")) {
                    if (!newSpec.path(immutable).equals(oldSpec.path(immutable))) {
                        errors.add("spec." + immutable + ": Invalid value: field is immutable");
                    }
                }
            }
            case "PersistentVolumeClaim" -> {
                ObjectNode newClone = newSpec.deepCopy();
                ObjectNode oldClone = oldSpec.deepCopy();
                if (oldSpec.path("volumeName").asText("").isEmpty()) {
                    resetTo(oldClone, newSpec, "volumeName");
                }
                JsonNode oldStorage = oldSpec.path("resources").path("requests").path("storage");
                JsonNode newStorage = newSpec.path("resources").path("requests").path("storage");
                if ("Bound".equals(updated.path("status").path("phase").asText()) && newClone.path("resources").path("requests") instanceof ObjectNode r) {
                    r.set("storage", oldStorage);
                }
                if (!newClone.equals(oldClone)) {
                    errors.add("spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName "
                            + "for bound claims");
                }
                if (new Quantity(newStorage.asText()).getNumericalAmount().compareTo(new Quantity(oldStorage.asText()).getNumericalAmount()) < 0) {
                    errors.add("spec.resources.requests.storage: Forbidden: field can not be less than previous value");
                }
            }
            case "Service" -> {
                String oldType = oldSpec.path("type").asText();
                String newType = newSpec.path("type").asText();
                boolean oldHeadless = "None".equals(oldSpec.path("clusterIP").asText());
                boolean newHeadless = "None".equals(newSpec.path("clusterIP").asText());
                if (!oldType.equals("ExternalName") && !newType.equals("ExternalName") && !(oldHeadless && newHeadless)) {
                    JsonNode a = oldSpec.path("clusterIPs");
                    JsonNode b = newSpec.path("clusterIPs");
                    if (a.size() == b.size()) {
                        for (int i = 0; i < a.size(); i++) {
                            if (!a.get(i).equals(b.get(i))) {
                                errors.add("spec.clusterIPs[" + i + "]: Invalid value: may not change once set");
                            }
                        }
                    } else if (b.isEmpty() || !a.get(0).equals(b.get(0))) {
                        errors.add("spec.clusterIPs[0]: Invalid value: may not change once set");
                    }
                }
                if (newHeadless && Set.of("NodePort", "LoadBalancer").contains(newType)) {
                    errors.add("spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for LoadBalancer or NodePort services");
                }
            }
            case "ConfigMap", "Secret" -> {
                if (old.path("immutable").asBoolean(false)) {
                    if (!updated.path("immutable").asBoolean(false)) {
                        errors.add("immutable: Forbidden: field is immutable when `immutable` is set");
                    }
                    for (String data : List.of("data", "binaryData", "stringData")) {
                        if (!updated.path(data).equals(old.path(data))) {
                            errors.add(data + ": Forbidden: field is immutable when `immutable` is set");
                        }
                    }
                }
                if (kind.equals("Secret") && !updated.path("type").asText("Opaque").equals(old.path("type").asText("Opaque"))) {
                    errors.add("type: Invalid value: field is immutable");
                }
            }
            case "Deployment" -> {
                if (!newSpec.path("selector").equals(oldSpec.path("selector"))) {
                    errors.add("spec.selector: Invalid value: field is immutable");
                }
            }
            default -> {
            }
        }
        return errors;
    }

    private static void resetTo(ObjectNode clone, ObjectNode old, String field) {
        if (old.has(field)) {
            clone.set(field, old.get(field));
        } else {
            clone.remove(field);
        }
    }
}
