package dev.redisgen.emit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.BeanPropertyWriter;
import com.fasterxml.jackson.databind.ser.BeanSerializer;
import com.fasterxml.jackson.databind.ser.PropertyWriter;
import dev.redisgen.pipeline.Pipeline;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The build-time generated writer ({@code Fabric8Yaml}, made by codegen/'s YamlWriterGenerator) against Jackson's
 * reflective serializers in the same style ({@link YamlWriter#mapper()}): the same bytes for every object the
 * renderers make, for the fixtures, and for the odd values Jackson has rules for; every class the renderers can emit
 * covered; an uncovered class refused loudly.
 */
class GeneratedYamlWriterTest {

    /** The built-in profiles and the test profiles that render (valid/full.yaml is refused by a rule on purpose). */
    static Stream<String> profiles() {
        return Stream.of("jewelry-shop", "gateway-ha", "airflow", "analytics-cluster",
                "app/src/test/resources/profiles/valid/scheduling-and-exposure.yaml",
                "app/src/test/resources/profiles/valid/standalone-persistent.yaml");
    }

    private static String reflective(Object value) throws Exception {
        return YamlWriter.mapper().writeValueAsString(value);
    }

    @ParameterizedTest
    @MethodSource("profiles")
    void everyRenderedObjectIsWrittenAsTheReflectiveMapperWritesIt(String profile) throws Exception {
        List<HasMetadata> objects = Pipeline.render(profile).objects();
        assertThat(objects).isNotEmpty();
        StringBuilder stream = new StringBuilder();
        for (HasMetadata object : objects) {
            String generated = YamlWriter.write(object);
            assertThat(generated).as("%s %s", object.getKind(), object.getMetadata().getName()).isEqualTo(reflective(object));
            stream.append(YamlWriter.DOC_START).append(generated);
        }
        assertThat(YamlWriter.write(objects)).isEqualTo(stream.toString());
        assertThat(utf8(YamlWriter.writeUtf8(objects))).isEqualTo(stream.toString());
        Path golden = Path.of("golden", profile + ".yaml");
        if (Files.exists(golden)) {
            assertThat(stream.toString()).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
        }
    }

    @Test
    void fixturesOfEveryKindAreWrittenAsTheReflectiveMapperWritesThem() throws Exception {
        for (HasMetadata object : Fixtures.everyKind()) {
            assertThat(YamlWriter.write(object)).as(object.getKind()).isEqualTo(reflective(object));
        }
    }

    /** Values the renderers do not make today but Jackson has rules for: nulls, order, nesting, empties, numbers. */
    @Test
    void oddValuesAreWrittenAsTheReflectiveMapperWritesThem() throws Exception {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("zeta", "1");
        labels.put("alpha", null);
        labels.put("on", "on");
        labels.put("", "empty key");
        TreeMap<String, String> reversed = new TreeMap<>(Comparator.reverseOrder());
        reversed.putAll(Map.of("a", "1", "b", "2", "c", "3"));
        Map<String, Object> nested = new HashMap<>();
        nested.put("list", Arrays.asList(1, 2L, 3.5, 4.25f, (short) 5, true, null, "x", List.of(), Map.of()));
        nested.put("map", new HashMap<>(Map.of("b", 1, "a", List.of(Map.of("z", "y")))));
        nested.put("nulls", new HashMap<>(Collections.singletonMap("k", null)));
        nested.put("big", new java.math.BigDecimal("1.50"));
        nested.put("quantity", new Quantity("100", "m"));
        nested.put("intOrString", new IntOrString(8080));
        ObjectMeta meta = new ObjectMeta();
        meta.setName("odd");
        meta.setLabels(labels);
        meta.setAnnotations(reversed);
        meta.setFinalizers(List.of());
        meta.setGenerateName("");
        meta.setAdditionalProperty("zzz", nested);
        meta.setAdditionalProperty("aaa", null);
        ConfigMap configMap = new ConfigMapBuilder().withData(Map.of()).withImmutable(false).build();
        // Set, not through the builder, which would copy the maps into LinkedHashMaps.
        configMap.setMetadata(meta);
        configMap.setAdditionalProperty("extra", List.of(new IntOrString("port"), new Quantity("1.5Gi")));
        assertThat(YamlWriter.write(configMap)).isEqualTo(reflective(configMap));

        StatefulSet statefulSet = new StatefulSetBuilder().withNewMetadata().withName("s").endMetadata()
                .withNewSpec().withReplicas(0).withNewTemplate().withNewSpec()
                .addNewVolume().withName("tmp").withNewEmptyDir().endEmptyDir().endVolume()
                .addNewContainer().withName("c").withArgs("a", null, "").withNewResources()
                .addToLimits("cpu", new Quantity("0.5")).addToRequests("memory", new Quantity("1", "Gi")).endResources()
                .addNewPort().withContainerPort(6379).endPort().endContainer()
                .endSpec().endTemplate().endSpec().build();
        assertThat(YamlWriter.write(statefulSet)).isEqualTo(reflective(statefulSet));
    }

    private static String utf8(List<java.nio.ByteBuffer> chunks) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (java.nio.ByteBuffer chunk : chunks) {
            out.write(chunk.array(), chunk.arrayOffset() + chunk.position(), chunk.remaining());
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * A large ConfigMap is written as its head and the text of its data, the latter made once ({@code ConstantData}):
     * the same bytes as the reflective mapper's, whatever the metadata and the data hold, on both paths (text and
     * UTF-8 chunks), for further ConfigMaps with equal data (the cached text), also when the last scalar of the
     * metadata keeps its trailing line breaks ("|+"), and where the ConfigMap is not one to split.
     */
    @Test
    void largeConfigMapsWrittenInTwoPartsAreTheSameBytes() throws Exception {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("z.sh", "#!/bin/sh\n" + "echo 'ünïcödé — €'\n".repeat(2000));
        data.put("on", "  leading spaces\nand more\n\n");
        data.put("a b", "no trailing break");
        data.put("kept", "x\n\n\n");
        data.put("yes", "true");
        data.put("empty", "");
        assertThat(data.values().stream().mapToInt(String::length).sum()).isGreaterThan(YamlWriter.ConstantData.MIN_CHARS);
        List<ObjectMeta> metas = new ArrayList<>();
        for (String last : List.of("plain", "two\nlines", "kept break\n\n", "x...", "")) {
            ObjectMeta meta = new ObjectMeta();
            meta.setName("scripts");
            meta.setNamespace("ns");
            meta.setLabels(new TreeMap<>(Map.of("app", "redis", "on", "yes")));
            meta.setAnnotations(new TreeMap<>(Map.of("note", "line one\nline two\n")));
            meta.setUid(last);
            metas.add(meta);
        }
        List<HasMetadata> objects = new ArrayList<>();
        StringBuilder stream = new StringBuilder();
        for (ObjectMeta meta : metas) {
            ConfigMap configMap = new ConfigMap();
            configMap.setMetadata(meta);
            configMap.setData(new LinkedHashMap<>(data));
            assertThat(YamlWriter.ConstantData.split(configMap)).as("split").isNotNull();
            String expected = reflective(configMap);
            assertThat(YamlWriter.write(configMap)).as(meta.getUid()).isEqualTo(expected);
            assertThat(utf8(YamlWriter.writeUtf8(List.of(configMap)))).as(meta.getUid()).isEqualTo(YamlWriter.DOC_START + expected);
            objects.add(configMap);
            stream.append(YamlWriter.DOC_START).append(expected);
        }
        assertThat(utf8(YamlWriter.writeUtf8(objects))).isEqualTo(stream.toString());
        // What is not split is written in one go: small data, immutable, a reversed order of keys.
        ConfigMap small = new ConfigMapBuilder().withNewMetadata().withName("s").endMetadata().withData(Map.of("a", "b")).build();
        assertThat(YamlWriter.ConstantData.split(small)).isNull();
        ConfigMap immutable = new ConfigMapBuilder().withNewMetadata().withName("i").endMetadata().withData(data).withImmutable(true).build();
        assertThat(YamlWriter.ConstantData.split(immutable)).isNull();
        assertThat(YamlWriter.write(immutable)).isEqualTo(reflective(immutable));
        TreeMap<String, String> reversed = new TreeMap<>(Comparator.reverseOrder());
        reversed.putAll(data);
        ConfigMap ordered = new ConfigMapBuilder().withNewMetadata().withName("r").endMetadata().build();
        ordered.setData(reversed);
        assertThat(YamlWriter.ConstantData.split(ordered)).isNull();
        assertThat(YamlWriter.write(ordered)).isEqualTo(reflective(ordered));
    }

    @Test
    void aClassTheWriterDoesNotCoverIsRefusedNotGuessed() {
        ConfigMap configMap = new ConfigMapBuilder().withNewMetadata().withName("c").endMetadata().build();
        configMap.setAdditionalProperty("stranger", new StringBuilder("not a model class"));
        assertThatThrownBy(() -> YamlWriter.write(configMap)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no generated YAML writer for java.lang.StringBuilder");
        // A subclass is a different class to Jackson (it would introspect it anew): refused too.
        ObjectMeta sub = new ObjectMeta() {
        };
        sub.setName("sub");
        ConfigMap withSub = new ConfigMapBuilder().build();
        withSub.setMetadata(sub);
        assertThatThrownBy(() -> YamlWriter.write(withSub))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no generated YAML writer for " + sub.getClass().getName());
    }

    /** Each kind ApplyOrder knows is a root of the generator: the renderers cannot emit a kind it does not write. */
    @Test
    void everyKindOfApplyOrderIsCovered() {
        Set<String> coveredKinds = new TreeSet<>();
        for (String name : Fabric8Yaml.COVERED) {
            Class<?> type = load(name);
            if (HasMetadata.class.isAssignableFrom(type)) {
                coveredKinds.add(type.getSimpleName());
            }
        }
        if (coveredKinds.contains("GenericKubernetesResource")) {
            coveredKinds.addAll(ApplyOrder.GENERIC_KINDS);
        }
        assertThat(coveredKinds).containsAll(ApplyOrder.KINDS);
    }

    /**
     * Every class that Jackson's reflective serializers could meet below those kinds, through the declared type of
     * any property, is covered: whatever a profile makes the renderers fill in, the generated writer writes it. The
     * walk here is independent of the generator's: Jackson's BeanSerializer properties and the getters' types.
     */
    @Test
    void everyClassReachableFromTheKindsIsCovered() throws Exception {
        SerializerProvider provider = YamlWriter.mapper().getSerializerProviderInstance();
        Set<Class<?>> seen = new java.util.LinkedHashSet<>();
        Deque<Class<?>> work = new ArrayDeque<>();
        for (String name : Fabric8Yaml.COVERED) {
            Class<?> type = load(name);
            if (HasMetadata.class.isAssignableFrom(type) && ApplyOrder.KINDS.contains(type.getSimpleName())) {
                work.add(type);
            }
        }
        while (!work.isEmpty()) {
            Class<?> type = work.pop();
            if (!seen.add(type)) {
                continue;
            }
            JsonSerializer<Object> serializer = provider.findValueSerializer(type);
            if (!(serializer instanceof BeanSerializer bean)) {
                continue;
            }
            Iterator<PropertyWriter> properties = bean.properties();
            while (properties.hasNext()) {
                if (properties.next() instanceof BeanPropertyWriter p) {
                    modelClasses(p.getGenericPropertyType(), work);
                }
            }
        }
        List<String> reachable = seen.stream().map(Class::getName).sorted().toList();
        assertThat(reachable).hasSizeGreaterThan(150);
        assertThat(Fabric8Yaml.COVERED).containsAll(reachable);
    }

    /** Every model class in the objects the built-in and test profiles render (runtime classes, not declared ones). */
    @ParameterizedTest
    @MethodSource("profiles")
    void everyClassTheRenderersEmitIsCovered(String profile) throws Exception {
        Set<String> emitted = new TreeSet<>();
        for (HasMetadata object : Pipeline.render(profile).objects()) {
            collect(object, emitted, new IdentityHashMap<>());
        }
        assertThat(emitted).isNotEmpty();
        assertThat(Fabric8Yaml.COVERED).containsAll(emitted);
    }

    private static void collect(Object value, Set<String> emitted, Map<Object, Boolean> visited) throws Exception {
        if (value == null || visited.put(value, true) != null) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            for (Object v : map.values()) {
                collect(v, emitted, visited);
            }
            return;
        }
        if (value instanceof Collection<?> c) {
            for (Object v : c) {
                collect(v, emitted, visited);
            }
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        emitted.add(value.getClass().getName());
        JsonSerializer<Object> serializer = YamlWriter.mapper().getSerializerProviderInstance().findValueSerializer(value.getClass());
        if (serializer instanceof BeanSerializer bean) {
            Iterator<PropertyWriter> properties = bean.properties();
            while (properties.hasNext()) {
                if (properties.next() instanceof BeanPropertyWriter p) {
                    collect(p.get(value), emitted, visited);
                }
            }
        }
    }

    private static void modelClasses(Type type, Deque<Class<?>> work) {
        if (type instanceof ParameterizedType p) {
            for (Type argument : p.getActualTypeArguments()) {
                modelClasses(argument, work);
            }
        } else if (type instanceof Class<?> c && c.getName().startsWith("io.fabric8.") && !c.isInterface()
                && !Modifier.isAbstract(c.getModifiers())) {
            work.add(c);
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, GeneratedYamlWriterTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }
}
