package dev.redisgen.emit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The shortcut in front of the quoting regex answers as the regex does, for every string it may meet. */
class Yaml11QuotingTest {

    private static void sameAsTheRegex(String s) {
        assertThat(Yaml11Quoting.nonString(s)).as("'%s'", s).isEqualTo(pattern().matcher(s).matches());
    }

    private static java.util.regex.Pattern pattern() {
        try {
            var f = Yaml11Quoting.class.getDeclaredField("NON_STRING");
            f.setAccessible(true);
            return (java.util.regex.Pattern) f.get(null);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void everyWordOfTheGoldenFilesAndEveryKeywordAndNumberForm() throws Exception {
        List<String> words = new ArrayList<>(List.of("y", "Y", "yes", "Yes", "YES", "n", "N", "no", "NO", "true", "True", "TRUE",
                "false", "False", "FALSE", "falsey", "on", "On", "ON", "off", "Off", "OFF", "offer", "~", "null", "Null", "NULL", "nulls",
                "0b101", "-0b1", "0o17", "0755", "+0x1F", "0x", "12", "1_000", "1:20", "-1:20:30.5", "1e3", ".5", "-.5e-3", "1.", ".inf",
                "-.Inf", "+.INF", ".nan", ".NaN", ".NAN", "2024-01-01", "2024-1-1T10:00:00Z", "<<", "=", "==", "<", "a", "ab", "abcde",
                "abcdef", "name", "redis", "Yesterday", "No way", "on-call", "5Gi", "100m", "0.5", "1.0", "-", "+", "."));
        for (Path golden : Files.list(Path.of("golden")).toList()) {
            for (String line : Files.readAllLines(golden)) {
                for (String part : line.trim().split(": |- |\"")) {
                    if (!part.isEmpty()) {
                        words.add(part);
                    }
                }
            }
        }
        words.forEach(Yaml11QuotingTest::sameAsTheRegex);
    }

    @Test
    void randomShortStringsOfTheCharactersThatMatter() {
        String alphabet = "yYnNtTfFoOaelrsuUEALRS0123456789_:.-+eExXbBoO~<=iInf ";
        Random random = new Random(12);
        for (int i = 0; i < 200_000; i++) {
            char[] s = new char[1 + random.nextInt(8)];
            for (int j = 0; j < s.length; j++) {
                s[j] = alphabet.charAt(random.nextInt(alphabet.length()));
            }
            sameAsTheRegex(new String(s));
        }
    }
}
