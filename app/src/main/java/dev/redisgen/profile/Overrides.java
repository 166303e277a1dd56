package dev.redisgen.profile;

import dev.redisgen.diag.Diagnostic;
import dev.redisgen.diag.InputException;
import dev.redisgen.diag.Location;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * {@code -f/--values FILE} and {@code --set PATH=VALUE}, applied over a profile in the order given: every
 * values file first, then every --set (as Helm does). They edit the YAML node tree before binding, so a value
 * from an override is typed, validated and located exactly like the same value written in the profile, and
 * every rule applies to the merged result.
 *
 * <p>Merging: a mapping in a values file merges field by field into the mapping it lands on (recursively); any
 * other value (a list, a scalar, null) replaces what was there. So lists are replaced whole, and {@code key: null}
 * puts a field back to its default. A --set replaces the one value its path names, creating the mappings on the
 * way; {@code [n]} picks item n of a list, and {@code [n]} one past the last item appends one.
 *
 * <p>Nothing here mutates a composed node: the merged tree is built from copies, so a YAML alias shared by two
 * places of the profile keeps its value in the place the override does not touch.
 */
public final class Overrides {
    /** A --set option that cannot be read: no '=', an empty key, a bad index. */
    private static final String SET_SYNTAX = "set-syntax";

    public static final Overrides NONE = new Overrides(List.of(), List.of());

    private static final Mark NO_MARK = new Mark("--set", 0, 0, 0, new int[0], 0);

    /** One override, in the order applied. */
    private sealed interface Layer permits Values, Assignment {
    }

    /** A values file's root mapping (a file with nothing but comments adds no layer). */
    private record Values(String name, MappingNode root) implements Layer {
    }

    /**
     * One --set: the path as written (its diagnostics' location), parsed into keys and indexes, and the value.
     */
    private record Assignment(String option, List<Object> path, Node value) implements Layer {
    }

    private final List<Layer> layers;
    /** The problems of the --set options left out by {@link #lenient}; every profile they apply to reports them. */
    private final List<Diagnostic> unreadable;

    private Overrides(List<Layer> layers, List<Diagnostic> unreadable) {
        this.layers = List.copyOf(layers);
        this.unreadable = List.copyOf(unreadable);
    }

    /**
     * Reads the overrides; every problem in any of them is reported at once.
     *
     * @param values values files in order, already read (a file or stdin)
     * @param sets   the --set options' arguments in order, {@code path=value} each
     * @throws InputException with every problem found
     */
    public static Overrides of(List<LoadedText> values, List<String> sets) {
        return read(values, sets, false);
    }

    /**
     * As {@link #of}, except that a --set that cannot be read (no '=', a bad path, a value that is not YAML) is left
     * out, and its problem is reported by every profile it applies to, with that profile's own load errors, where
     * lint sees it alongside its findings: a --set is one value, like a value in the file, while a values file that
     * cannot be read still throws, like a profile file that cannot be read.
     */
    public static Overrides lenient(List<LoadedText> values, List<String> sets) {
        return read(values, sets, true);
    }

    private static Overrides read(List<LoadedText> values, List<String> sets, boolean keepBrokenSets) {
        List<Layer> layers = new ArrayList<>();
        List<Diagnostic> errors = new ArrayList<>();
        for (LoadedText file : values) {
            try {
                Node root = ProfileLoader.compose(file.displayName(), "values file", file.text());
                if (root == null || isNull(root)) {
                    continue;
                }
                if (root instanceof MappingNode m) {
                    layers.add(new Values(file.displayName(), m));
                } else {
                    errors.add(Diagnostic.error(Binder.WRONG_TYPE, "a values file holds profile fields as a mapping, like a profile; got "
                            + (root instanceof SequenceNode ? "a list" : "a single value"),
                            "write the fields to override as `field: value` lines, e.g. `deployments: [...]` or `namespace: {name: x}`",
                            new Location(file.displayName(), root.getStartMark().getLine() + 1, root.getStartMark().getColumn() + 1)));
                }
            } catch (InputException e) {
                errors.addAll(e.diagnostics());
            }
        }
        List<Diagnostic> unreadable = new ArrayList<>();
        for (String set : sets) {
            try {
                layers.add(assignment(set));
            } catch (InputException e) {
                (keepBrokenSets ? unreadable : errors).addAll(e.diagnostics());
            }
        }
        if (!errors.isEmpty()) {
            throw new InputException(errors);
        }
        return new Overrides(layers, unreadable);
    }

