package dev.redisgen.codegen;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.introspect.AnnotatedField;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.AnnotatedMethod;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.ser.AnyGetterWriter;
import com.fasterxml.jackson.databind.ser.BeanPropertyWriter;
import com.fasterxml.jackson.databind.ser.BeanSerializer;
import com.fasterxml.jackson.databind.ser.PropertyWriter;
import com.fasterxml.jackson.databind.ser.std.BeanSerializerBase;
import com.fasterxml.jackson.databind.ser.std.MapSerializer;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Generates the Java source of a writer that emits model objects through a Jackson {@code JsonGenerator} exactly as
 * Jackson's reflective {@code BeanSerializer}s would, without reflection: the property names, their order, their
 * inclusion and the accessor of each come from Jackson's own introspection here, at build time, configured as
 * {@code dev.redisgen.emit.YamlWriter}'s reflective mapper is (non-null values; empty lists, sets and maps left out;
 * fabric8's {@code @JsonPropertyOrder}; map entries sorted by key). The result is one class: a {@code write} method
 * per model class, a {@code write(JsonGenerator, Object)} that dispatches on the runtime class (an unknown class is an
 * {@link IllegalStateException}, never a guess) and the list of covered class names.
 *
 * <p>What the generator cannot reproduce exactly (a custom serializer it does not know, type ids, filters, unwrapping,
 * a non-String map key, an enum, an abstract property type) stops the build with the class and property named.
 */
public final class YamlWriterGenerator {

    /** Something the generated writer could not write as Jackson does: the build fails with this message. */
    public static final class Unsupported extends Exception {
        private static final long serialVersionUID = 1L;

        Unsupported(String message) {
            super(message);
        }
    }

    /** Serializers of fabric8 value types whose output the generated code reproduces (see {@link #valueCode}). */
    private static final String QUANTITY_SERIALIZER = "io.fabric8.kubernetes.api.model.Quantity$Serializer";
    private static final String ANY_TYPE_SERIALIZER = "io.fabric8.kubernetes.api.model.AnyType$Serializer";

    private final List<Class<?>> roots;
    private final ObjectMapper mapper;
    private final SerializerProvider provider;
    private final SerializationConfig config;
    /** Bean classes to generate, by name: sorted, so the generated source is the same on every build. */
    private final Map<String, Class<?>> beans = new TreeMap<>();

    public YamlWriterGenerator(List<Class<?>> roots) {
        this(roots, false);
    }

