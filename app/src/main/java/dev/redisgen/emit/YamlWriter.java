package dev.redisgen.emit;

import com.fasterxml.jackson.annotation.JsonInclude;
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
import java.io.StringWriter;
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

    /** One object as a single YAML document without a leading {@code ---}. */
    public static String write(HasMetadata object) {
        Objects.requireNonNull(object, "object");
        StringWriter out = new StringWriter(4096);
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            Fabric8Yaml.write(generator, object);
        } catch (IOException e) {
            // Writing to a StringWriter does not fail; this would be a programming error.
            throw new UncheckedIOException("cannot write " + object.getClass().getName() + " as YAML", e);
        }
        return out.toString();
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