    /** No override at all: neither one to apply nor a left-out --set to report. */
    public boolean isEmpty() {
        return layers.isEmpty() && unreadable.isEmpty();
    }

    // ---- --set PATH=VALUE -------------------------------------------------------------------------------

    /**
     * Parses {@code path=value}. The path is keys separated by '.', each optionally followed by {@code [n]};
     * a backslash makes the next character part of the key ({@code namespace.labels.team\.io/owner}). The
     * value is everything after the first unescaped '=', read as YAML: {@code 3} is an integer, {@code "3"} a
     * string, {@code [a, b]} a list, an empty value null (the default).
     */
    private static Assignment assignment(String text) {
        int eq = -1;
        for (int i = 0; i < text.length() && eq < 0; i++) {
            if (text.charAt(i) == '\\') {
                i++;
            } else if (text.charAt(i) == '=') {
                eq = i;
            }
        }
        if (eq < 0) {
            throw setError("--set " + text, "--set " + text + " has no '='", "write --set PATH=VALUE, e.g. --set deployments[0].replicas=5");
        }
        String pathText = text.substring(0, eq);
        String option = "--set " + pathText;
        List<Object> path = path(pathText, option);
        Node value;
        try {
            value = ProfileLoader.compose(option, "value of " + option, text.substring(eq + 1));
        } catch (InputException e) {
            // The value's own line and column mean nothing on a command line: point at the option.
            List<Diagnostic> relocated = new ArrayList<>();
            for (Diagnostic d : e.diagnostics()) {
                relocated.add(d.ruleId().equals(ProfileLoader.TOO_LARGE)
                        ? new Diagnostic(d.severity(), d.ruleId(), d.message(), d.fix(), Location.ofFile(option))
                        : new Diagnostic(d.severity(), d.ruleId(), "the value of " + option + " is not valid YAML: " + d.message(),
                                "quote a text value: --set '" + pathText + "=\"...\"'", Location.ofFile(option)));
            }
            throw new InputException(relocated);
        }
        if (value == null) {
            value = new ScalarNode(Tag.NULL, "", NO_MARK, NO_MARK, DumperOptions.ScalarStyle.PLAIN);
        }
        return new Assignment(option, List.copyOf(path), value);
    }

    /** {@code key(.key|[n])*}; a backslash takes the next character literally. */
    private static List<Object> path(String p, String option) {
        String fix = "write --set PATH=VALUE with PATH like deployments[0].redis.maxmemory";
        List<Object> path = new ArrayList<>();
        int i = 0;
        while (true) {
            StringBuilder key = new StringBuilder();
            while (i < p.length() && p.charAt(i) != '.' && p.charAt(i) != '[') {
                if (p.charAt(i) == '\\' && i + 1 < p.length()) {
                    i++;
                }
                key.append(p.charAt(i++));
            }
            if (key.length() == 0) {
                throw setError(option, option + " has an empty field name" + (i == 0 && p.startsWith("[") ? " before '['; a profile is a mapping at the top" : ""),
                        fix);
            }
            path.add(key.toString());
            while (i < p.length() && p.charAt(i) == '[') {
                int close = p.indexOf(']', i);
                String digits = close < 0 ? "" : p.substring(i + 1, close);
                if (!digits.matches("0|[1-9][0-9]{0,8}")) {
                    throw setError(option, option + ": '" + (close < 0 ? p.substring(i) : p.substring(i, close + 1)) + "' is not a list index",
                            "write a list index as [0], [1], ... (items count from 0)");
                }
                path.add(Integer.valueOf(digits));
                i = close + 1;
            }
            if (i == p.length()) {
                return path;
            }
            if (p.charAt(i) != '.') {
                throw setError(option, option + ": expected '.' or '[' after '" + p.substring(0, i) + "'", fix);
            }
            i++;
        }
    }

