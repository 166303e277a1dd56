package dev.redisgen.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisgen.pipeline.Pipeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's excerpt of {@code explain --profile airflow} is the real output, line for line and in order. */
class ExplainReadmeTest {
    @Test
    void theExcerptIsTheOutputOfExplainAirflow() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int begin = readme.indexOf("<!-- explain:begin -->\n````text\n");
        int end = readme.indexOf("````\n<!-- explain:end -->");
        assertThat(begin).isNotNegative();
        assertThat(end).isGreaterThan(begin);
        List<String> excerpt = readme.substring(readme.indexOf("````text\n", begin) + "````text\n".length(), end).lines()
                .filter(l -> !l.isBlank()).toList();
        Pipeline.Result r = Pipeline.render("airflow");
        List<String> output = TextReport.text(Explainer.explain(r.plan(), r.objects(), r.source().displayName(),
                r.source().profile().description())).lines().toList();
        int at = 0;
        for (String line : excerpt) {
            int found = output.subList(at, output.size()).indexOf(line);
            assertThat(found).as("README line, in order, in the output of explain --profile airflow: %s", line).isNotNegative();
            at += found + 1;
        }
        assertThat(readme).contains("./redisgen explain --profile airflow ");
    }
}
