package dev.redisgen.emit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.redisgen.diag.Phases;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TimeZone;

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
 */
public final class YamlWriter {

    static final String DOC_START = "---\n";

    static final YAMLMapper MAPPER = newMapper();

    static {
        Phases.mark("yaml-mapper");
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

    /** One object as a single YAML document without a leading {@code ---}. */
    public static String write(HasMetadata object) {
        return document(Objects.requireNonNull(object, "object"));
    }

    /** Any Jackson-serializable value (fabric8 object, record, map) in the redisgen style. */
    static String document(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            // fabric8 models and our records always serialize; failing here is a programming error.
            throw new UncheckedIOException("cannot write " + value.getClass().getName() + " as YAML", e);
        }
    }

    private static YAMLMapper newMapper() {
        YAMLFactory factory = YAMLFactory.builder()
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
        YAMLMapper mapper = YAMLMapper.builder(factory)
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
