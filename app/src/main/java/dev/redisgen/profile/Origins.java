package dev.redisgen.profile;

import dev.redisgen.diag.Location;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Which input wrote each node of a profile document: the profile file, a {@code -f} values file, or a
 * {@code --set} option. A merged document mixes nodes of several inputs; every diagnostic and source-map
 * entry is located through this, so it names the input that supplied the winning value.
 *
 * <p>A node nobody registered belongs to the profile file itself, so a profile without overrides needs no
 * bookkeeping at all. A {@code --set} option has no lines: its locations name only the option
 * ({@code --set deployments[0].replicas}), which {@link Location} prints without line and column.
 */
final class Origins {
    /** One input; {@code positioned} is false for a --set option, whose node marks mean nothing to the user. */
    record Source(String name, boolean positioned) {
    }

    private final Source base;
    private final Map<Node, Source> sources = new IdentityHashMap<>();
    /** Inputs in the order they were applied, the base first: diagnostics are sorted by it. */
    private final List<String> order = new ArrayList<>();

    Origins(String baseName) {
        this.base = new Source(baseName, true);
        order.add(baseName);
    }

    String baseName() {
        return base.name();
    }

    /** Marks every node of {@code tree} (keys included) as written by {@code source}. */
    void register(Node tree, Source source) {
        if (!order.contains(source.name())) {
            order.add(source.name());
        }
        // Aliases make the tree a graph (possibly a cyclic one): visit each node once.
        Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Node> todo = new ArrayDeque<>();
        todo.push(tree);
        while (!todo.isEmpty()) {
            Node node = todo.pop();
            if (!seen.add(node)) {
                continue;
            }
            sources.put(node, source);
            if (node instanceof MappingNode m) {
                for (NodeTuple t : m.getValue()) {
                    todo.push(t.getKeyNode());
                    todo.push(t.getValueNode());
                }
            } else if (node instanceof SequenceNode s) {
                s.getValue().forEach(todo::push);
            }
        }
    }

    /** A node built while merging takes the origin of the node it stands for. */
    void same(Node made, Node like) {
        Source s = sources.get(like);
        if (s != null) {
            sources.put(made, s);
        }
    }

    Source of(Node node) {
        return sources.getOrDefault(node, base);
    }

    /** Where {@code node} starts, 1-based, in the input that wrote it. */
    Location at(Node node) {
        Source s = of(node);
        if (!s.positioned()) {
            return Location.ofFile(s.name());
        }
        Mark mark = node.getStartMark();
        return new Location(s.name(), mark.getLine() + 1, mark.getColumn() + 1);
    }

    /** Where {@code node} ends (the position just past it) in the input that wrote it; null for a --set option. */
    Location end(Node node) {
        Source s = of(node);
        if (!s.positioned()) {
            return null;
        }
        Mark mark = node.getEndMark();
        return new Location(s.name(), mark.getLine() + 1, mark.getColumn() + 1);
    }

    /** The start of the profile file, where findings about the document as a whole point. */
    Location start() {
        return new Location(base.name(), 1, 1);
    }

    /** The inputs in the order applied, the profile file first. */
    List<String> order() {
        return List.copyOf(order);
    }

    /** Position of an input in the order applied (the base is 0); unknown names sort last. */
    int rank(String name) {
        int i = order.indexOf(name);
        return i < 0 ? order.size() : i;
    }
}
