package dev.redisgen.explain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.redisgen.emit.PrettyJson;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.List;

/**
 * The explanation for machines: the same {@link Explanation} as the text, every record an object whose keys
 * are its components in declaration order (absent values as null), so the key order and the bytes are the
 * same on every run, JDK and platform.
 */
public final class JsonReport {
    private JsonReport() {
    }

    public static String json(Explanation e) {
        return write(node(e));
    }

    /** Several explanations as one JSON array, in the order given (explain of several profiles). */
    public static String json(List<Explanation> explanations) {
        return write(node(explanations));
    }

    private static String write(JsonNode root) {
        return PrettyJson.write(root, "the explanation");
    }

    static JsonNode node(Object value) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (value == null) {
            return f.nullNode();
        }
        if (value instanceof String s) {
            return f.textNode(s);
        }
        if (value instanceof Integer i) {
            return f.numberNode(i);
        }
        if (value instanceof Boolean b) {
            return f.booleanNode(b);
        }
        if (value instanceof List<?> list) {
            ArrayNode a = f.arrayNode();
            list.forEach(v -> a.add(node(v)));
            return a;
        }
        if (value instanceof Record r) {
            ObjectNode o = f.objectNode();
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                try {
                    o.set(c.getName(), node(c.getAccessor().invoke(r)));
                } catch (IllegalAccessException | InvocationTargetException ex) {
                    throw new IllegalStateException("cannot read " + c, ex);
                }
            }
            return o;
        }
        throw new IllegalArgumentException("no JSON form for " + value.getClass());
    }
}
