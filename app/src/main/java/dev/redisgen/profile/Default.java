package dev.redisgen.profile;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The value a field takes when the profile leaves it out, written as YAML text and bound exactly like
 * user input (so a record default may be a flow mapping such as {@code "{cpu: 100m, memory: 128Mi}"}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Default {
    String value();
}
