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
}
