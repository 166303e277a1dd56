package dev.redisgen.diff;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.redisgen.diag.Diagnostic;
import dev.redisgen.diag.InputException;
import dev.redisgen.diag.Location;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What was applied before: the objects of a directory written by {@code render --output-dir}, of a rendered
 * multi-document YAML file (a golden file), or of the cluster ({@link Live}).
 *
 * @param display what to call it in messages and patch headers
 * @param objects the objects, in the order they were found
 * @param files   for a directory: each file (path relative to it) and its text, in kustomization order; else empty
 * @param text    for a file: its whole text; else null
 */
public record Previous(String display, List<Manifest> objects, Map<String, String> files, String text) {

    /** Parses only; the diff never writes YAML, so it needs none of the writer's settings. */
    static final YAMLMapper YAML = new YAMLMapper();
    private static final String KUSTOMIZATION = "kustomization.yaml";
    /** Previous output larger than this is not redisgen's (the largest golden file is 200 KB). */
    private static final long MAX_BYTES = 64L << 20;

    public Previous {
        objects = List.copyOf(objects);
        files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
    }

    /**
     * Reads {@code path}: a directory (its kustomization.yaml's resources in order, subdirectories of a grouped
     * output included; without one, every {@code *.yaml} and {@code *.yml} file in it by name) or a YAML file.
     *
     * @param profile the one profile compared, or null: a grouped output directory holding a subdirectory of
     *                that name is read from there, so the other profiles' objects do not count as removed
     */
    public static Previous read(Path path, String profile) {
        String shown = path.toString();
        if (!Files.exists(path)) {
            throw new InputException(Diagnostic.error("no-such-file", "the previous output " + shown + " does not exist",
                    "give --from the directory written by render --output-dir, or a rendered YAML file (a golden file)",
                    Location.ofFile(shown)));
        }
        Previous previous;
        if (Files.isDirectory(path)) {
            Path dir = path;
            if (profile != null && Files.isRegularFile(path.resolve(profile).resolve(KUSTOMIZATION))) {
                dir = path.resolve(profile);
            }
            Map<String, String> files = new LinkedHashMap<>();
            readDirectory(dir, "", files);
            List<Manifest> objects = new ArrayList<>();
            for (Map.Entry<String, String> f : files.entrySet()) {
                if (!isKustomization(f.getKey())) {
                    objects.addAll(parse(f.getValue(), dir.resolve(f.getKey()).toString()));
                }
            }
            previous = new Previous(dir.toString(), objects, files, null);
        } else {
            String text = readText(path);
            previous = new Previous(shown, parse(text, shown), Map.of(), text);
        }
        if (previous.objects().isEmpty()) {
            throw new InputException(Diagnostic.error("previous-output", previous.display() + " holds no Kubernetes object",
                    "give --from the directory written by render --output-dir, or a rendered YAML file (a golden file)",
                    Location.ofFile(previous.display())));
        }
        return previous;
    }

    static boolean isKustomization(String relative) {
        return relative.equals(KUSTOMIZATION) || relative.endsWith("/" + KUSTOMIZATION);
    }

