package dev.redisgen.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link Memory#parse} and {@link Cpu#parse} compute in {@code long} arithmetic (BigDecimal's class initializer costs
 * ~10 ms on JDK 25) and fall back to BigDecimal beyond it: every text must give the value, or the exception and
 * message, that the BigDecimal-only parsing (kept here as the reference) gives.
 */
class QuantityParseTest {
    private static final Pattern MEMORY = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?");
    private static final Pattern CPU = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(m?)");
    private static final String[] SUFFIXES = {"", "k", "M", "G", "T", "P", "Ki", "Mi", "Gi", "Ti", "Pi", "m", "B", "Ei"};

    /** The parsing before the long arithmetic, as it was. */
    static Memory referenceMemory(String text) {
        Matcher m = MEMORY.matcher(text.trim());
        if (!m.matches()) {
            return Memory.parse(text); // the message of a non-match does not involve the arithmetic
        }
        BigDecimal value = new BigDecimal(m.group(1));
        String suffix = m.group(2) == null ? "" : m.group(2);
        long multiplier = switch (suffix) {
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
            default -> 1L << 50;
        };
        BigDecimal bytes = value.multiply(BigDecimal.valueOf(multiplier));
        if (bytes.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException("'" + text + "' is not a whole number of bytes");
        }
        return new Memory(bytes.longValueExact());
    }

    static Cpu referenceCpu(String text) {
        Matcher m = CPU.matcher(text.trim());
        if (!m.matches()) {
            return Cpu.parse(text);
        }
        BigDecimal value = new BigDecimal(m.group(1));
        BigDecimal millis = m.group(2).isEmpty() ? value.movePointRight(3) : value;
        if (millis.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException("'" + text + "' is finer than one millicore; Kubernetes rounds it, so write it in whole millicores");
        }
        return new Cpu(millis.longValueExact());
    }

    private static List<String> texts() {
        List<String> texts = new ArrayList<>(List.of("0", "1", "128Mi", "10Gi", "1Ti", "512M", "0.5Gi", "1.5", "1.50Ki", "0.001k", "0.0001k",
                "250m", "0.5", "2", "0.0005", "1.2345", " 3 ", "9223372036854775807", "9223372036854775808", "9223372036854775807m",
                "9223372036854775.807", "9223372036854775.808", "8191.99999999999999999Pi", "8192Pi", "8191Pi", "8191.5Pi",
                "123456789012345678.5Ki", "1234567890123456789", "0.1234567890123456789", "0.12345678901234567890000Ki",
                "00012.000Mi", "1e3", "-1", "1.", ".5", "9223372036854776Ki", "9007199254740993.0001G"));
        Random random = new Random(12);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder t = new StringBuilder();
            int whole = 1 + random.nextInt(i % 7 == 0 ? 22 : 6);
            for (int d = 0; d < whole; d++) {
                t.append((char) ('0' + random.nextInt(10)));
            }
            if (random.nextBoolean()) {
                t.append('.');
                int fraction = 1 + random.nextInt(i % 5 == 0 ? 22 : 4);
                for (int d = 0; d < fraction; d++) {
                    t.append(random.nextInt(3) == 0 ? '0' : (char) ('0' + random.nextInt(10)));
                }
            }
            t.append(SUFFIXES[random.nextInt(SUFFIXES.length)]);
            texts.add(t.toString());
        }
        return texts;
    }

    private static String outcome(Function<String, Object> parse, String text) {
        try {
            return "value " + parse.apply(text);
        } catch (RuntimeException e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }

    @Test
    void memoryParsesEveryTextAsBigDecimalDid() {
        int whole = 0;
        for (String text : texts()) {
            String expected = outcome(QuantityParseTest::referenceMemory, text);
            assertThat(outcome(Memory::parse, text)).as(text).isEqualTo(expected);
            whole += expected.startsWith("value ") ? 1 : 0;
        }
        assertThat(whole).as("texts that parse").isGreaterThan(3_000);
    }

    @Test
    void cpuParsesEveryTextAsBigDecimalDid() {
        int whole = 0;
        for (String text : texts()) {
            String expected = outcome(QuantityParseTest::referenceCpu, text);
            assertThat(outcome(Cpu::parse, text)).as(text).isEqualTo(expected);
            whole += expected.startsWith("value ") ? 1 : 0;
        }
        assertThat(whole).as("texts that parse").isGreaterThan(1_000);
    }
}
