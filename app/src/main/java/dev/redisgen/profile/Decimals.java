package dev.redisgen.profile;

/**
 * Exact decimal scaling in {@code long} arithmetic, for the quantities of a profile. {@link java.math.BigDecimal}
 * would do, but on JDK 25 its class initializer computes large powers of ten in uncompiled code: ~10 ms of a
 * render's ~300 ms CPU, paid by the first quantity of every run. The callers keep BigDecimal as the fallback for
 * what does not fit in a {@code long}, so every text gets the same value or the same exception as before.
 */
final class Decimals {
    /** Returned by {@link #scaled} when the value times the factor is not a whole number. */
    static final long NOT_WHOLE = -1;

    private Decimals() {
    }

    /**
     * {@code digits} times {@code factor}: the whole number, or {@link #NOT_WHOLE}. What does not fit in a {@code long}
     * on the way is decided by BigDecimal, as every quantity was before: a whole result beyond a {@code long} throws
     * its ArithmeticException.
     */
    static long scaledExact(String digits, long factor) {
        try {
            return scaled(digits, factor);
        } catch (ArithmeticException e) {
            java.math.BigDecimal value = new java.math.BigDecimal(digits).multiply(java.math.BigDecimal.valueOf(factor));
            return value.stripTrailingZeros().scale() > 0 ? NOT_WHOLE : value.longValueExact();
        }
    }

    /**
     * {@code digits} (ASCII digits with at most one '.', as the callers' patterns match) times {@code factor} (>= 1),
     * when that is a whole number; {@link #NOT_WHOLE} when it is not.
     *
     * @throws ArithmeticException when a part does not fit in a {@code long} (the caller falls back to BigDecimal)
     */
    static long scaled(String digits, long factor) {
        int dot = digits.indexOf('.');
        String whole = dot < 0 ? digits : digits.substring(0, dot);
        String fraction = dot < 0 ? "" : digits.substring(dot + 1);
        // Trailing zeros of the fraction change nothing ("1.50" is "1.5").
        int end = fraction.length();
        while (end > 0 && fraction.charAt(end - 1) == '0') {
            end--;
        }
        fraction = fraction.substring(0, end);
        if (whole.length() > 18 || fraction.length() > 18) {
            throw new ArithmeticException("too many digits for a long");
        }
        long result = Math.multiplyExact(whole.isEmpty() ? 0 : Long.parseLong(whole), factor);
        if (fraction.isEmpty()) {
            return result;
        }
        long numerator = Math.multiplyExact(Long.parseLong(fraction), factor);
        long denominator = 1;
        for (int i = 0; i < fraction.length(); i++) {
            denominator *= 10;
        }
        if (numerator % denominator != 0) {
            return NOT_WHOLE;
        }
        return Math.addExact(result, numerator / denominator);
    }
}