    /** @param jacksonDefaults {@link GenerateYamlWriter#jacksonDefaults()} */
    public YamlWriterGenerator(List<Class<?>> roots, boolean jacksonDefaults) {
        this.roots = List.copyOf(roots);
        if (jacksonDefaults) {
            // As NameJobsAfterSpec's mapper was: Jackson's inclusion, properties sorted, map entries by key.
            this.mapper = JsonMapper.builder()
                    .configure(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, true)
                    .configure(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
                    .build();
        } else {
            // As YamlWriter's reflective mapper: bean properties in @JsonPropertyOrder then declaration order, nulls left
            // out, and for list, set and map properties empties left out too (emptyDir: {} stays, it is a bean).
            this.mapper = JsonMapper.builder()
                    .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
                    .serializationInclusion(JsonInclude.Include.NON_NULL)
                    .build();
            JsonInclude.Value nonEmpty = JsonInclude.Value.construct(JsonInclude.Include.NON_EMPTY, JsonInclude.Include.ALWAYS);
            for (Class<?> type : List.of(Map.class, List.class, Set.class, Collection.class)) {
                mapper.configOverride(type).setIncludeAsProperty(nonEmpty);
            }
        }
        this.provider = mapper.getSerializerProviderInstance();
        this.config = mapper.getSerializationConfig();
    }

    /** The source of {@code pkg.name}. */
    public String generate(String pkg, String name) throws Unsupported {
        Deque<Class<?>> work = new ArrayDeque<>(roots);
        Map<String, String> methods = new TreeMap<>();
        while (!work.isEmpty()) {
            Class<?> type = work.pop();
            if (beans.containsKey(type.getName())) {
                continue;
            }
            beans.put(type.getName(), type);
            methods.put(type.getName(), beanMethod(type, work));
        }
        StringBuilder s = new StringBuilder();
        s.append("package ").append(pkg).append(";\n\n");
        s.append("/**\n * GENERATED at build time by dev.redisgen.codegen.YamlWriterGenerator from the fabric8 model classes; do not edit.\n")
                .append(" * Writes the covered classes through a JsonGenerator as Jackson's reflective serializers would.\n */\n");
        s.append("@SuppressWarnings({\"unchecked\", \"rawtypes\"})\n");
        s.append("final class ").append(name).append(" {\n");
        s.append("    private ").append(name).append("() {\n    }\n\n");
        s.append("    /** Every class written, by name, sorted. */\n");
        s.append("    static final java.util.List<String> COVERED = java.util.List.of(\n");
        Iterator<String> names = beans.keySet().iterator();
        while (names.hasNext()) {
            s.append("            \"").append(names.next()).append('"').append(names.hasNext() ? ",\n" : ");\n\n");
        }
        s.append("    private static final io.fabric8.kubernetes.api.model.Quantity.Serializer QUANTITY = new io.fabric8.kubernetes.api.model.Quantity.Serializer();\n\n");
        s.append(dispatch());
        s.append(helpers());
        for (String method : methods.values()) {
            s.append(method);
        }
        s.append("}\n");
        return s.toString();
    }

    /** {@code write(JsonGenerator, Object)}: any value, by its runtime class. */
    private String dispatch() {
        StringBuilder s = new StringBuilder();
        s.append("""
                    /**
                     * Writes {@code v} as Jackson would serialize a value of its runtime class: null, String, numbers, Boolean,
                     * maps (entries sorted by key) and collections, and the covered model classes.
                     *
                     * @throws IllegalStateException for any other class: it needs a root in @GenerateYamlWriter, not a guess
                     */
                    static void write(com.fasterxml.jackson.core.JsonGenerator g, Object v) throws java.io.IOException {
                        if (v == null) {
                            g.writeNull();
                        } else if (v instanceof String x) {
                            g.writeString(x);
                        } else if (v instanceof Boolean x) {
                            g.writeBoolean(x);
                        } else if (v instanceof Integer x) {
                            g.writeNumber(x.intValue());
                        } else if (v instanceof Long x) {
                            g.writeNumber(x.longValue());
                        } else if (v instanceof Double x) {
                            g.writeNumber(x.doubleValue());
                        } else if (v instanceof Float x) {
                            g.writeNumber(x.floatValue());
                        } else if (v instanceof Short x) {
                            g.writeNumber(x.shortValue());
                        } else if (v instanceof Byte x) {
                            g.writeNumber(x.intValue());
                        } else if (v instanceof java.math.BigDecimal x) {
                            g.writeNumber(x);
                        } else if (v instanceof java.math.BigInteger x) {
                            g.writeNumber(x);
                        } else if (v instanceof java.util.Map x) {
                            writeMap(g, x, NESTED_MAP_SKIPS_NULLS);
                        } else if (v instanceof java.util.Collection x) {
                            writeCollection(g, x);
                        } else {
                            switch (v.getClass().getName()) {
                """);
        for (Class<?> bean : beans.values()) {
            s.append("                case \"").append(bean.getName()).append("\" -> ").append(methodName(bean)).append("(g, (")
                    .append(bean.getCanonicalName()).append(") v);\n");
        }
        s.append("""
                                default -> throw new IllegalStateException("no generated YAML writer for " + v.getClass().getName()
                                        + "; add it (or the class that holds it) to the roots of @GenerateYamlWriter");
                            }
                        }
                    }

                """);
        return s.toString();
    }

    private String helpers() throws Unsupported {
        // A map without a declared property (a value inside an Object-typed field): Jackson's defaults for Map apply.
        JsonInclude.Include nested = config.getDefaultPropertyInclusion(Map.class).getContentInclusion();
        return "    /** Whether a map reached through an Object-typed value leaves out null values (Jackson's defaults for Map). */\n"
                + "    private static final boolean NESTED_MAP_SKIPS_NULLS = " + skipsNullContent(nested, "nested maps") + ";\n\n"
                + """
                    /** Map entries sorted by key as ORDER_MAP_ENTRIES_BY_KEYS does: a SortedMap keeps its own order. */
                    static void writeMap(com.fasterxml.jackson.core.JsonGenerator g, java.util.Map<?, ?> m, boolean skipNulls) throws java.io.IOException {
                        g.writeStartObject();
                        for (java.util.Map.Entry<?, ?> e : sorted(m).entrySet()) {
                            if (skipNulls && e.getValue() == null) {
                                continue;
                            }
                            g.writeFieldName(key(e.getKey()));
                            write(g, e.getValue());
                        }
                        g.writeEndObject();
                    }

                    static void writeCollection(com.fasterxml.jackson.core.JsonGenerator g, java.util.Collection<?> c) throws java.io.IOException {
                        g.writeStartArray();
                        for (Object e : c) {
                            write(g, e);
                        }
                        g.writeEndArray();
                    }

                    private static java.util.Map<?, ?> sorted(java.util.Map<?, ?> m) {
                        if (m instanceof java.util.SortedMap) {
                            return m;
                        }
                        java.util.TreeMap<String, Object> t = new java.util.TreeMap<>();
                        for (java.util.Map.Entry<?, ?> e : m.entrySet()) {
                            t.put(key(e.getKey()), e.getValue());
                        }
                        return t;
                    }

                    private static String key(Object k) {
                        if (k instanceof String s) {
                            return s;
                        }
                        throw new IllegalStateException("map key " + (k == null ? "null" : k.getClass().getName())
                                + ": the generated YAML writer writes String keys only");
                    }

                """;
    }

    private static String skipsNullContent(JsonInclude.Include content, String where) throws Unsupported {
        return switch (content) {
            case ALWAYS, USE_DEFAULTS -> "false";
            case NON_NULL, NON_ABSENT -> "true";
            default -> throw new Unsupported("content inclusion " + content + " of " + where + " is not reproduced");
        };
    }

    private static String methodName(Class<?> bean) {
        String n = bean.getName();
        for (String prefix : List.of("io.fabric8.kubernetes.api.model.", "io.fabric8.openshift.api.model.")) {
            if (n.startsWith(prefix)) {
                n = (prefix.contains("openshift") ? "os." : "") + n.substring(prefix.length());
                break;
            }
        }
        return "write_" + n.replace('.', '_').replace('$', '_');
    }

    /** {@code write_X(JsonGenerator, X)}: the bean's properties in Jackson's order, with Jackson's inclusion. */
    private String beanMethod(Class<?> type, Deque<Class<?>> work) throws Unsupported {
        JsonSerializer<Object> found = serializer(type);
        String where = type.getName();
        StringBuilder s = new StringBuilder();
        s.append("    static void ").append(methodName(type)).append("(com.fasterxml.jackson.core.JsonGenerator g, ")
                .append(type.getCanonicalName()).append(" v) throws java.io.IOException {\n");
        String custom = found.getClass().getName();
        if (custom.equals(QUANTITY_SERIALIZER)) {
            // fabric8's own serializer: it writes amount + format as one string and never touches the provider.
            return s.append("        QUANTITY.serialize(v, g, null);\n    }\n\n").toString();
        }
        if (custom.equals(ANY_TYPE_SERIALIZER)) {
            // AnyType (IntOrString) hands its value to the codec: written as that value's own class would be.
            return s.append("        write(g, v.getValue());\n    }\n\n").toString();
        }
        BeanSerializerBase serializer = (BeanSerializerBase) found;
        s.append("        g.writeStartObject();\n");
        Iterator<PropertyWriter> properties = serializer.properties();
        int index = 0;
        while (properties.hasNext()) {
            PropertyWriter p = properties.next();
            index++;
            if (p instanceof AnyGetterWriter any) {
                s.append(anyGetter(type, any));
                continue;
            }
            if (p.getClass() != BeanPropertyWriter.class) {
                throw new Unsupported(where + "." + p.getName() + ": property writer " + p.getClass().getName() + " is not reproduced");
            }
            BeanPropertyWriter w = (BeanPropertyWriter) p;
            String at = where + "." + w.getName();
            if (w.getTypeSerializer() != null || w.getViews() != null || w.hasNullSerializer()) {
                throw new Unsupported(at + ": type ids, views and null serializers are not reproduced");
            }
            if (w.hasSerializer()) {
                requireKnownSerializer(w.getSerializer(), at);
            }
            Object suppressable = protectedField(BeanPropertyWriter.class, "_suppressableValue", w);
            boolean suppressEmpty;
            if (suppressable == null) {
                suppressEmpty = false;
            } else if (suppressable == BeanPropertyWriter.MARKER_FOR_EMPTY) {
                suppressEmpty = true;
            } else {
                throw new Unsupported(at + ": inclusion by default value (" + suppressable + ") is not reproduced");
            }
            Type declared = accessorType(w.getMember(), at);
            Class<?> raw = rawClass(declared, at);
            String var = "p" + index;
            s.append("        {\n");
            s.append("            ").append(javaType(raw)).append(' ').append(var).append(" = ").append(access(w.getMember(), at)).append(";\n");
            List<String> conditions = new ArrayList<>();
            if (!raw.isPrimitive()) {
                if (!w.willSuppressNulls() && !suppressEmpty) {
                    throw new Unsupported(at + ": a property that writes nulls is not reproduced");
                }
                conditions.add(var + " != null");
            }
            if (suppressEmpty) {
                if (Map.class.isAssignableFrom(raw) || Collection.class.isAssignableFrom(raw) || raw == String.class) {
                    conditions.add("!" + var + ".isEmpty()");
                } else {
                    throw new Unsupported(at + ": NON_EMPTY on " + raw.getName() + " is not reproduced");
                }
            }
            String indent = "            ";
            if (!conditions.isEmpty()) {
                s.append(indent).append("if (").append(String.join(" && ", conditions)).append(") {\n");
                indent += "    ";
            }
            s.append(indent).append("g.writeFieldName(\"").append(w.getName()).append("\");\n");
            s.append(valueCode(declared, var, indent, at, work, mapSkipsNulls(w, at)));
            if (!conditions.isEmpty()) {
                s.append("            }\n");
            }
            s.append("        }\n");
        }
        s.append("        g.writeEndObject();\n");
        s.append("    }\n\n");
        return s.toString();
    }

    /** The entries of {@code @JsonAnyGetter} (fabric8's additionalProperties) inline, where Jackson puts them. */
    private String anyGetter(Class<?> type, AnyGetterWriter any) throws Unsupported {
        String at = type.getName() + " (any-getter)";
        AnnotatedMember accessor = (AnnotatedMember) protectedField(AnyGetterWriter.class, "_accessor", any);
        if (!Map.class.isAssignableFrom(rawClass(accessorType(accessor, at), at))) {
            throw new Unsupported(at + ": an any-getter that is not a Map is not reproduced");
        }
        boolean skipNulls = mapSkipsNulls(protectedField(AnyGetterWriter.class, "_mapSerializer", any), at);
        return "        {\n"
                + "            java.util.Map<?, ?> m = " + access(accessor, at) + ";\n"
                + "            if (m != null) {\n"
                + "                for (java.util.Map.Entry<?, ?> e : sorted(m).entrySet()) {\n"
                + (skipNulls ? "                    if (e.getValue() == null) {\n                        continue;\n                    }\n" : "")
                + "                    g.writeFieldName(key(e.getKey()));\n"
                + "                    write(g, e.getValue());\n"
                + "                }\n"
                + "            }\n"
                + "        }\n";
    }

    /** Whether the map a property holds leaves out null values: as the MapSerializer Jackson makes for the property says. */
    private String mapSkipsNulls(BeanPropertyWriter w, String at) throws Unsupported {
        if (!Map.class.isAssignableFrom(w.getType().getRawClass())) {
            return "false";
        }
        try {
            return Boolean.toString(mapSkipsNulls(provider.findPrimaryPropertySerializer(w.getType(), w), at));
        } catch (Exception e) {
            throw new Unsupported(at + ": Jackson cannot serialize it: " + e.getMessage());
        }
    }

    private static boolean mapSkipsNulls(Object serializer, String at) throws Unsupported {
        if (!(serializer instanceof MapSerializer map)) {
            throw new Unsupported(at + ": map serializer " + (serializer == null ? "null" : serializer.getClass().getName()) + " is not reproduced");
        }
        for (String field : List.of("_ignoredEntries", "_includedEntries", "_filterId", "_valueTypeSerializer", "_suppressableValue")) {
            if (protectedField(MapSerializer.class, field, map) != null) {
                throw new Unsupported(at + ": map serializer's " + field + " is not reproduced");
            }
        }
        return (Boolean) protectedField(MapSerializer.class, "_suppressNulls", map);
    }

    /** Statements writing {@code expr} (non-null unless the type allows null) of declared type {@code type}. */
    private String valueCode(Type type, String expr, String indent, String at, Deque<Class<?>> work, String skipNulls) throws Unsupported {
        Class<?> raw = rawClass(type, at);
        if (raw == String.class) {
            return indent + "g.writeString(" + expr + ");\n";
        }
        if (raw == int.class || raw == long.class || raw == double.class || raw == float.class || raw == short.class) {
            return indent + "g.writeNumber(" + expr + ");\n";
        }
        if (raw == boolean.class) {
            return indent + "g.writeBoolean(" + expr + ");\n";
        }
        if (raw == Object.class || raw == Integer.class || raw == Long.class || raw == Double.class || raw == Float.class
                || raw == Short.class || raw == Boolean.class || raw == BigDecimal.class || raw == BigInteger.class) {
            return indent + "write(g, " + expr + ");\n";
        }
        if (Map.class.isAssignableFrom(raw)) {
            Type[] args = typeArguments(type, 2, at);
            if (rawClass(args[0], at) != String.class) {
                throw new Unsupported(at + ": map keys of type " + args[0].getTypeName() + " are not reproduced");
            }
            elementType(args[1], at, work);
            return indent + "writeMap(g, " + expr + ", " + skipNulls + ");\n";
        }
        if (Collection.class.isAssignableFrom(raw)) {
            elementType(typeArguments(type, 1, at)[0], at, work);
            return indent + "writeCollection(g, " + expr + ");\n";
        }
        requireBean(raw, at);
        work.add(raw);
        // Jackson serializes the runtime class: only an exact match takes the direct call.
        return indent + "if (" + expr + ".getClass() == " + raw.getCanonicalName() + ".class) {\n"
                + indent + "    " + methodName(raw) + "(g, " + expr + ");\n"
                + indent + "} else {\n"
                + indent + "    write(g, " + expr + ");\n"
                + indent + "}\n";
    }

    /** An element of a list or a map value: written through {@code write(g, Object)}, so its class must be covered. */
    private void elementType(Type type, String at, Deque<Class<?>> work) throws Unsupported {
        Class<?> raw = rawClass(type, at);
        if (raw == String.class || raw == Object.class || raw == Integer.class || raw == Long.class || raw == Boolean.class
                || raw == Double.class) {
            return;
        }
        if (Map.class.isAssignableFrom(raw)) {
            Type[] args = typeArguments(type, 2, at);
            if (rawClass(args[0], at) != String.class) {
                throw new Unsupported(at + ": map keys of type " + args[0].getTypeName() + " are not reproduced");
            }
            elementType(args[1], at, work);
            return;
        }
        if (Collection.class.isAssignableFrom(raw)) {
            elementType(typeArguments(type, 1, at)[0], at, work);
            return;
        }
        requireBean(raw, at);
        work.add(raw);
    }

    /** A concrete class Jackson writes with a plain BeanSerializer, or with one of the fabric8 serializers above. */
    private void requireBean(Class<?> raw, String at) throws Unsupported {
        if (raw.isEnum() || raw.isArray() || raw.isInterface() || Modifier.isAbstract(raw.getModifiers()) || raw.isPrimitive()) {
            throw new Unsupported(at + ": values of type " + raw.getName() + " are not reproduced");
        }
        serializer(raw);
    }

    private JsonSerializer<Object> serializer(Class<?> type) throws Unsupported {
        JsonSerializer<Object> serializer;
        try {
            serializer = provider.findValueSerializer(type);
        } catch (Exception e) {
            throw new Unsupported(type.getName() + ": Jackson cannot serialize it: " + e.getMessage());
        }
        String name = serializer.getClass().getName();
        if (name.equals(ANY_TYPE_SERIALIZER) || name.equals(QUANTITY_SERIALIZER)) {
            return serializer;
        }
        if (serializer.getClass() != BeanSerializer.class) {
            throw new Unsupported(type.getName() + ": serializer " + name + " is not reproduced");
        }
        for (String field : List.of("_objectIdWriter", "_propertyFilterId", "_typeId")) {
            if (protectedField(BeanSerializerBase.class, field, serializer) != null) {
                throw new Unsupported(type.getName() + ": " + field + " is not reproduced");
            }
        }
        return serializer;
    }

    private static void requireKnownSerializer(JsonSerializer<?> serializer, String at) throws Unsupported {
        String name = serializer.getClass().getName();
        if (name.startsWith("com.fasterxml.jackson.databind.ser.std.StringSerializer")
                || name.startsWith("com.fasterxml.jackson.databind.ser.std.NumberSerializers$")
                || name.equals("com.fasterxml.jackson.databind.ser.std.BooleanSerializer")
                || name.equals(BeanSerializer.class.getName()) || name.equals(QUANTITY_SERIALIZER) || name.equals(ANY_TYPE_SERIALIZER)) {
            return;
        }
        throw new Unsupported(at + ": serializer " + name + " is not reproduced");
    }

    private static Type accessorType(AnnotatedMember member, String at) throws Unsupported {
        if (member instanceof AnnotatedMethod m && Modifier.isPublic(m.getAnnotated().getModifiers()) && m.getParameterCount() == 0) {
            return m.getAnnotated().getGenericReturnType();
        }
        if (member instanceof AnnotatedField f && Modifier.isPublic(f.getAnnotated().getModifiers())) {
            return f.getAnnotated().getGenericType();
        }
        throw new Unsupported(at + ": accessor " + member + " is not a public getter or field");
    }

    private static String access(AnnotatedMember member, String at) throws Unsupported {
        accessorType(member, at);
        return member instanceof AnnotatedMethod ? "v." + member.getName() + "()" : "v." + member.getName();
    }

    private static String javaType(Class<?> raw) {
        if (raw.isPrimitive()) {
            return raw.getName();
        }
        if (Map.class.isAssignableFrom(raw)) {
            return "java.util.Map<?, ?>";
        }
        if (Collection.class.isAssignableFrom(raw)) {
            return "java.util.Collection<?>";
        }
        return raw.getCanonicalName();
    }

    private static Class<?> rawClass(Type type, String at) throws Unsupported {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
            return c;
        }
        if (type instanceof WildcardType w && w.getLowerBounds().length == 0 && w.getUpperBounds().length == 1) {
            return rawClass(w.getUpperBounds()[0], at);
        }
        throw new Unsupported(at + ": type " + type.getTypeName() + " is not reproduced");
    }

    private static Type[] typeArguments(Type type, int count, String at) throws Unsupported {
        if (type instanceof ParameterizedType p && p.getActualTypeArguments().length == count) {
            return p.getActualTypeArguments();
        }
        throw new Unsupported(at + ": raw or unusual container type " + type.getTypeName() + " is not reproduced");
    }

    private static Object protectedField(Class<?> owner, String name, Object target) throws Unsupported {
        try {
            Field f = owner.getDeclaredField(name);
            f.setAccessible(true);
            return f.get(target);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new Unsupported("Jackson's " + owner.getName() + "." + name + " is not readable (another Jackson version?): " + e);
        }
    }
}
