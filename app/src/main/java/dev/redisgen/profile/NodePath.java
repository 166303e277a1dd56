package dev.redisgen.profile;

import java.util.ArrayList;
import java.util.List;

/** Where the binder is in the document: keys and list indexes from the root. */
record NodePath(List<Object> segments) {
    static final NodePath ROOT = new NodePath(List.of());

    NodePath child(Object segment) {
        List<Object> next = new ArrayList<>(segments);
        next.add(segment);
        return new NodePath(List.copyOf(next));
    }

    boolean isRoot() {
        return segments.isEmpty();
    }

    String pointer() {
        return SourceMap.pointer(segments.toArray());
    }

    /** The path as users read it: {@code deployments[0].sentinel.quorum}. */
    String display() {
        StringBuilder out = new StringBuilder();
        for (Object s : segments) {
            if (s instanceof Integer i) {
                out.append('[').append(i).append(']');
            } else {
                if (out.length() > 0) {
                    out.append('.');
                }
                out.append(s);
            }
        }
        return out.toString();
    }

    /** "in deployments[0].sentinel", or "at the top level" for the root mapping. */
    String in() {
        return isRoot() ? "at the top level" : "in " + display();
    }

    /** "at deployments[0].sentinel.quorum", or "at the top level". */
    String at() {
        return isRoot() ? "at the top level" : "at " + display();
    }

    /** The key this value was written under, or null for a list item or the root. */
    String lastKey() {
        return !segments.isEmpty() && segments.get(segments.size() - 1) instanceof String s ? s : null;
    }
}
