package dev.redisgen.profile;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A size in Redis's own notation as redis.conf reads it ("256mb", "6gb", "100000"): k/m/g are powers of
 * 1000 and kb/mb/gb powers of 1024, case-insensitive (redis.conf "Note on units").
 */
@Doc("size in redis.conf notation: `256mb`, `6gb` (kb/mb/gb are 1024-based, k/m/g 1000-based)")
public record RedisBytes(long bytes, String text) {
    private static final Pattern FORM = Pattern.compile("([0-9]+)(k|kb|m|mb|g|gb)?");

    public static RedisBytes parse(String raw) {
        String text = raw.trim().toLowerCase(Locale.ROOT);
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + raw + "' is not a redis.conf size; write it like 256mb or 6gb");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2);
        long mult = switch (unit) {
            case "" -> 1L;
            case "k" -> 1_000L;
            case "kb" -> 1L << 10;
            case "m" -> 1_000_000L;
            case "mb" -> 1L << 20;
            case "g" -> 1_000_000_000L;
            case "gb" -> 1L << 30;
            default -> throw new IllegalArgumentException(unit);
        };
        return new RedisBytes(Math.multiplyExact(n, mult), text);
    }

    @Override
    public String toString() {
        return text;
    }
}
