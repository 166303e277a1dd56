package dev.redisgen.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.redisgen.emit.YamlWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The same bytes on every run, under any default locale and time zone, and on another JDK. */
class DeterminismTest {
    static final Path TEMURIN_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

    @ParameterizedTest
    @ValueSource(strings = {"jewelry-shop", "gateway-ha", "airflow", "analytics-cluster"})
    void sameBytesAcrossRunsLocalesAndTimeZones(String profile) {
        String first = YamlWriter.write(Pipeline.render(profile).objects());
        Locale locale = Locale.getDefault();
        TimeZone zone = TimeZone.getDefault();
        try {
            for (String tag : List.of("tr-TR", "de-DE", "ar-EG", "hi-IN", "th-TH-u-nu-thai")) {
                Locale.setDefault(Locale.forLanguageTag(tag));
                TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Kiritimati"));
                assertThat(YamlWriter.write(Pipeline.render(profile).objects())).as("under %s", tag).isEqualTo(first);
            }
        } finally {
            Locale.setDefault(locale);
            TimeZone.setDefault(zone);
        }
    }

    /** Renders every built-in profile with a second JDK (Temurin 25) and compares with golden/. */
    @Test
    void sameBytesOnAnotherJdk() throws Exception {
        if (!Files.isExecutable(TEMURIN_25)) {
            org.junit.jupiter.api.Assumptions.assumeFalse(!"true".equals(System.getenv("CI")),
                    "no second JDK at " + TEMURIN_25);
            throw new AssertionError("CI=true but the second JDK is missing: " + TEMURIN_25);
        }
        for (String profile : List.of("jewelry-shop", "gateway-ha", "airflow", "analytics-cluster")) {
            Path out = Files.createTempFile("redisgen-" + profile, ".yaml");
            try {
                Process p = new ProcessBuilder(TEMURIN_25.toString(), "-Duser.language=tr", "-Duser.country=TR",
                        "-cp", System.getProperty("java.class.path"), "dev.redisgen.cli.Main", "render", "--profile", profile)
                        .redirectOutput(out.toFile())
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start();
                assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).isZero();
                assertThat(Files.readString(out, StandardCharsets.UTF_8))
                        .isEqualTo(Files.readString(Path.of("golden", profile + ".yaml"), StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
            }
        }
    }
}
