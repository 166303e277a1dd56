package dev.redisgen.profile;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * What the binder and the schema reference both need to know about a schema type: its kind, its YAML
 * spelling of enum constants, and a human name. One place, so the README and the error messages agree.
 */
final class SchemaTypes {
    private SchemaTypes() {
    }

    enum Kind { STRING, INTEGER, LONG, BOOLEAN, DECIMAL, ENUM, VALUE, LIST, MAP, RECORD }

    static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        throw new IllegalStateException("unsupported schema type " + type.getTypeName());
    }

    static Type typeArgument(Type type, int index) {
        if (type instanceof ParameterizedType p) {
            return p.getActualTypeArguments()[index];
        }
        throw new IllegalStateException("raw collection type in the schema: " + type.getTypeName());
    }

    /**
     * Each schema type's kind, worked out once: a record type's {@link #parseMethod} look-up throws inside the JDK
     * (NoSuchMethodException), which every profile would otherwise pay for every record it binds.
     */
    private static final Map<Type, Kind> KINDS = new ConcurrentHashMap<>();
    /** Each enum's YAML spellings, read once (a field look-up and its annotations per constant). */
    private static final ClassValue<List<String>> YAML_NAMES = new ClassValue<>() {
        @Override
        protected List<String> computeValue(Class<?> enumType) {
            return Arrays.stream(enumType.getEnumConstants()).map(e -> yamlName((Enum<?>) e)).toList();
        }
    };

    static Kind kind(Type type) {
        Kind kind = KINDS.get(type);
        if (kind == null) {
            kind = computeKind(type);
            KINDS.putIfAbsent(type, kind);
        }
        return kind;
    }

    private static Kind computeKind(Type type) {
        Class<?> c = raw(type);
        if (c == String.class) {
            return Kind.STRING;
        }
        if (c == int.class || c == Integer.class) {
            return Kind.INTEGER;
        }
        if (c == long.class || c == Long.class) {
            return Kind.LONG;
        }
        if (c == boolean.class || c == Boolean.class) {
            return Kind.BOOLEAN;
        }
        if (c == BigDecimal.class) {
            return Kind.DECIMAL;
        }
        if (c.isEnum()) {
            return Kind.ENUM;
        }
        if (c == List.class) {
            return Kind.LIST;
        }
        if (c == Map.class) {
            if (typeArgument(type, 0) != String.class || typeArgument(type, 1) != String.class) {
                throw new IllegalStateException("only Map<String, String> is supported: " + type.getTypeName());
            }
            return Kind.MAP;
        }
        if (parseMethod(c) != null) {
            return Kind.VALUE;
        }
        if (c.isRecord()) {
            return Kind.RECORD;
        }
        throw new IllegalStateException("unsupported schema type " + type.getTypeName());
    }

    /** Each class's parse method or its absence, looked up once (a class without one throws inside the JDK). */
    private static final ClassValue<Optional<Method>> PARSE = new ClassValue<>() {
        @Override
        protected Optional<Method> computeValue(Class<?> c) {
            return Optional.ofNullable(findParseMethod(c));
        }
    };

    /** {@code public static X parse(String)}, which makes X a value type written as one scalar. */
    static Method parseMethod(Class<?> c) {
        return PARSE.get(c).orElse(null);
    }

    private static Method findParseMethod(Class<?> c) {
        try {
            Method m = c.getMethod("parse", String.class);
            return Modifier.isStatic(m.getModifiers()) && m.getReturnType() == c ? m : null;
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    /**
     * CO_LOCATED is written co-located, ALLKEYS_LRU allkeys-lru: the spelling redis.conf and kubectl use; a
     * constant marked {@link Spelled} takes the Kubernetes API's CamelCase word (IfNotPresent, LoadBalancer).
     */
    static String yamlName(Enum<?> constant) {
        try {
            Spelled spelled = constant.getDeclaringClass().getField(constant.name()).getAnnotation(Spelled.class);
            if (spelled != null) {
                return spelled.value();
            }
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("enum constant without its field: " + constant, e);
        }
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static List<String> yamlNames(Class<?> enumType) {
        return YAML_NAMES.get(enumType);
    }

    /** Human name of a value type, for tables and messages. */
    static String valueName(Class<?> c) {
        if (c == Cpu.class) {
            return "cpu quantity";
        }
        if (c == Memory.class) {
            return "memory quantity";
        }
        if (c == RedisBytes.class) {
            return "redis size";
        }
        return c.getSimpleName().toLowerCase(Locale.ROOT);
    }

    /** Section title of a record type: nested records keep their owner ("BackupSpec.Schedule") to stay unique. */
    static String title(Class<?> c) {
        return c.getEnclosingClass() == null ? c.getSimpleName() : title(c.getEnclosingClass()) + "." + c.getSimpleName();
    }

    /** A placeholder for a missing field's fix: `<integer>`, `<sentinel|cluster|standalone>`, `{name: <string>}`. */
    static String placeholder(Type type) {
        return switch (kind(type)) {
            case STRING -> "<string>";
            case INTEGER, LONG -> "<integer>";
            case BOOLEAN -> "<true|false>";
            case DECIMAL -> "<number>";
            case ENUM -> "<" + String.join("|", yamlNames(raw(type))) + ">";
            case VALUE -> "<" + valueName(raw(type)) + ">";
            case LIST -> "[" + placeholder(typeArgument(type, 0)) + "]";
            case MAP -> "{<key>: <value>}";
            case RECORD -> "{" + Arrays.stream(raw(type).getRecordComponents())
                    .filter(SchemaTypes::mustBeWritten)
                    .map(rc -> rc.getName() + ": " + placeholder(rc.getGenericType()))
                    .collect(Collectors.joining(", ")) + "}";
        };
    }

    /**
     * A component the profile must write: @Required, or a primitive without @Default (a primitive has no
     * "absent" value, so binding it silently to 0 or false would invent a setting).
     */
    static boolean mustBeWritten(RecordComponent rc) {
        return rc.isAnnotationPresent(Required.class)
                || (rc.getType().isPrimitive() && !rc.isAnnotationPresent(Default.class));
    }

    static String doc(RecordComponent rc) {
        Doc doc = rc.getAnnotation(Doc.class);
        return doc == null ? "" : doc.value();
    }

    static String doc(Class<?> c) {
        Doc doc = c.getAnnotation(Doc.class);
        return doc == null ? "" : doc.value();
    }

    static List<String> componentNames(Class<?> record) {
        List<String> names = new ArrayList<>();
        for (RecordComponent rc : record.getRecordComponents()) {
            names.add(rc.getName());
        }
        return List.copyOf(names);
    }
}
