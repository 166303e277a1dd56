package dev.redisgen.profile;

import dev.redisgen.diag.Location;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where each value of a loaded profile was written: JSON pointers ({@code /deployments/0/sentinel/quorum})
 * to 1-based line and column. Later stages (plan refusals, lint rules) point their diagnostics here, so a
 * finding about a profile value names the line the user wrote it on.
 *
 * <p>Only values written in the profile are recorded. A value that came from a {@code @Default} or was left
 * out locates to the nearest ancestor that was written, so a missing field points at its parent mapping.
 * With overrides, each value locates to the input that supplied it: the profile file, a {@code -f} values
 * file, or the {@code --set} option (which has no line and column).
 */
public final class SourceMap {
    /** Where one written value is: the value node and, for a mapping entry, its key (else null). */
    record Entry(Location value, Location key) {
    }

    private final String file;
    private final Map<String, Entry> entries;

    SourceMap(String file, Map<String, Entry> entries) {
        this.file = file;
        this.entries = Collections.unmodifiableMap(new TreeMap<>(entries));
    }

    /** The value at {@code pointer}, or the nearest written ancestor; the root is the start of the file. */
    public Location locate(String pointer) {
        String p = pointer;
        while (!p.isEmpty()) {
            Entry e = entries.get(p);
            if (e != null) {
                return e.value();
            }
            p = parent(p);
        }
        return new Location(file, 1, 1);
    }

    /** The key of the mapping entry at {@code pointer} when it was written; otherwise as {@link #locate}. */
    public Location locateKey(String pointer) {
        Entry e = entries.get(pointer);
        if (e != null && e.key() != null) {
            return e.key();
        }
        return locate(pointer);
    }

    /** Whether the profile itself wrote a value at {@code pointer} (as opposed to a default or nothing). */
    public boolean isWritten(String pointer) {
        return entries.containsKey(pointer);
    }

    /**
     * Builds a JSON pointer from keys and list indexes: {@code pointer("deployments", 0, "sentinel")} is
     * {@code /deployments/0/sentinel}. Keys are escaped as RFC 6901 requires ('~' as ~0, '/' as ~1).
     */
    public static String pointer(Object... segments) {
        StringBuilder out = new StringBuilder();
        for (Object s : segments) {
            out.append('/').append(s.toString().replace("~", "~0").replace("/", "~1"));
        }
        return out.toString();
    }

    private static String parent(String pointer) {
        return pointer.substring(0, pointer.lastIndexOf('/'));
    }
}
