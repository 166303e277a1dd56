package dev.redisgen.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisgen.emit.Golden;
import dev.redisgen.emit.YamlWriter;
import dev.redisgen.profile.ProfileLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each built-in profile's render equals golden/&lt;profile&gt;.yaml byte for byte. Golden files change only on
 * purpose: {@code mvn test -Dgolden.update=true} (or {@code redisgen check --all --update}) rewrites them,
 * and the diff is reviewed in the same commit as the code that changed it.
 */
class GoldenTest {
    static List<String> builtins() {
        return ProfileLoader.builtinNames();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("builtins")
    void renderMatchesGolden(String profile) throws Exception {
        String actual = YamlWriter.write(Pipeline.render(profile).objects());
        Path golden = Path.of("golden", profile + ".yaml");
        if ("true".equals(System.getProperty("golden.update"))) {
            Golden.update(golden, actual);
        }
        Golden.Result result = Golden.compare(golden, actual);
        assertThat(result.equal()).as("render of %s differs from %s:%n%s", profile, golden, result.diff()).isTrue();
    }
}