    private static InputException setError(String option, String message, String fix) {
        return new InputException(Diagnostic.error(SET_SYNTAX, message, fix, Location.ofFile(option)));
    }

    // ---- applying -------------------------------------------------------------------------------------

    /**
     * The profile's root mapping with every override applied, in order. Problems a --set path meets (a list
     * addressed by a field name, an index past the end) go to {@code errors}; that --set is then skipped. So do
     * the problems of the --set options {@link #lenient} left out.
     */
    MappingNode apply(MappingNode root, Origins origins, List<Diagnostic> errors) {
        errors.addAll(unreadable);
        MappingNode out = root;
        for (Layer layer : layers) {
            if (layer instanceof Values v) {
                origins.register(v.root(), new Origins.Source(v.name(), true));
                out = (MappingNode) merge(out, v.root(), origins);
            } else if (layer instanceof Assignment a) {
                Origins.Source source = new Origins.Source(a.option(), false);
                origins.register(a.value(), source);
                try {
                    out = (MappingNode) set(out, a, 0, source, origins);
                } catch (InputException e) {
                    errors.addAll(e.diagnostics());
                }
            }
        }
        return out;
    }

    /** An overlay mapping merges into a base mapping field by field; anything else replaces the base value. */
    private static Node merge(Node base, Node overlay, Origins origins) {
        if (!(base instanceof MappingNode b) || !(overlay instanceof MappingNode o)) {
            return overlay;
        }
        List<NodeTuple> tuples = new ArrayList<>(b.getValue());
        Set<String> merged = new HashSet<>();
        for (NodeTuple t : o.getValue()) {
            String key = plainKey(t.getKeyNode());
            // A key the overlay repeats is appended, so the binder reports the duplicate where it was written.
            int at = key != null && merged.add(key) ? indexOf(tuples, key) : -1;
            if (at < 0) {
                tuples.add(t);
                continue;
            }
            NodeTuple old = tuples.get(at);
            boolean recurse = old.getValueNode() instanceof MappingNode && t.getValueNode() instanceof MappingNode;
            // A replaced value is located with its own key; a merged mapping keeps the key the profile wrote.
            tuples.set(at, new NodeTuple(recurse ? old.getKeyNode() : t.getKeyNode(), merge(old.getValueNode(), t.getValueNode(), origins)));
        }
        return copy(b, tuples, origins);
    }

