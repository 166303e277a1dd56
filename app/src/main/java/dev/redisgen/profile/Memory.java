package dev.redisgen.profile;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Kubernetes memory or storage quantity ("128Mi", "10Gi", "1Ti", "512M"), held in bytes. */
@Doc("memory or storage quantity as Kubernetes writes it: `128Mi`, `10Gi`, `1Ti`")
public record Memory(long bytes) implements Comparable<Memory> {
    private static final Pattern FORM = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?");
    private static final String[] BINARY = {"Ki", "Mi", "Gi", "Ti", "Pi"};

    public Memory {
        if (bytes < 0) {
            throw new IllegalArgumentException("a memory quantity cannot be negative");
        }
    }

    public static Memory parse(String text) {
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a memory quantity; write it like 128Mi, 10Gi or 1Ti"
                    + (text.trim().toLowerCase(Locale.ROOT).matches("[0-9.]+\\s*[kmgtp]i?b") ? " (Kubernetes has no 'B' suffix)" : ""));
        }
        String suffix = m.group(2) == null ? "" : m.group(2);
        long bytes = Decimals.scaledExact(m.group(1), multiplier(suffix));
        if (bytes == Decimals.NOT_WHOLE) {
            throw new IllegalArgumentException("'" + text + "' is not a whole number of bytes");
        }
        return new Memory(bytes);
    }

    private static long multiplier(String suffix) {
        return switch (suffix) {
            case "" -> 1L;
            case "k" -> 1_000L;
            case "M" -> 1_000_000L;
            case "G" -> 1_000_000_000L;
            case "T" -> 1_000_000_000_000L;
            case "P" -> 1_000_000_000_000_000L;
            case "Ki" -> 1L << 10;
            case "Mi" -> 1L << 20;
            case "Gi" -> 1L << 30;
            case "Ti" -> 1L << 40;
            case "Pi" -> 1L << 50;
            default -> throw new IllegalArgumentException("unknown suffix " + suffix);
        };
    }

    public static Memory ofBytes(long bytes) {
        return new Memory(bytes);
    }

    public Memory plus(Memory other) {
        return new Memory(bytes + other.bytes);
    }

    public Memory times(long factor) {
        return new Memory(bytes * factor);
    }

    @Override
    public int compareTo(Memory o) {
        return Long.compare(bytes, o.bytes);
    }

    /** Canonical Kubernetes text: the largest binary suffix that divides exactly, else plain bytes. */
    @Override
    public String toString() {
        for (int i = BINARY.length - 1; i >= 0; i--) {
            long unit = 1L << (10 * (i + 1));
            if (bytes != 0 && bytes % unit == 0) {
                return (bytes / unit) + BINARY[i];
            }
        }
        return Long.toString(bytes);
    }
}
