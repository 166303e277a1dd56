package dev.redisgen.profile;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Kubernetes CPU quantity ("250m", "2", "0.5"), held in millicores. */
@Doc("CPU quantity as Kubernetes writes it: `250m`, `2`, `0.5`")
public record Cpu(long millis) implements Comparable<Cpu> {
    private static final Pattern FORM = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(m?)");

    public Cpu {
        if (millis < 0) {
            throw new IllegalArgumentException("a CPU quantity cannot be negative");
        }
    }

    /** Parses the Kubernetes notation; the message of the exception says what is accepted. */
    public static Cpu parse(String text) {
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a CPU quantity; write millicores like 250m or cores like 2 or 0.5");
        }
        long millis = Decimals.scaledExact(m.group(1), m.group(2).isEmpty() ? 1000 : 1);
        if (millis == Decimals.NOT_WHOLE) {
            throw new IllegalArgumentException("'" + text + "' is finer than one millicore; Kubernetes rounds it, so write it in whole millicores");
        }
        return new Cpu(millis);
    }

    public static Cpu ofMillis(long millis) {
        return new Cpu(millis);
    }

    public Cpu plus(Cpu other) {
        return new Cpu(millis + other.millis);
    }

    public Cpu times(long factor) {
        return new Cpu(millis * factor);
    }

    @Override
    public int compareTo(Cpu o) {
        return Long.compare(millis, o.millis);
    }

    /** Canonical Kubernetes text: whole cores as "2", otherwise millicores as "250m". */
    @Override
    public String toString() {
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : millis + "m";
    }
}
