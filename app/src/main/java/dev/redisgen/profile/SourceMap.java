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
 */
public final class SourceMap {
    /** Positions of one written value: the value node, where it ends, and, for a mapping entry, its key. */
    record Entry(int line, int column, int keyLine, int keyColumn, int endLine, int endColumn) {
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
                return new Location(file, e.line(), e.column());
            }
            p = parent(p);
        }
        return new Location(file, 1, 1);
    }

    /** The key of the mapping entry at {@code pointer} when it was written; otherwise as {@link #locate}. */
    public Location locateKey(String pointer) {
        Entry e = entries.get(pointer);
        if (e != null && e.keyLine() > 0) {
            return new Location(file, e.keyLine(), e.keyColumn());
        }
        return locate(pointer);
    }

    /**
     * Whether {@code location} lies in the text of the value written at {@code pointer} (from its first character
     * up to, not including, where it ends). False when nothing was written there or the location is another file's.
     */
    public boolean contains(String pointer, Location location) {
        Entry e = entries.get(pointer);
        if (e == null || !location.file().equals(file) || location.line() == 0) {
            return false;
        }
        boolean afterStart = location.line() > e.line() || location.line() == e.line() && location.column() >= e.column();
        boolean beforeEnd = location.line() < e.endLine() || location.line() == e.endLine() && location.column() < e.endColumn();
        return afterStart && beforeEnd;
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
