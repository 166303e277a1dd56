package dev.redisgen.emit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Golden files (habit 8): {@code check} compares render output with them byte for byte, and
 * {@code check --update} rewrites them on purpose.
 */
public final class Golden {

    /** The outcome of a comparison: {@code diff} is "" when equal, else what to print. */
    public record Result(boolean equal, String diff) {
        public Result {
            Objects.requireNonNull(diff, "diff");
        }
    }

    private Golden() {
    }

    /**
     * Compares {@code actual} with the file. A missing golden file is drift: its diff is against
     * empty text, after a line saying to run with {@code --update}.
     */
    public static Result compare(Path goldenFile, String actual) throws IOException {
        Objects.requireNonNull(actual, "actual");
        String name = goldenFile.toString();
        if (!Files.exists(goldenFile)) {
            return new Result(false, "golden file " + name + " does not exist; run with --update to create it\n"
                    + UnifiedDiff.diff(name, name + " (rendered)", "", actual, Golden::objects));
        }
        String expected = new String(Files.readAllBytes(goldenFile), StandardCharsets.UTF_8);
        if (expected.equals(actual)) {
            return new Result(true, "");
        }
        return new Result(false, UnifiedDiff.diff(name, name + " (rendered)", expected, actual, Golden::objects));
    }

    /**
     * For each line of a YAML stream as {@link YamlWriter} writes it, the object of the document it is in, as
     * {@code Kind/namespace/name} ({@code Kind/name} for a cluster-scoped object), so a drift hunk names the
     * object that drifted. Line-based on purpose: a golden file that no longer parses must still diff. Each
     * {@code ---} line belongs to the document it starts; a document without kind or name has no label.
     * {@code redisgen diff --patch} names its hunks with it too.
     */
    public static String[] objects(List<String> lines) {
        String[] out = new String[lines.size()];
        int start = 0;
        for (int i = 1; i <= lines.size(); i++) {
            if (i == lines.size() || isSeparator(lines.get(i))) {
                Arrays.fill(out, start, i, object(lines.subList(start, i)));
                start = i;
            }
        }
        return out;
    }

    private static boolean isSeparator(String line) {
        return line.equals("---\n") || line.equals("---");
    }

    private static String object(List<String> document) {
        String kind = null;
        String name = null;
        String namespace = null;
        boolean inMetadata = false;
        for (String raw : document) {
            String line = raw.endsWith("\n") ? raw.substring(0, raw.length() - 1) : raw;
            if (!line.startsWith(" ")) {
                inMetadata = line.equals("metadata:");
                if (line.startsWith("kind: ")) {
                    kind = scalar(line.substring("kind: ".length()));
                }
            } else if (inMetadata && line.startsWith("  name: ")) {
                name = scalar(line.substring("  name: ".length()));
            } else if (inMetadata && line.startsWith("  namespace: ")) {
                namespace = scalar(line.substring("  namespace: ".length()));
            }
        }
        if (kind == null || name == null) {
            return null;
        }
        return kind + "/" + (namespace == null ? "" : namespace + "/") + name;
    }

    /** A plain or quoted one-line scalar as written by the YAML writer. */
    private static String scalar(String text) {
        String t = text.strip();
        if (t.length() >= 2 && (t.startsWith("'") && t.endsWith("'") || t.startsWith("\"") && t.endsWith("\""))) {
            return t.substring(1, t.length() - 1);
        }
        return t;
    }

    /** Writes {@code actual} to the file atomically (temporary file beside it, then rename). */
    public static void update(Path goldenFile, String actual) throws IOException {
        Objects.requireNonNull(actual, "actual");
        Path target = goldenFile.toAbsolutePath().normalize();
        Path parent = target.getParent();
        Files.createDirectories(parent);
        Path temp = parent.resolve(AtomicFiles.hiddenName(target, "tmp"));
        try {
            AtomicFiles.writeSynced(temp, actual);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            AtomicFiles.deleteTreeAfter(e, temp);
            throw AtomicFiles.naming(e, temp, target);
        } catch (RuntimeException e) {
            AtomicFiles.deleteTreeAfter(e, temp);
            throw e;
        }
        AtomicFiles.syncDirectory(parent);
    }
}
