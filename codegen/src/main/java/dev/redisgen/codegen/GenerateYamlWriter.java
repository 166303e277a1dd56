package dev.redisgen.codegen;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Asks {@link YamlWriterProcessor} for a reflection-free writer of {@link #roots} and of every class reachable through
 * their properties, generated while the annotated class compiles, into its package. The writer feeds a Jackson
 * {@code JsonGenerator} (the YAML streaming generator) the same calls Jackson's reflective serializers would make.
 */
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.TYPE)
public @interface GenerateYamlWriter {
    /** The simple name of the generated class. */
    String name();

    /** The classes written as whole documents. */
    Class<?>[] roots();

    /**
     * Jackson's defaults instead of {@code YamlWriter}'s style: the inclusion the classes' own annotations give (empty
     * lists and maps written), properties sorted alphabetically where {@code @JsonPropertyOrder} leaves them free, map
     * entries by key; as a {@code JsonMapper} with SORT_PROPERTIES_ALPHABETICALLY and ORDER_MAP_ENTRIES_BY_KEYS writes
     * them (the hash of a Job's spec, {@code NameJobsAfterSpec}).
     */
    boolean jacksonDefaults() default false;
}
