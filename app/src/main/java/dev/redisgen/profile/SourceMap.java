package dev.redisgen.profile;

import dev.redisgen.diag.Diagnostic;
import dev.redisgen.diag.Location;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
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
    /**
     * Where one written value is: the value node, for a mapping entry its key (else null), and where the value
     * ends in the input that wrote it (null for a --set option, which has no text to end in).
     */
    record Entry(Location value, Location key, Location end) {
        /** Whether {@code at} lies in this entry's text: from its key (or value) up to, not including, its end. */
        boolean covers(Location at) {
            if (end == null || at.line() == 0) {
                // A --set option (or a location naming only a file): the same input, or not.
                return at.equals(value) || at.equals(key);
            }
            Location start = key != null && key.file().equals(value.file()) ? key : value;
            return at.file().equals(value.file()) && !before(at, start) && before(at, end);
        }

        private static boolean before(Location a, Location b) {
            return a.line() < b.line() || a.line() == b.line() && a.column() < b.column();
        }
    }

    private final String file;
    /** The inputs in the order applied: the profile file, then its -f files and --set options. */
    private final List<String> inputs;
    private final NavigableMap<String, Entry> entries;

    /** @param inputs the inputs in the order applied, the profile file first */
    SourceMap(List<String> inputs, Map<String, Entry> entries) {
        this.file = inputs.get(0);
        this.inputs = List.copyOf(inputs);
        this.entries = Collections.unmodifiableNavigableMap(new TreeMap<>(entries));
    }

    /**
     * Document order for diagnostics about this profile: by input (the profile file, then its overrides in the order
     * applied, any other name last), then line and column. Sorting with it is stable, so findings at one place keep
     * the order they were made in.
     */
    public Comparator<Diagnostic> documentOrder() {
        return Comparator.comparingInt((Diagnostic d) -> rank(d.location().file()))
                .thenComparingInt(d -> d.location().line()).thenComparingInt(d -> d.location().column());
    }

    private int rank(String input) {
        int i = inputs.indexOf(input);
        return i < 0 ? inputs.size() : i;
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

    /**
     * Whether {@code location} lies in what was written for the value at {@code pointer}: in its text or in the
     * text of any value under it, in whichever input wrote each (the profile, a {@code -f} file, a {@code --set}
     * option). False when nothing was written there.
     */
    public boolean contains(String pointer, Location location) {
        Entry own = entries.get(pointer);
        if (own != null && own.covers(location)) {
            return true;
        }
        // Every pointer under this one, and nothing else: '0' is the character right after '/'.
        for (Entry e : entries.subMap(pointer + "/", true, pointer + "0", false).values()) {
            if (e.covers(location)) {
                return true;
            }
        }
        return false;
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
