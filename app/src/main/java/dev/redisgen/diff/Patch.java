package dev.redisgen.diff;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.redisgen.emit.Golden;
import dev.redisgen.emit.UnifiedDiff;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code diff --patch}: a unified diff of the previous output and the new one, each hunk header naming the objects
 * its changed lines are in ({@code Kind/namespace/name}, as {@code check} names them). A directory diffs file by
 * file (so {@code patch -p0} could apply it there), a file as one stream, the cluster's objects as one stream of
 * their normalised YAML.
 */
public final class Patch {
    private Patch() {
    }

    /**
     * @param stream the new output as {@code render} prints it
     * @param files  the new output as {@code render --output-dir} writes it (relative path to text)
     * @param live   the objects fetched from the cluster, when {@code previous} is the cluster; else null
     */
    public static String of(Previous previous, String stream, Map<String, String> files, List<Manifest> rendered, List<Manifest> live) {
        if (live != null) {
            return UnifiedDiff.diff(previous.display(), "rendered", yaml(live), yaml(rendered), Golden::objects);
        }
        if (previous.text() != null) {
            return UnifiedDiff.diff(previous.display(), previous.display() + " (rendered)", previous.text(), stream, Golden::objects);
        }
        StringBuilder out = new StringBuilder();
        Set<String> paths = new LinkedHashSet<>(files.keySet());
        paths.addAll(previous.files().keySet());
        for (String path : paths) {
            String name = previous.display() + "/" + path;
            String before = previous.files().get(path);
            String after = files.get(path);
            out.append(UnifiedDiff.diff(before == null ? "/dev/null" : name, after == null ? "/dev/null" : name + " (rendered)",
                    before == null ? "" : before, after == null ? "" : after, Golden::objects));
        }
        return out.toString();
    }

    /** Objects as one stream of their normalised trees, so both sides of a live diff are written alike. */
    private static String yaml(List<Manifest> objects) {
        StringBuilder out = new StringBuilder();
        for (Manifest m : objects) {
            try {
                out.append(Previous.YAML.writeValueAsString(Trees.normalize(m.tree())));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write " + m.id() + " as YAML", e);
            }
        }
        return out.toString();
    }
}
