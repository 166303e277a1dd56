package dev.redisgen.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Normalising two versions of an object the way the API server stores them, and listing the fields that differ. */
final class Trees {
    /** Set by the API server, never by a manifest: left out of every comparison. */
    private static final List<String> SERVER_METADATA = List.of("managedFields", "resourceVersion", "uid", "creationTimestamp",
            "generation", "selfLink");
    static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
    private static final List<String> SERVER_ANNOTATIONS = List.of(LAST_APPLIED, "deployment.kubernetes.io/revision");

    private Trees() {
    }

    /**
     * One field that differs: where, and the value before and after (a missing node when absent).
     *
     * @param segments the path: field names, and {@code [key]} for an item of a list (its name, else its index)
     */
    record Change(List<String> segments, JsonNode before, JsonNode after) {
        Change {
            segments = List.copyOf(segments);
        }

        String path() {
            StringBuilder out = new StringBuilder();
            for (String s : segments) {
                if (s.startsWith("[")) {
                    out.append(s);
                } else if (s.matches("[A-Za-z0-9_-]+")) {
                    out.append(out.length() == 0 ? "" : ".").append(s);
                } else {
                    out.append('[').append(s).append(']');
                }
            }
            return out.toString();
        }

        /** Whether the path starts with these segments. */
        boolean under(String... prefix) {
            if (segments.size() < prefix.length) {
                return false;
            }
            for (int i = 0; i < prefix.length; i++) {
                if (!segments.get(i).equals(prefix[i])) {
                    return false;
                }
            }
            return true;
        }

        String segment(int i) {
            return i < segments.size() ? segments.get(i) : "";
        }
    }

    /**
     * A copy of {@code object} as the API server holds it after applying it, as far as a comparison can tell:
     * without status and the metadata the server sets, and with the defaults that make two spellings of one
     * object equal (SetDefaults_StatefulSet: podManagementPolicy OrderedReady, revisionHistoryLimit 10,
     * updateStrategy RollingUpdate; a claim template's volumeMode Filesystem; a Service's type ClusterIP).
     */
    static JsonNode normalize(JsonNode object) {
        ObjectNode copy = object.deepCopy();
        copy.remove("status");
        JsonNode metadata = copy.path("metadata");
        if (metadata instanceof ObjectNode m) {
            SERVER_METADATA.forEach(m::remove);
            if (m.path("annotations") instanceof ObjectNode annotations) {
                SERVER_ANNOTATIONS.forEach(annotations::remove);
                if (annotations.isEmpty()) {
                    m.remove("annotations");
                }
            }
        }
        String kind = copy.path("kind").asText();
        if (copy.path("spec") instanceof ObjectNode spec) {
            if (kind.equals("StatefulSet")) {
                putIfAbsent(spec, "podManagementPolicy", "OrderedReady");
                if (!spec.has("revisionHistoryLimit")) {
                    spec.put("revisionHistoryLimit", 10);
                }
                if (!spec.has("updateStrategy")) {
                    spec.putObject("updateStrategy").put("type", "RollingUpdate");
                }
                for (JsonNode claim : spec.path("volumeClaimTemplates")) {
                    if (claim instanceof ObjectNode c) {
                        c.remove(List.of("apiVersion", "kind", "status"));
                        if (c.path("spec") instanceof ObjectNode claimSpec) {
                            putIfAbsent(claimSpec, "volumeMode", "Filesystem");
                        }
                    }
                }
            } else if (kind.equals("PersistentVolumeClaim")) {
                putIfAbsent(spec, "volumeMode", "Filesystem");
            } else if (kind.equals("Service")) {
                putIfAbsent(spec, "type", "ClusterIP");
            }
        }
        return copy;
    }

    private static void putIfAbsent(ObjectNode node, String field, String value) {
        if (!node.has(field)) {
            node.put(field, value);
        }
    }

    /** Every field that differs between {@code before} and {@code after}, in document order. */
    static List<Change> changes(JsonNode before, JsonNode after) {
        List<Change> out = new ArrayList<>();
        compare(new ArrayList<>(), before, after, out);
        return List.copyOf(out);
    }

    private static void compare(List<String> path, JsonNode a, JsonNode b, List<Change> out) {
        a = a == null ? missing() : a;
        b = b == null ? missing() : b;
        if (a.equals(b)) {
            return;
        }
        if (a.isObject() && b.isObject()) {
            Set<String> keys = new LinkedHashSet<>();
            a.fieldNames().forEachRemaining(keys::add);
            b.fieldNames().forEachRemaining(keys::add);
            for (String key : keys) {
                path.add(key);
                compare(path, a.path(key), b.path(key), out);
                path.remove(path.size() - 1);
            }
            return;
        }
        if (a.isArray() && b.isArray()) {
            Map<String, JsonNode> ka = keyed(a);
            Map<String, JsonNode> kb = keyed(b);
            if (ka != null && kb != null) {
                List<String> common = new ArrayList<>(ka.keySet());
                common.retainAll(kb.keySet());
                List<String> commonInB = new ArrayList<>(kb.keySet());
                commonInB.retainAll(ka.keySet());
                if (!common.equals(commonInB)) {
                    // The same items in another order: a change of the list as a whole (a pod template still changes).
                    out.add(new Change(path, a, b));
                    return;
                }
                Set<String> keys = new LinkedHashSet<>(ka.keySet());
                keys.addAll(kb.keySet());
                for (String key : keys) {
                    path.add("[" + key + "]");
                    compare(path, ka.get(key), kb.get(key), out);
                    path.remove(path.size() - 1);
                }
                return;
            }
            for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
                path.add("[" + i + "]");
                compare(path, a.path(i), b.path(i), out);
                path.remove(path.size() - 1);
            }
            return;
        }
        out.add(new Change(path, a, b));
    }

    private static JsonNode missing() {
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    /**
     * The items of a list of named objects by name (containers, env, volumes, ports, claim templates by
     * metadata.name), or null when any item has no name or two share one: then items are compared by index.
     */
    private static Map<String, JsonNode> keyed(JsonNode array) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (JsonNode item : array) {
            JsonNode name = item.path("name").isTextual() ? item.path("name") : item.path("metadata").path("name");
            if (!name.isTextual() || out.putIfAbsent(name.asText(), item) != null) {
                return null;
            }
        }
        return out;
    }

    /** A value for people: a scalar as written, "(none)" when absent, else a short JSON or line count. */
    static String show(JsonNode value) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return "(none)";
        }
        if (value.isTextual()) {
            String s = value.asText();
            long lines = s.lines().count();
            if (lines > 1) {
                return "(" + lines + " lines)";
            }
            // A checksum tells only that it changed.
            return s.matches("[0-9a-f]{64}") ? s.substring(0, 12) + "…" : s.length() <= 80 ? s : s.substring(0, 77) + "...";
        }
        if (value.isValueNode()) {
            return value.asText();
        }
        String json = value.toString();
        return json.length() <= 80 ? json : json.substring(0, 77) + "...";
    }

    /** The named item of a list of objects ({@code name} field), or a missing node. */
    static JsonNode named(JsonNode list, String name) {
        for (JsonNode item : list) {
            if (name.equals(item.path("name").asText(null))) {
                return item;
            }
        }
        return missing();
    }
}
