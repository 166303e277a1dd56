package dev.redisgen.validate;

import static org.assertj.core.api.Assertions.fail;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Problems found in rendered output. Each has a stable key ("profile Kind/name [container]: check")
 * and a detail. A test lists the findings it knows about (problems in the renderers, reported and
 * waiting for a fix) in a KNOWN_FINDINGS set; the test fails on any other finding, and also on a
 * known finding that no longer occurs, so the set only ever shrinks.
 */
final class Findings {
    private final Map<String, String> found = new TreeMap<>();

    void add(String profile, String object, String container, String check, String detail) {
        String key = profile + " " + object + (container == null ? "" : " " + container) + ": " + check;
        found.merge(key, detail, (a, b) -> a.equals(b) ? a : a + "; " + b);
    }

    void add(String profile, String object, String check, String detail) {
        add(profile, object, null, check, detail);
    }

    Map<String, String> all() {
        return found;
    }

    /** Like {@link #assertOnly(Set)} with only the known findings of one profile. */
    void assertOnly(Set<String> known, String profile) {
        assertOnly(known.stream().filter(k -> k.startsWith(profile + " ")).collect(java.util.stream.Collectors.toSet()));
    }

    void assertOnly(Set<String> known) {
        Set<String> unexpected = new TreeSet<>(found.keySet());
        unexpected.removeAll(known);
        Set<String> stale = new TreeSet<>(known);
        stale.removeAll(found.keySet());
        StringBuilder msg = new StringBuilder();
        for (String k : unexpected) {
            msg.append("\n  ").append(k).append(" — ").append(found.get(k));
        }
        if (!stale.isEmpty()) {
            msg.append("\n known findings that no longer occur (remove them from KNOWN_FINDINGS):");
            stale.forEach(k -> msg.append("\n  ").append(k));
        }
        for (String k : known) {
            if (found.containsKey(k)) {
                System.out.println("[known finding] " + k + " — " + found.get(k));
            }
        }
        if (!msg.isEmpty()) {
            fail("rendered output has " + unexpected.size() + " new finding(s):" + msg);
        }
    }
}
