package dev.redisgen.profile;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How an enum constant is written in a profile when Kubernetes spells it in CamelCase ({@code IfNotPresent},
 * {@code LoadBalancer}, {@code NoSchedule}): a profile takes the API server's own words, so a value copied from
 * a manifest or from {@code kubectl explain} binds as it is.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface Spelled {
    String value();
}
