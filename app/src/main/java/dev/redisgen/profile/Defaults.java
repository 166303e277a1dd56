package dev.redisgen.profile;

import dev.redisgen.diag.Diagnostic;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Values of {@code @Default} texts, bound exactly like user input so a default can never mean something a
 * profile could not say. The bound values are immutable records, so each is computed once.
 */
final class Defaults {
    /**
     * By owner and component name: a RecordComponent has identity equality, and each getRecordComponents() call makes
     * new ones, so a cache keyed by them would never be hit (every profile composed and bound every default again).
     */
    private static final ClassValue<Map<String, Object>> CACHE = new ClassValue<>() {
        @Override
        protected Map<String, Object> computeValue(Class<?> owner) {
            return new ConcurrentHashMap<>();
        }
    };

    private Defaults() {
    }

    static Object value(Class<?> owner, RecordComponent rc) {
        Map<String, Object> values = CACHE.get(owner);
        Object cached = values.get(rc.getName());
        if (cached != null) {
            return cached;
        }
        Object value = bind(owner, rc);
        Object first = values.putIfAbsent(rc.getName(), value);
        return first == null ? value : first;
    }

    /** A default that does not bind is a bug in the schema, not bad input: it fails loudly, naming the field. */
    private static Object bind(Class<?> owner, RecordComponent rc) {
        String text = rc.getAnnotation(Default.class).value();
        String field = SchemaTypes.title(owner) + "." + rc.getName();
        Node node;
        try {
            node = Yamls.compose(text);
        } catch (RuntimeException e) {
            throw new IllegalStateException("@Default(\"" + text + "\") of " + field + " is not YAML", e);
        }
        if (node == null) {
            throw new IllegalStateException("@Default(\"" + text + "\") of " + field + " is empty");
        }
        Binder binder = new Binder("@Default of " + field);
        Object value = binder.bind(rc.getGenericType(), node);
        List<Diagnostic> errors = binder.errors();
        if (!errors.isEmpty() || value == null) {
            throw new IllegalStateException("@Default(\"" + text + "\") of " + field + " does not bind: "
                    + (errors.isEmpty() ? "null" : errors.get(0).message()));
        }
        return value;
    }
}
