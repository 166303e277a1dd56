package dev.redisgen.profile;

import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The README's schema reference, generated from the records so it cannot drift from what the loader accepts.
 * Sections come in breadth-first order from {@link Profile}, components in declaration order: the same text on
 * every run.
 */
public final class SchemaDoc {
    private SchemaDoc() {
    }

    public static String markdown() {
        List<Class<?>> records = new ArrayList<>();
        Set<Class<?>> enums = new LinkedHashSet<>();
        Set<Class<?>> values = new LinkedHashSet<>();
        Deque<Class<?>> queue = new ArrayDeque<>(List.of(Profile.class));
        Set<Class<?>> seen = new LinkedHashSet<>(List.of(Profile.class));
        while (!queue.isEmpty()) {
            Class<?> record = queue.removeFirst();
            records.add(record);
            for (RecordComponent rc : record.getRecordComponents()) {
                Type t = rc.getGenericType();
                if (SchemaTypes.kind(t) == SchemaTypes.Kind.LIST) {
                    t = SchemaTypes.typeArgument(t, 0);
                }
                Class<?> c = SchemaTypes.raw(t);
                switch (SchemaTypes.kind(t)) {
                    case RECORD -> {
                        if (seen.add(c)) {
                            queue.addLast(c);
                        }
                    }
                    case ENUM -> enums.add(c);
                    case VALUE -> values.add(c);
                    default -> { }
                }
            }
        }

        StringBuilder out = new StringBuilder();
        for (Class<?> record : records) {
            section(out, record);
            out.append("| field | type | default | meaning |\n");
            out.append("|---|---|---|---|\n");
            for (RecordComponent rc : record.getRecordComponents()) {
                out.append("| `").append(rc.getName()).append("` | ")
                        .append(cell(type(rc.getGenericType()))).append(" | ")
                        .append(cell(defaultText(rc))).append(" | ")
                        .append(cell(SchemaTypes.doc(rc))).append(" |\n");
            }
            out.append('\n');
        }
        for (Class<?> e : enums) {
            section(out, e);
            out.append("Values: ").append(String.join(", ", SchemaTypes.yamlNames(e).stream().map(n -> "`" + n + "`").toList())).append(".\n\n");
        }
        for (Class<?> v : values) {
            section(out, v);
        }
        return out.toString();
    }

    private static void section(StringBuilder out, Class<?> type) {
        // An explicit anchor: nested names like BackupSpec.Schedule get no stable heading id on every renderer.
        out.append("<a id=\"").append(anchor(type)).append("\"></a>\n");
        out.append("### ").append(SchemaTypes.title(type)).append("\n\n");
        String doc = SchemaTypes.doc(type);
        if (!doc.isEmpty()) {
            out.append(doc.endsWith(".") ? doc : doc + ".").append("\n\n");
        }
    }

    static String anchor(Class<?> type) {
        return SchemaTypes.title(type).toLowerCase(Locale.ROOT).replace('.', '-');
    }

    private static String type(Type t) {
        Class<?> c = SchemaTypes.raw(t);
        return switch (SchemaTypes.kind(t)) {
            case STRING -> "string";
            case INTEGER, LONG -> "integer";
            case BOOLEAN -> "boolean";
            case DECIMAL -> "number";
            case ENUM -> "one of: " + String.join(", ", SchemaTypes.yamlNames(c));
            case VALUE -> "[" + SchemaTypes.valueName(c) + "](#" + anchor(c) + ")";
            case LIST -> "list of " + type(SchemaTypes.typeArgument(t, 0));
            case MAP -> "map of string to string";
            case RECORD -> "[" + SchemaTypes.title(c) + "](#" + anchor(c) + ")";
        };
    }

    private static String defaultText(RecordComponent rc) {
        Default d = rc.getAnnotation(Default.class);
        if (d != null) {
            return "`" + d.value() + "`";
        }
        return SchemaTypes.mustBeWritten(rc) ? "required" : "—";
    }

    /** Table cells: a '|' would end the cell, a newline the row. */
    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
