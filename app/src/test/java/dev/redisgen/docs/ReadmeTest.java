package dev.redisgen.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisgen.profile.ProfileLoader;
import dev.redisgen.profile.SchemaDoc;
import dev.redisgen.verify.Rules;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README stays true: its schema section is the code's, and it names every rule and built-in profile. */
class ReadmeTest {
    private static String readme() throws Exception {
        return Files.readString(Path.of("README.md"));
    }

    private static String between(String text, String begin, String end) {
        int b = text.indexOf(begin);
        int e = text.indexOf(end);
        assertThat(b).as(begin).isNotNegative();
        assertThat(e).as(end).isGreaterThan(b);
        return text.substring(b + begin.length() + 1, e);
    }

    @Test
    void schemaSectionIsGeneratedFromTheRecords() throws Exception {
        assertThat(between(readme(), "<!-- schema:begin -->", "<!-- schema:end -->"))
                .as("README schema section; regenerate it from SchemaDoc.markdown()").isEqualTo(SchemaDoc.markdown());
    }

    @Test
    void everyRuleAndProfileIsDocumented() throws Exception {
        String rules = between(readme(), "<!-- rules:begin -->", "<!-- rules:end -->");
        for (String id : Rules.ids()) {
            assertThat(rules).contains("`" + id + "`");
        }
        for (String profile : ProfileLoader.builtinNames()) {
            assertThat(readme()).contains("| `" + profile + "` |");
        }
    }

    @Test
    void beginsWithTheTwoCommands() throws Exception {
        String text = readme();
        int block = text.indexOf("```sh\n");
        assertThat(text.substring(block, text.indexOf("```\n", block + 6)))
                .contains("./redisgen render --profile gateway-ha")
                .contains("mvn -B verify");
        assertThat(Files.readString(Path.of(".ci/run"))).contains("\nmvn -B verify\n");
    }
}
