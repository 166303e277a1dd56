package dev.redisgen.emit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.redisgen.codegen.GenerateYamlWriter;
import dev.redisgen.diag.Phases;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TimeZone;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one YAML writer of redisgen (habit 5): fabric8 objects to text that is the same bytes on every
 * run, machine, JDK and default locale (habit 4).
 *
 * <p>Style, decided once here:
 * <ul>
 *   <li>{@link #write(List)} writes a stream: every document starts with {@code ---\n}.
 *       {@link #write(HasMetadata)} writes one bare document without the marker; that is also the
 *       content of each per-object file of {@link OutputDir}.</li>
 *   <li>Bean fields keep fabric8's {@code @JsonPropertyOrder} (apiVersion, kind, metadata, spec, ...);
 *       map keys (labels, annotations, ConfigMap data) are sorted.</li>
 *   <li>Nulls and empty lists and maps are left out (fabric8 builders fill in many empty
 *       collections). Empty <em>objects</em> stay, because {@code emptyDir: {}} and
 *       {@code podSelector: {}} mean something.</li>
 *   <li>Strings are plain unless a YAML 1.1 or 1.2 reader would read them as something else
 *       ({@link Yaml11Quoting}); then they are double-quoted. Multi-line strings are literal blocks
 *       ({@code |}) so scripts and configs stay readable; long lines are never folded.</li>
 *   <li>Sequences are not indented under their key (the kubectl style); {@code \n} line breaks; the
 *       text ends with exactly one newline.</li>
 * </ul>
 *
 * <p>The Kubernetes objects are written by {@code Fabric8Yaml}, generated at build time from the fabric8 classes
 * (one root per kind of {@link ApplyOrder}, and every class reachable from them) so that it makes exactly the calls
 * Jackson's reflective serializers make on the same streaming generator, without reflection and without building a
 * serializer per class on every run (that was two thirds of a cold render's CPU). An object of a class it does not
 * cover is an {@link IllegalStateException}, never written some other way. {@link #document} and {@link #mapper()}
 * keep the reflective mapper, with the same style, for the small records of {@link OutputDir} and for tests.
 */
@GenerateYamlWriter(name = "Fabric8Yaml", roots = {
    Namespace.class, ResourceQuota.class, LimitRange.class, ServiceAccount.class, Role.class, ClusterRole.class,
    RoleBinding.class, ClusterRoleBinding.class, Secret.class, ConfigMap.class, PersistentVolumeClaim.class, Service.class,
    StatefulSet.class, Deployment.class, PodDisruptionBudget.class, NetworkPolicy.class, Job.class, CronJob.class,
    ServiceMonitor.class, PodMonitor.class, PrometheusRule.class, GenericKubernetesResource.class})
public final class YamlWriter {

    static final String DOC_START = "---\n";
    private static final byte[] DOC_START_UTF8 = DOC_START.getBytes(StandardCharsets.UTF_8);

    /** The streaming generator's settings: every YAML text of redisgen comes from generators of this factory. */
    private static final YAMLFactory FACTORY = newFactory();

    static {
        Phases.mark("yaml-setup");
    }

    private YamlWriter() {
    }

    /** A multi-document stream in the given order, each document starting with {@code ---}. */
    public static String write(List<? extends HasMetadata> objects) {
        Objects.requireNonNull(objects, "objects");
        StringBuilder out = new StringBuilder();
        for (HasMetadata object : objects) {
            out.append(DOC_START).append(write(object));
        }
        return out.toString();
    }

    /**
     * The same stream as {@link #write(List)}, as UTF-8 bytes in chunks to be written in order: the text is encoded
     * once, as the generator writes it, and the large constant ConfigMap data ({@link ConstantData}) is a chunk shared
     * by every profile that renders it, never copied. A batch of profiles allocated ~1 MB per profile in copies of
     * the scripts' text before, and its garbage, promoted by the young collections, grew the heap past 600 MB.
     */
    public static List<ByteBuffer> writeUtf8(List<? extends HasMetadata> objects) {
        Objects.requireNonNull(objects, "objects");
        Utf8Chunks out = new Utf8Chunks();
        for (HasMetadata object : objects) {
            Objects.requireNonNull(object, "object");
            out.write(DOC_START_UTF8, 0, DOC_START_UTF8.length);
            ConstantData.Split split = object instanceof ConfigMap configMap ? ConstantData.split(configMap) : null;
            if (split == null) {
                emit(object, out);
                continue;
            }
            emit(split.head(), out);
            out.chunk(split.data().utf8());
        }
        return out.chunks();
    }

    /** One object as a single YAML document without a leading {@code ---}. */
    public static String write(HasMetadata object) {
        Objects.requireNonNull(object, "object");
        ConstantData.Split split = object instanceof ConfigMap configMap ? ConstantData.split(configMap) : null;
        if (split != null) {
            return emit(split.head()) + split.data().text();
        }
        return emit(object);
    }

    private static String emit(HasMetadata object) {
        StringWriter out = new StringWriter(4096);
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            Fabric8Yaml.write(generator, object);
        } catch (IOException e) {
            // Writing to a StringWriter does not fail; this would be a programming error.
            throw new UncheckedIOException("cannot write " + object.getClass().getName() + " as YAML", e);
        }
        return out.toString();
    }

    private static void emit(HasMetadata object, Utf8Chunks out) {
        try (JsonGenerator generator = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            Fabric8Yaml.write(generator, object);
        } catch (IOException e) {
            // Writing to memory does not fail; this would be a programming error.
            throw new UncheckedIOException("cannot write " + object.getClass().getName() + " as YAML", e);
        }
    }

    /** A growable byte buffer that can also take whole arrays as chunks of their own (shared, never copied). */
    private static final class Utf8Chunks extends OutputStream {
        private final List<ByteBuffer> chunks = new ArrayList<>();
        private byte[] buffer = new byte[32 * 1024];
        private int count;

        @Override
        public void write(int b) {
            ensure(1);
            buffer[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, buffer, count, len);
            count += len;
        }

        private void ensure(int more) {
            if (count + more > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, count + more));
            }
        }

        /** The buffered bytes end a chunk, then {@code shared} is one. */
        void chunk(byte[] shared) {
            flushChunk();
            chunks.add(ByteBuffer.wrap(shared));
        }

        private void flushChunk() {
            if (count > 0) {
                chunks.add(ByteBuffer.wrap(buffer, 0, count));
                buffer = new byte[Math.max(4096, buffer.length / 2)];
                count = 0;
            }
        }

        List<ByteBuffer> chunks() {
            flushChunk();
            return List.copyOf(chunks);
        }

        @Override
        public void close() {
            // The generator closes its target; the chunks stay.
        }
    }

    /**
     * The YAML of a large ConfigMap {@code data} written once per process, not once per profile: the pod scripts are
     * ~160 KB that every profile carries unchanged, and having SnakeYAML's emitter analyse them character by character
     * was half the CPU of a batch of profiles (issue 12). {@code data} is the last property a ConfigMap writes when it
     * has no {@code binaryData}, {@code immutable} or unknown properties, and a top-level key's text does not depend
     * on what came before it, so the document is the text of the ConfigMap without its data followed by the text of
     * a ConfigMap with nothing but that data, both from the same generator; {@code GeneratedYamlWriterTest} proves the
     * bytes equal the whole document's. The cache is keyed by the data (equal Strings: the scripts are the same
     * instances every time, {@code Scripts.load}) and bounded.
     */
    static final class ConstantData {
        /** Below this many characters of values the data is written with its ConfigMap (a dashboard differs per profile anyway). */
        static final int MIN_CHARS = 32 * 1024;
        private static final int MAX_ENTRIES = 16;
        private static final Map<Map<String, String>, Text> TEXTS = new ConcurrentHashMap<>();

        /** The text of {@code data:} and what follows, and its UTF-8 bytes. */
        record Text(String text, byte[] utf8) {
        }

        /** The ConfigMap without its data, and the text of the data. */
        record Split(ConfigMap head, Text data) {
        }

        private ConstantData() {
        }

        /** How to write the ConfigMap in two parts, or null when it is not one to split (it is then written in one go). */
        static Split split(ConfigMap configMap) {
            if (configMap.getClass() != ConfigMap.class) {
                return null;
            }
            Map<String, String> data = configMap.getData();
            if (data == null || data.isEmpty() || (configMap.getBinaryData() != null && !configMap.getBinaryData().isEmpty())
                    || configMap.getImmutable() != null
                    || (configMap.getAdditionalProperties() != null && !configMap.getAdditionalProperties().isEmpty())
                    // A sorted map is written in its own order: the cache keeps the natural order only.
                    || (data instanceof SortedMap<?, ?> sorted && sorted.comparator() != null)) {
                return null;
            }
            long chars = 0;
            for (Map.Entry<String, String> e : data.entrySet()) {
                if (e.getKey() == null || e.getValue() == null) {
                    return null;
                }
                chars += e.getValue().length();
            }
            if (chars < MIN_CHARS) {
                return null;
            }
            ConfigMap head = new ConfigMap();
            head.setApiVersion(configMap.getApiVersion());
            head.setKind(configMap.getKind());
            head.setMetadata(configMap.getMetadata());
            head.setBinaryData(null);
            head.setData(null);
            return new Split(head, text(data));
        }

        private static Text text(Map<String, String> data) {
            Text text = TEXTS.get(data);
            if (text == null) {
                ConfigMap only = new ConfigMap();
                only.setApiVersion(null);
                only.setKind(null);
                only.setMetadata(null);
                only.setBinaryData(null);
                Map<String, String> key = Map.copyOf(data);
                only.setData(key);
                String written = emit(only);
                text = new Text(written, written.getBytes(StandardCharsets.UTF_8));
                if (TEXTS.size() >= MAX_ENTRIES) {
                    TEXTS.clear();
                }
                TEXTS.put(key, text);
            }
            return text;
        }
    }

    /** Any Jackson-serializable value (fabric8 object, record, map) in the redisgen style, through the reflective mapper. */
    static String document(Object value) {
        try {
            return mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            // fabric8 models and our records always serialize; failing here is a programming error.
            throw new UncheckedIOException("cannot write " + value.getClass().getName() + " as YAML", e);
        }
    }

    /** The reflective mapper in the same style, built on first use: render to stdout never needs it. */
    static YAMLMapper mapper() {
        return Reflective.MAPPER;
    }

    private static final class Reflective {
        static final YAMLMapper MAPPER = newMapper();
    }

    private static YAMLFactory newFactory() {
        return YAMLFactory.builder()
                // We write "---" ourselves: exactly once per document, none in a single-object file.
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                // A long command line or PromQL expression stays on one line.
                .disable(YAMLGenerator.Feature.SPLIT_LINES)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
                // "\n" everywhere, never the platform's line separator.
                .disable(YAMLGenerator.Feature.USE_PLATFORM_LINE_BREAKS)
                .disable(YAMLGenerator.Feature.USE_NATIVE_TYPE_ID)
                .disable(YAMLGenerator.Feature.USE_NATIVE_OBJECT_ID)
                .stringQuotingChecker(new Yaml11Quoting())
                .build();
    }

    /**
     * The reflective mapper. Its serialization settings are the ones {@code YamlWriterGenerator} (codegen/) reads the
     * fabric8 classes with; {@code GeneratedYamlWriterTest} proves the two write the same bytes.
     */
    private static YAMLMapper newMapper() {
        YAMLMapper mapper = YAMLMapper.builder(FACTORY)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                // Bean properties keep fabric8's @JsonPropertyOrder.
                .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                .defaultLocale(Locale.ROOT)
                .defaultTimeZone(TimeZone.getTimeZone("UTC"))
                .build();
        // fabric8 classes say @JsonInclude(NON_NULL) at class level; a per-type override of the
        // property type is stronger, so empty lists and maps disappear while empty strings and
        // empty objects (emptyDir: {}) stay.
        JsonInclude.Value nonEmpty = JsonInclude.Value.construct(JsonInclude.Include.NON_EMPTY, JsonInclude.Include.ALWAYS);
        for (Class<?> type : List.of(Map.class, List.class, Set.class, Collection.class)) {
            mapper.configOverride(type).setIncludeAsProperty(nonEmpty);
        }
        return mapper;
    }
}
