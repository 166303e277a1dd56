package dev.redisgen.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.redisgen.diag.Diagnostic;
import dev.redisgen.diag.InputException;
import dev.redisgen.diag.Location;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code diff --live}: the rendered objects as the cluster holds them, fetched with {@code kubectl get -o yaml} (one call
 * per namespace, missing objects left out). What was applied is the object's
 * {@code kubectl.kubernetes.io/last-applied-configuration} when {@code kubectl apply} left one (exactly what the next
 * apply compares with); otherwise the live object cut down to the fields the rendered object has, so the server's
 * defaults and status do not count as changes.
 */
public final class Live {
    private static final long TIMEOUT_SECONDS = 60;

    private Live() {
    }

    /** The kubectl on {@code PATH} (from {@code env}), or a clear refusal. */
    public static Path kubectl(Map<String, String> env) {
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, "kubectl");
            if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new InputException(Diagnostic.error("live-cluster", "--live needs kubectl, and there is none on PATH",
                "install kubectl and point it at the cluster (KUBECONFIG, or kubectl config use-context), or compare with "
                        + "--from DIR|FILE instead", Location.ofFile("--live")));
    }

    /**
     * The live versions of {@code rendered}: a Previous whose objects are what was applied, one per rendered object
     * that exists in the cluster.
     */
    public static Previous fetch(Path kubectl, Map<String, String> env, List<Manifest> rendered) {
        Map<String, List<Manifest>> byNamespace = new LinkedHashMap<>();
        for (Manifest m : rendered) {
            byNamespace.computeIfAbsent(m.namespace() == null ? "" : m.namespace(), k -> new ArrayList<>()).add(m);
        }
        Map<String, Manifest> wanted = new LinkedHashMap<>();
        rendered.forEach(m -> wanted.put(m.id(), m));
        List<Manifest> found = new ArrayList<>();
        for (Map.Entry<String, List<Manifest>> group : byNamespace.entrySet()) {
            List<String> command = new ArrayList<>(List.of(kubectl.toString(), "get", "--ignore-not-found", "-o", "yaml"));
            if (!group.getKey().isEmpty()) {
                command.addAll(List.of("-n", group.getKey()));
            }
            for (Manifest m : group.getValue()) {
                command.add(resource(m));
            }
            for (Manifest live : Previous.parse(run(command, env), "(live)")) {
                Manifest mine = wanted.get(live.id());
                if (mine != null) {
                    found.add(new Manifest(live.kind(), live.namespace(), live.name(), applied(live.tree(), mine.tree()), "(live)"));
                }
            }
        }
        return new Previous("the cluster (kubectl get)", found, Map.of(), null);
    }

    /** {@code statefulset.apps/redis}, {@code configmap/redis-config}: a type kubectl resolves without discovery of short names. */
    private static String resource(Manifest m) {
        String apiVersion = m.tree().path("apiVersion").asText("v1");
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        return m.kind().toLowerCase(java.util.Locale.ROOT) + (group.isEmpty() ? "" : "." + group) + "/" + m.name();
    }

    private static String run(List<String> command, Map<String, String> env) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.environment().clear();
            pb.environment().putAll(env);
            Path err = Files.createTempFile("redisgen-kubectl", ".err");
            try {
                pb.redirectError(err.toFile());
                Process p = pb.start();
                p.getOutputStream().close();
                byte[] out = p.getInputStream().readAllBytes();
                if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw failed("kubectl did not answer within " + TIMEOUT_SECONDS + " s");
                }
                if (p.exitValue() != 0) {
                    String message = Files.readString(err, StandardCharsets.UTF_8).strip();
                    throw failed("kubectl get failed (exit " + p.exitValue() + ")" + (message.isEmpty() ? "" : ": "
                            + message.lines().findFirst().orElse("")));
                }
                return new String(out, StandardCharsets.UTF_8);
            } finally {
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw failed("cannot run kubectl: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed("interrupted while kubectl ran");
        }
    }

    private static InputException failed(String message) {
        return new InputException(Diagnostic.error("live-cluster", message,
                "check that kubectl reaches the cluster (kubectl cluster-info) and may read these objects, or compare with --from DIR|FILE",
                Location.ofFile("--live")));
    }

    /** What was applied: the last-applied configuration when kubectl left one, else the live object cut to the rendered shape. */
    static JsonNode applied(JsonNode live, JsonNode rendered) {
        JsonNode last = live.path("metadata").path("annotations").path(Trees.LAST_APPLIED);
        if (last.isTextual()) {
            try {
                return new ObjectMapper().readTree(last.asText());
            } catch (IOException e) {
                // Not JSON: fall back to the live object itself.
            }
        }
        return project(live, rendered);
    }

    /** {@code live} with only the fields {@code shape} has (lists of named items matched by name, others by index). */
    static JsonNode project(JsonNode live, JsonNode shape) {
        if (live.isObject() && shape.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (Iterator<String> it = shape.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (live.has(key)) {
                    out.set(key, project(live.get(key), shape.get(key)));
                }
            }
            return out;
        }
        if (live.isArray() && shape.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            for (int i = 0; i < live.size(); i++) {
                JsonNode item = live.get(i);
                JsonNode match = item.path("name").isTextual() ? Trees.named(shape, item.path("name").asText()) : shape.path(i);
                out.add(match.isMissingNode() ? item : project(item, match));
            }
            return out;
        }
        return live;
    }
}