    private static void readDirectory(Path dir, String prefix, Map<String, String> files) {
        Path kustomization = dir.resolve(KUSTOMIZATION);
        List<String> entries = new ArrayList<>();
        if (Files.isRegularFile(kustomization, LinkOption.NOFOLLOW_LINKS)) {
            String text = readText(kustomization);
            files.put(prefix + KUSTOMIZATION, text);
            JsonNode tree = tree(text, kustomization.toString(), 1);
            for (JsonNode resource : tree.path("resources")) {
                entries.add(resource.asText());
            }
        } else {
            TreeSet<String> names = new TreeSet<>();
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
                for (Path entry : stream) {
                    String name = entry.getFileName().toString();
                    if (!name.startsWith(".") && (name.endsWith(".yaml") || name.endsWith(".yml"))
                            && Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
                        names.add(name);
                    }
                }
            } catch (IOException e) {
                throw unreadable(dir, e);
            }
            entries.addAll(names);
        }
        for (String entry : entries) {
            Path file = dir.resolve(entry);
            if (Files.isDirectory(file)) {
                readDirectory(file, prefix + entry + "/", files);
            } else {
                files.put(prefix + entry, readText(file));
            }
        }
    }

    private static String readText(Path file) {
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new InputException(Diagnostic.error("previous-output", file + " is larger than 64 MiB, so not a rendered output",
                        "give --from the directory written by render --output-dir, or a rendered YAML file", Location.ofFile(file.toString())));
            }
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new InputException(Diagnostic.error("unreadable-file", file + " is not UTF-8 text", "give a rendered YAML file",
                    Location.ofFile(file.toString())));
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    private static InputException unreadable(Path file, IOException e) {
        return new InputException(Diagnostic.error(e instanceof java.nio.file.NoSuchFileException ? "no-such-file" : "unreadable-file",
                "cannot read " + file + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
                "check the path and its permissions", Location.ofFile(file.toString())));
    }

    /**
     * The objects of a multi-document YAML text, in order. A {@code kind: List} (what {@code kubectl get -o yaml}
     * prints) counts as its items; empty documents are skipped. Documents are split at {@code ---} lines so that a
     * syntax error and an object that is not one point at their own line.
     */
    public static List<Manifest> parse(String text, String origin) {
        List<Manifest> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        int start = 0;
        for (int i = 0; i <= lines.length; i++) {
            if (i == lines.length || lines[i].startsWith("---") && (lines[i].length() == 3 || Character.isWhitespace(lines[i].charAt(3)))) {
                // Every line keeps its line break: a literal block at the end of a document keeps its last one.
                String document = String.join("\n", java.util.Arrays.asList(lines).subList(start, i)) + "\n";
                if (!document.isBlank()) {
                    JsonNode tree = tree(document, origin, start + 1);
                    addObjects(tree, origin, start + 1, out);
                }
                start = i + 1;
            }
        }
        return out;
    }

    private static void addObjects(JsonNode tree, String origin, int line, List<Manifest> out) {
        if (tree == null || tree.isNull() || tree.isMissingNode()) {
            return;
        }
        if ("List".equals(tree.path("kind").asText()) && tree.path("items").isArray()) {
            for (JsonNode item : tree.path("items")) {
                addObjects(item, origin, line, out);
            }
            return;
        }
        JsonNode kind = tree.path("kind");
        JsonNode name = tree.path("metadata").path("name");
        if (!tree.isObject() || !kind.isTextual() || !name.isTextual()) {
            throw new InputException(Diagnostic.error("previous-output", "the document at " + origin + ":" + line
                            + " is not a Kubernetes object (it needs kind and metadata.name)",
                    "give --from the directory written by render --output-dir, or a rendered YAML file", new Location(origin, line, 1)));
        }
        JsonNode namespace = tree.path("metadata").path("namespace");
        out.add(new Manifest(kind.asText(), namespace.isTextual() ? namespace.asText() : null, name.asText(), tree, origin + ":" + line));
    }

    private static JsonNode tree(String document, String origin, int firstLine) {
        try {
            return YAML.readTree(document);
        } catch (JsonProcessingException e) {
            var where = e.getLocation();
            int line = where == null ? firstLine : firstLine + Math.max(0, where.getLineNr() - 1);
            int column = where == null ? 1 : Math.max(1, where.getColumnNr());
            String message = e.getOriginalMessage() == null ? "not YAML" : e.getOriginalMessage().lines().findFirst().orElse("not YAML");
            throw new InputException(Diagnostic.error("yaml-syntax", origin + " is not valid YAML: " + message,
                    "give --from the directory written by render --output-dir, or a rendered YAML file", new Location(origin, line, column)));
        }
    }
}
