package dev.redisgen.profile;

import dev.redisgen.diag.Diagnostic;
import dev.redisgen.diag.Location;
import dev.redisgen.validation.Validation;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Binds a composed YAML node tree onto the schema records by reflection, strictly: exact camelCase keys,
 * YAML-typed scalars, no unknown keys. It collects every problem in the document instead of stopping at the
 * first, so one run shows the user all of them (SPEC: "bad input gets one clear message" per problem).
 *
 * <p>It also recovers, so lint can run its rules in the same pass (issue 11: load errors must not hide rule
 * findings): a value that does not bind is left out as if it were not written (its field takes its default, a
 * broken list item is dropped, a broken map entry too) and the record around it still binds. Only a record whose
 * required field is broken cannot exist; it is left out in turn. {@link #bind} returns null only when the
 * profile itself cannot be bound. The source map follows the recovered profile: list items after a dropped one
 * are renumbered, so a rule's pointer into the bound profile finds the line the user wrote.
 */
final class Binder {
    static final String YAML_SYNTAX = "yaml-syntax";
    static final String DUPLICATE_KEY = "duplicate-key";
    static final String UNKNOWN_FIELD = "unknown-field";
    static final String WRONG_TYPE = "wrong-type";
    static final String MISSING_FIELD = "missing-field";
    static final String INVALID_VALUE = "invalid-value";

    /** Tags a plain-data profile may carry, explicitly or resolved; anything else (e.g. !!python/object) is refused. */
    private static final Set<Tag> PLAIN_TAGS = Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL, Tag.MAP, Tag.SEQ, Tag.TIMESTAMP);
    /** YAML 1.1 (snakeyaml) also resolves yes/no/on/off as booleans; a profile accepts only true and false. */
    private static final Set<String> BOOLEAN_WORDS = Set.of("true", "True", "TRUE", "false", "False", "FALSE");
    /** Plain decimal only: YAML 1.1 reads 010 as 8 and 1:30 as 90, which no one means in a profile. */
    private static final Pattern DECIMAL_INTEGER = Pattern.compile("[-+]?(0|[1-9][0-9]*)");

    /** Kubernetes name rules for the strings that become object names. */
    private enum NameRule { LABEL, LABEL_1035, SUBDOMAIN }

    private final Origins origins;
    private final List<Diagnostic> errors = new ArrayList<>();
    private final TreeMap<String, SourceMap.Entry> written = new TreeMap<>();

    /** Binds a document of one input (a @Default's text). */
    Binder(String file) {
        this(new Origins(file));
    }

    /** Binds a document whose nodes may come from several inputs (a profile with -f and --set overrides). */
    Binder(Origins origins) {
        this.origins = origins;
    }

    Object bind(Type type, Node root) {
        return bindValue(type, root, NodePath.ROOT);
    }

    /** Every problem found, in document order: by input (the profile, then its overrides in order), line, column. */
    List<Diagnostic> errors() {
        return sorted(errors);
    }

    /** {@code diagnostics} in the binder's order: by input (the profile first), then line and column. */
    List<Diagnostic> sorted(List<Diagnostic> diagnostics) {
        List<Diagnostic> sorted = new ArrayList<>(diagnostics);
        sorted.sort(Comparator.comparingInt((Diagnostic d) -> origins.rank(d.location().file()))
                .thenComparingInt(d -> d.location().line()).thenComparingInt(d -> d.location().column()));
        return List.copyOf(sorted);
    }

    SourceMap sourceMap() {
        return new SourceMap(origins.order(), written);
    }

    // ---- dispatch ---------------------------------------------------------------------------------------

    private Object bindValue(Type type, Node node, NodePath path) {
        if (!plainTag(node, path)) {
            return null;
        }
        SchemaTypes.Kind kind = SchemaTypes.kind(type);
        if (isNull(node)) {
            // Components treat null as absent before getting here; a null list item or map value is an error.
            typeError(type, node, path);
            return null;
        }
        return switch (kind) {
            case STRING -> node instanceof ScalarNode s ? s.getValue() : typeError(type, node, path);
            case INTEGER, LONG -> bindInteger(type, node, path);
            case BOOLEAN -> bindBoolean(type, node, path);
            case DECIMAL -> bindDecimal(type, node, path);
            case ENUM -> bindEnum(type, node, path);
            case VALUE -> bindValueType(type, node, path);
            case LIST -> bindList(type, node, path);
            case MAP -> bindMap(type, node, path);
            case RECORD -> bindRecord(SchemaTypes.raw(type), node, path);
        };
    }

    // ---- scalars ----------------------------------------------------------------------------------------

    private Object bindInteger(Type type, Node node, NodePath path) {
        if (!(node instanceof ScalarNode s) || !node.getTag().equals(Tag.INT)) {
            return typeError(type, node, path);
        }
        String text = s.getValue();
        if (!DECIMAL_INTEGER.matcher(text).matches()) {
            return error(INVALID_VALUE, "'" + text + "' " + path.at() + " is not a plain decimal integer",
                    "write it in decimal without leading zeros, '_' or a 0x/0o/0b prefix (YAML 1.1 reads 010 as 8)", node, path);
        }
        BigInteger value = new BigInteger(text);
        boolean isInt = SchemaTypes.raw(type) == int.class || SchemaTypes.raw(type) == Integer.class;
        BigInteger min = BigInteger.valueOf(isInt ? Integer.MIN_VALUE : Long.MIN_VALUE);
        BigInteger max = BigInteger.valueOf(isInt ? Integer.MAX_VALUE : Long.MAX_VALUE);
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            return error(INVALID_VALUE, text + " " + path.at() + " is out of range",
                    "write a whole number between " + min + " and " + max, node, path);
        }
        return isInt ? (Object) value.intValueExact() : (Object) value.longValueExact();
    }

    private Object bindBoolean(Type type, Node node, NodePath path) {
        if (!(node instanceof ScalarNode s) || !node.getTag().equals(Tag.BOOL)) {
            return typeError(type, node, path);
        }
        if (!BOOLEAN_WORDS.contains(s.getValue())) {
            return error(WRONG_TYPE, "expected true or false " + path.at() + ", got '" + s.getValue() + "'",
                    "write `true` or `false`; YAML 1.1 words like yes, no, on and off are not booleans in a profile", node, path);
        }
        return Boolean.valueOf(s.getValue().toLowerCase(Locale.ROOT));
    }

    private Object bindDecimal(Type type, Node node, NodePath path) {
        if (!(node instanceof ScalarNode s) || !(node.getTag().equals(Tag.INT) || node.getTag().equals(Tag.FLOAT))) {
            return typeError(type, node, path);
        }
        try {
            return new BigDecimal(s.getValue());
        } catch (NumberFormatException e) {
            return error(INVALID_VALUE, "'" + s.getValue() + "' " + path.at() + " is not a finite decimal number",
                    "write a plain decimal number such as 2 or 1.5", node, path);
        }
    }

    private Object bindEnum(Type type, Node node, NodePath path) {
        if (!(node instanceof ScalarNode s)) {
            return typeError(type, node, path);
        }
        // Any scalar's text: `aof: no` and `aof: off` are YAML 1.1 booleans but mean the enum constants here.
        Class<?> enumType = SchemaTypes.raw(type);
        List<String> names = SchemaTypes.yamlNames(enumType);
        int index = names.indexOf(s.getValue());
        if (index >= 0) {
            return enumType.getEnumConstants()[index];
        }
        return error(INVALID_VALUE, "unknown value '" + s.getValue() + "' for " + path.display() + Suggest.didYouMean(s.getValue(), names),
                "write one of: " + String.join(", ", names), node, path);
    }

    private Object bindValueType(Type type, Node node, NodePath path) {
        if (!(node instanceof ScalarNode s)) {
            return typeError(type, node, path);
        }
        Class<?> c = SchemaTypes.raw(type);
        try {
            // The text as written: the YAML int 2 is the CPU quantity "2".
            return SchemaTypes.parseMethod(c).invoke(null, s.getValue());
        } catch (InvocationTargetException e) {
            String reason = e.getCause() instanceof IllegalArgumentException iae && iae.getMessage() != null
                    ? iae.getMessage()
                    : "'" + s.getValue() + "' is out of range";
            return error(INVALID_VALUE, path.display() + ": " + reason, "write a " + SchemaTypes.doc(c), node, path);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("parse of " + c.getName() + " is not public", e);
        }
    }

    // ---- collections ------------------------------------------------------------------------------------

    private Object bindList(Type type, Node node, NodePath path) {
        if (!(node instanceof SequenceNode seq)) {
            return typeError(type, node, path);
        }
        Type elementType = SchemaTypes.typeArgument(type, 0);
        List<Object> out = new ArrayList<>();
        Map<Integer, Integer> boundIndex = new HashMap<>();
        int i = 0;
        for (Node item : seq.getValue()) {
            NodePath itemPath = path.child(i);
            remember(itemPath, item, null);
            Object value = bindValue(elementType, item, itemPath);
            if (value != null) {
                boundIndex.put(i, out.size());
                out.add(value);
            }
            i++;
        }
        if (out.size() < i) {
            renumber(path, boundIndex);
            if (out.isEmpty()) {
                // Every item broke: the list stands for nothing the user meant, so its field is broken too.
                return null;
            }
        }
        return List.copyOf(out);
    }

    /** After dropping broken items: source-map pointers under the list follow the items' new indexes. */
    private void renumber(NodePath list, Map<Integer, Integer> boundIndex) {
        String prefix = list.pointer() + "/";
        Map<String, SourceMap.Entry> moved = new TreeMap<>();
        var under = written.tailMap(prefix, true).entrySet().iterator();
        while (under.hasNext()) {
            var entry = under.next();
            // Read before remove(): TreeMap may reuse the removed node for its successor.
            String key = entry.getKey();
            SourceMap.Entry value = entry.getValue();
            if (!key.startsWith(prefix)) {
                break;
            }
            String rest = key.substring(prefix.length());
            int slash = rest.indexOf('/');
            Integer index = boundIndex.get(Integer.valueOf(slash < 0 ? rest : rest.substring(0, slash)));
            under.remove();
            if (index != null) {
                moved.put(prefix + index + (slash < 0 ? "" : rest.substring(slash)), value);
            }
        }
        written.putAll(moved);
    }

    private Object bindMap(Type type, Node node, NodePath path) {
        if (!(node instanceof MappingNode mapping)) {
            return typeError(type, node, path);
        }
        // TreeMap: labels are emitted sorted, the same on every run (ARCHITECTURE habit 4).
        TreeMap<String, String> out = new TreeMap<>();
        Map<String, Node> seen = new HashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            String key = keyName(tuple.getKeyNode(), path);
            if (key == null || duplicate(key, tuple.getKeyNode(), seen, path)) {
                continue;
            }
            NodePath entryPath = path.child(key);
            Node value = tuple.getValueNode();
            remember(entryPath, value, tuple.getKeyNode());
            Object text = bindValue(String.class, value, entryPath);
            if (text != null) {
                out.put(key, (String) text);
            }
        }
        return Collections.unmodifiableMap(out);
    }

    // ---- records ----------------------------------------------------------------------------------------

    /**
     * What binding needs of a record type, read by reflection once per type and kept (a profile binds dozens of records,
     * a batch thousands of profiles): its components in order, their names, generic types, whether each must be written
     * or has a {@code @Default}, the name rule of each, and the canonical constructor. Any record the schema gains, and
     * any component added to one, is covered as it is: nothing here names a field.
     */
    private record Shape(RecordComponent[] components, List<String> names, Type[] types, boolean[] required, boolean[] defaulted,
            NameRule[] nameRules, Constructor<?> constructor) {
    }

    private static final ClassValue<Shape> SHAPES = new ClassValue<>() {
        @Override
        protected Shape computeValue(Class<?> type) {
            RecordComponent[] components = type.getRecordComponents();
            Type[] types = new Type[components.length];
            Class<?>[] raw = new Class<?>[components.length];
            boolean[] required = new boolean[components.length];
            boolean[] defaulted = new boolean[components.length];
            NameRule[] nameRules = new NameRule[components.length];
            for (int i = 0; i < components.length; i++) {
                RecordComponent rc = components[i];
                types[i] = rc.getGenericType();
                raw[i] = rc.getType();
                required[i] = SchemaTypes.mustBeWritten(rc);
                defaulted[i] = rc.isAnnotationPresent(Default.class);
                nameRules[i] = nameRule(type, rc.getName());
            }
            try {
                return new Shape(components, SchemaTypes.componentNames(type), types, required, defaulted, nameRules,
                        type.getDeclaredConstructor(raw));
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("record " + type.getName() + " without its canonical constructor", e);
            }
        }
    };

    private Object bindRecord(Class<?> type, Node node, NodePath path) {
        if (!(node instanceof MappingNode mapping)) {
            return typeError(type, node, path);
        }
        Shape shape = SHAPES.get(type);
        RecordComponent[] components = shape.components();
        List<String> names = shape.names();
        Map<String, NodeTuple> present = new HashMap<>();
        Map<String, Node> seen = new HashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            String key = keyName(keyNode, path);
            if (key == null || duplicate(key, keyNode, seen, path)) {
                continue;
            }
            if (!names.contains(key)) {
                error(UNKNOWN_FIELD, "unknown field '" + key + "' " + path.in() + Suggest.didYouMean(key, names),
                        "valid fields " + path.in() + ": " + String.join(", ", names), origins.at(keyNode));
                continue;
            }
            present.put(key, tuple);
        }
        Object[] args = new Object[components.length];
        boolean broken = false;
        for (int i = 0; i < components.length; i++) {
            String name = names.get(i);
            NodePath fieldPath = path.child(name);
            NodeTuple tuple = present.get(name);
            if (tuple != null) {
                remember(fieldPath, tuple.getValueNode(), tuple.getKeyNode());
            }
            if (tuple != null && !isNull(tuple.getValueNode())) {
                args[i] = bindValue(shape.types()[i], tuple.getValueNode(), fieldPath);
                if (args[i] instanceof String s && shape.nameRules()[i] != null) {
                    // A malformed name is reported but kept: the rules can still judge everything around it.
                    checkName(shape.nameRules()[i], s, tuple.getValueNode(), fieldPath);
                }
                if (args[i] == null) {
                    // Did not bind (reported): as if it were not written, unless the record cannot do without it.
                    broken |= shape.required()[i];
                    args[i] = unwritten(type, shape, i);
                }
            } else if (shape.required()[i]) {
                // An explicit `quorum:` (null) counts as missing, but points at the key the user did write.
                Location where = tuple != null ? origins.at(tuple.getKeyNode()) : location(mapping, path);
                error(MISSING_FIELD, "missing required field '" + name + "' " + path.in(),
                        "add `" + name + ": " + SchemaTypes.placeholder(shape.types()[i]) + "` — " + SchemaTypes.doc(components[i]), where);
                broken = true;
            } else {
                args[i] = unwritten(type, shape, i);
            }
        }
        if (broken) {
            return null;
        }
        return construct(type, shape.constructor(), args, node, path);
    }

    /** The value of a field the profile leaves out (or whose value is left out because it does not bind). */
    private static Object unwritten(Class<?> type, Shape shape, int i) {
        return shape.defaulted()[i] ? Defaults.value(type, shape.components()[i]) : absent(shape.types()[i]);
    }

    private Object construct(Class<?> type, Constructor<?> constructor, Object[] args, Node node, NodePath path) {
        try {
            return constructor.newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException iae && iae.getMessage() != null) {
                return error(INVALID_VALUE, path.display() + ": " + iae.getMessage(), null, node, path);
            }
            throw new IllegalStateException("cannot construct " + type.getName(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot construct " + type.getName(), e);
        }
    }

    /** Absent optional fields: empty immutable collections (never null lists), otherwise null. */
    private static Object absent(Type type) {
        return switch (SchemaTypes.kind(type)) {
            case LIST -> List.of();
            case MAP -> Map.of();
            default -> null;
        };
    }

    // ---- keys, names, tags ------------------------------------------------------------------------------

    private String keyName(Node keyNode, NodePath path) {
        if (keyNode.getTag().equals(Tag.MERGE)) {
            error(UNKNOWN_FIELD, "merge key '<<' is not supported " + path.in(),
                    "write the fields out; a profile is plain data", origins.at(keyNode));
            return null;
        }
        if (!plainTag(keyNode, path)) {
            return null;
        }
        if (!(keyNode instanceof ScalarNode s) || isNull(keyNode)) {
            error(WRONG_TYPE, "expected a field name " + path.in() + ", got " + got(keyNode),
                    "write each field as `name: value`", origins.at(keyNode));
            return null;
        }
        return s.getValue();
    }

    private boolean duplicate(String key, Node keyNode, Map<String, Node> seen, NodePath path) {
        Node first = seen.putIfAbsent(key, keyNode);
        if (first == null) {
            return false;
        }
        Location firstAt = origins.at(first);
        Location here = origins.at(keyNode);
        String where = firstAt.file().equals(here.file()) && firstAt.line() > 0 ? "on line " + firstAt.line() : "at " + firstAt;
        error(DUPLICATE_KEY, "duplicate key '" + key + "' " + path.in() + " (first set " + where + ")", "keep one of them", here);
        return true;
    }

    private boolean plainTag(Node node, NodePath path) {
        if (PLAIN_TAGS.contains(node.getTag())) {
            return true;
        }
        String tag = node.getTag().getValue();
        String shown = tag.startsWith(Tag.PREFIX) ? "!!" + tag.substring(Tag.PREFIX.length()) : tag;
        error(WRONG_TYPE, "the YAML tag '" + shown + "' is not allowed " + path.at() + "; a profile is plain data",
                "remove the tag '" + shown + "'", node, path);
        return false;
    }

    /** Strings that become Kubernetes object names are checked here, where the line is still known. */
    private void checkName(NameRule rule, String value, Node node, NodePath path) {
        boolean ok = switch (rule) {
            case LABEL -> Validation.isDNS1123Label(value).isEmpty();
            case LABEL_1035 -> Validation.isDNS1035Label(value).isEmpty();
            case SUBDOMAIN -> Validation.isDNS1123Subdomain(value).isEmpty();
        };
        if (ok) {
            return;
        }
        String what = switch (rule) {
            case LABEL -> "a DNS label (RFC 1123): lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters";
            case LABEL_1035 -> "a DNS label that starts with a letter (RFC 1035, as Kubernetes requires of Service names): "
                    + "lower-case letters, digits and '-', ending with a letter or digit, at most 63 characters";
            case SUBDOMAIN -> "a DNS subdomain (RFC 1123): lower-case letters, digits, '-' and '.', at most 253 characters";
        };
        error(INVALID_VALUE, "'" + value + "' is not a valid Kubernetes name for " + path.display() + "; it must be " + what,
                "write e.g. '" + suggestName(value, rule) + "'", node, path);
    }

    private static NameRule nameRule(Class<?> owner, String component) {
        if ((owner == Profile.class || owner == NamespaceSpec.class || owner == BackupSpec.Schedule.class) && component.equals("name")) {
            return NameRule.LABEL;
        }
        // The deployment name is the default write Service name (ServicesSpec), so it follows the Service rule.
        if ((owner == DeploymentSpec.class && component.equals("name"))
                || (owner == ServicesSpec.class && List.of("write", "readOnly", "sentinel", "headless").contains(component))) {
            return NameRule.LABEL_1035;
        }
        // The Secret exists already, and Secret names are DNS subdomains: refusing a dot would refuse a real name.
        if (owner == AuthSpec.class && component.equals("secretName")) {
            return NameRule.SUBDOMAIN;
        }
        return null;
    }

    private static String suggestName(String value, NameRule rule) {
        String s = value.toLowerCase(Locale.ROOT).replaceAll(rule == NameRule.SUBDOMAIN ? "[^a-z0-9.]+" : "[^a-z0-9]+", "-");
        s = s.replaceAll("^[-.]+|[-.]+$", "");
        if (rule == NameRule.LABEL_1035) {
            s = s.replaceAll("^[^a-z]+", "");
        }
        if (s.length() > 63 && rule != NameRule.SUBDOMAIN) {
            s = s.substring(0, 63).replaceAll("-+$", "");
        }
        return s.isEmpty() ? "redis" : s;
    }

    // ---- diagnostics ------------------------------------------------------------------------------------

    private Object typeError(Type type, Node node, NodePath path) {
        return error(WRONG_TYPE, "expected " + expected(type) + " " + path.at() + ", got " + got(node), typeFix(type, node, path), node, path);
    }

    private static String expected(Type type) {
        return switch (SchemaTypes.kind(type)) {
            case STRING -> "a string";
            case INTEGER, LONG -> "an integer";
            case BOOLEAN -> "true or false";
            case DECIMAL -> "a number";
            case ENUM -> "one of " + String.join(", ", SchemaTypes.yamlNames(SchemaTypes.raw(type)));
            case VALUE -> "a " + SchemaTypes.valueName(SchemaTypes.raw(type));
            case LIST -> "a list";
            case MAP -> "a mapping of names to strings";
            case RECORD -> "a mapping";
        };
    }

    private String typeFix(Type type, Node node, NodePath path) {
        String key = path.lastKey();
        Origins.Source source = origins.of(node);
        // The whole value of a --set is fixed on the command line, not in a file.
        boolean wholeSet = !source.positioned() && source.name().equals("--set " + path.display());
        String example = wholeSet ? ", e.g. `" + source.name() + "=%s`" : key == null ? "" : ", e.g. `" + key + ": %s`";
        return switch (SchemaTypes.kind(type)) {
            case STRING -> "write one text value here, not a list or a mapping";
            case INTEGER, LONG -> "write a whole number without quotes" + example.formatted("2");
            case BOOLEAN -> "write `true` or `false` without quotes";
            case DECIMAL -> "write a number without quotes" + example.formatted("1.5");
            case ENUM -> "write one of: " + String.join(", ", SchemaTypes.yamlNames(SchemaTypes.raw(type)));
            case VALUE -> "write a " + SchemaTypes.doc(SchemaTypes.raw(type));
            case LIST -> "write a list: one `- item` per line, or `[a, b]` on one line";
            case MAP -> "write `name: value` pairs, one per line";
            case RECORD -> (node instanceof SequenceNode
                    ? "remove the '- ': " + (key == null ? "this" : "`" + key + "`") + " is one mapping, not a list; "
                    : "")
                    + "write its fields as `name: value` lines (" + String.join(", ", SchemaTypes.componentNames(SchemaTypes.raw(type))) + ")";
        };
    }

    /** How a node reads in a message: "the string 'three'", "a list", "null". */
    private static String got(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        String value = ((ScalarNode) node).getValue();
        String shown = value.length() > 40 ? value.substring(0, 37) + "..." : value;
        Tag tag = node.getTag();
        if (tag.equals(Tag.NULL)) {
            return "null";
        }
        if (tag.equals(Tag.INT)) {
            return "the integer " + shown;
        }
        if (tag.equals(Tag.FLOAT)) {
            return "the number " + shown;
        }
        if (tag.equals(Tag.BOOL)) {
            return "the boolean " + shown;
        }
        return "the string '" + shown + "'";
    }

    private Object error(String ruleId, String message, String fix, Node node, NodePath path) {
        return error(ruleId, message, fix, location(node, path));
    }

    private Object error(String ruleId, String message, String fix, Location location) {
        errors.add(Diagnostic.error(ruleId, message, fix, location));
        return null;
    }

    /** The same answer SourceMap.locate gives for this path: the root is the start of the profile file. */
    private Location location(Node node, NodePath path) {
        return path.isRoot() ? origins.start() : origins.at(node);
    }

    private void remember(NodePath path, Node value, Node key) {
        written.putIfAbsent(path.pointer(), new SourceMap.Entry(origins.at(value), key == null ? null : origins.at(key), origins.end(value)));
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode && node.getTag().equals(Tag.NULL);
    }
}