    /** {@code node} (null when absent) with the value at {@code a.path()[depth..]} replaced. */
    private static Node set(Node node, Assignment a, int depth, Origins.Source source, Origins origins) {
        if (depth == a.path().size()) {
            return a.value();
        }
        Object segment = a.path().get(depth);
        NodePath here = new NodePath(a.path().subList(0, depth));
        boolean absent = node == null || isNull(node);
        if (segment instanceof String key) {
            if (absent) {
                MappingNode made = new MappingNode(Tag.MAP, true, new ArrayList<>(List.of(new NodeTuple(keyNode(key, source, origins),
                        set(null, a, depth + 1, source, origins)))), NO_MARK, NO_MARK, DumperOptions.FlowStyle.BLOCK);
                origins.register(made, source);
                return made;
            }
            if (!(node instanceof MappingNode m)) {
                throw new InputException(Diagnostic.error(Binder.WRONG_TYPE, here.display() + " is " + kind(node) + ", not a mapping, so "
                        + a.option() + " cannot set a field '" + key + "' in it",
                        node instanceof SequenceNode ? "pick an item first: " + here.display() + "[0]." + key : "set " + here.display() + " itself",
                        Location.ofFile(a.option())));
            }
            List<NodeTuple> tuples = new ArrayList<>(m.getValue());
            int at = indexOf(tuples, key);
            if (at < 0) {
                tuples.add(new NodeTuple(keyNode(key, source, origins), set(null, a, depth + 1, source, origins)));
            } else {
                NodeTuple old = tuples.get(at);
                // As in a merge: a replaced value is located with its own key, a mapping on the way keeps the profile's.
                Node keyNode = depth + 1 == a.path().size() ? keyNode(key, source, origins) : old.getKeyNode();
                tuples.set(at, new NodeTuple(keyNode, set(old.getValueNode(), a, depth + 1, source, origins)));
            }
            return copy(m, tuples, origins);
        }
        int index = (Integer) segment;
        if (absent) {
            if (index != 0) {
                throw new InputException(Diagnostic.error(Binder.INVALID_VALUE, a.option() + ": " + here.display()
                        + " has no items, so item [" + index + "] cannot be set", "start a new list with " + here.display() + "[0]",
                        Location.ofFile(a.option())));
            }
            SequenceNode made = new SequenceNode(Tag.SEQ, true, new ArrayList<>(List.of(set(null, a, depth + 1, source, origins))),
                    NO_MARK, NO_MARK, DumperOptions.FlowStyle.BLOCK);
            origins.register(made, source);
            return made;
        }
        if (!(node instanceof SequenceNode s)) {
            throw new InputException(Diagnostic.error(Binder.WRONG_TYPE, here.display() + " is " + kind(node) + ", not a list, so "
                    + a.option() + " cannot pick item [" + index + "] of it",
                    node instanceof MappingNode ? "name one of its fields instead: " + here.display() + ".FIELD" : "set " + here.display() + " itself",
                    Location.ofFile(a.option())));
        }
        List<Node> items = new ArrayList<>(s.getValue());
        if (index > items.size()) {
            throw new InputException(Diagnostic.error(Binder.INVALID_VALUE, a.option() + ": " + here.display() + " has " + items.size()
                    + (items.size() == 1 ? " item" : " items") + ", so there is no item [" + index + "]",
                    "use an index from 0 to " + (items.size() - 1) + ", or [" + items.size() + "] to add an item",
                    Location.ofFile(a.option())));
        }
        if (index == items.size()) {
            items.add(set(null, a, depth + 1, source, origins));
        } else {
            items.set(index, set(items.get(index), a, depth + 1, source, origins));
        }
        SequenceNode copy = new SequenceNode(s.getTag(), true, items, s.getStartMark(), s.getEndMark(), s.getFlowStyle());
        origins.same(copy, s);
        return copy;
    }

    private static MappingNode copy(MappingNode m, List<NodeTuple> tuples, Origins origins) {
        MappingNode copy = new MappingNode(m.getTag(), true, tuples, m.getStartMark(), m.getEndMark(), m.getFlowStyle());
        origins.same(copy, m);
        return copy;
    }

    private static ScalarNode keyNode(String key, Origins.Source source, Origins origins) {
        ScalarNode node = new ScalarNode(Tag.STR, key, NO_MARK, NO_MARK, DumperOptions.ScalarStyle.PLAIN);
        origins.register(node, source);
        return node;
    }

    /** The first entry whose key is the plain text {@code key}; merge keys and non-scalar keys never match. */
    private static int indexOf(List<NodeTuple> tuples, String key) {
        for (int i = 0; i < tuples.size(); i++) {
            if (key.equals(plainKey(tuples.get(i).getKeyNode()))) {
                return i;
            }
        }
        return -1;
    }

    private static String plainKey(Node key) {
        return key instanceof ScalarNode s && !key.getTag().equals(Tag.MERGE) && !isNull(key) ? s.getValue() : null;
    }

    private static String kind(Node node) {
        return node instanceof MappingNode ? "a mapping" : node instanceof SequenceNode ? "a list" : "the value '" + ((ScalarNode) node).getValue() + "'";
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode && node.getTag().equals(Tag.NULL);
    }
}
