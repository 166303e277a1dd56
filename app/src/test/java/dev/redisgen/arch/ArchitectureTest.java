package dev.redisgen.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the one-direction data flow of ARCHITECTURE.md: which package may import which. A small import
 * scanner (fully qualified references included) rather than a library: the rules are a table.
 */
class ArchitectureTest {
    private static final Path MAIN = Path.of("app/src/main/java/dev/redisgen");
    private static final Pattern REF = Pattern.compile("dev\\.redisgen\\.([a-z]+)\\.([A-Z][A-Za-z0-9]*)");

    /**
     * package → redisgen packages it may use ({@code codegen}: the build-time annotation that asks for a generated writer:
     * emit's YAML writer, decorate's JSON of a Job spec for its name hash).
     */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("diag", Set.of()),
            Map.entry("validation", Set.of()),
            Map.entry("profile", Set.of("diag", "validation")),
            Map.entry("plan", Set.of("profile", "diag")),
            Map.entry("conf", Set.of("plan")),
            Map.entry("render", Set.of("plan", "conf", "profile")),
            Map.entry("decorate", Set.of("plan", "profile", "codegen")),
            Map.entry("verify", Set.of("plan", "profile", "diag", "validation")),
            Map.entry("emit", Set.of("diag", "codegen")),
            Map.entry("pipeline", Set.of("diag", "profile", "plan", "conf", "render", "decorate", "verify", "emit")),
            Map.entry("drill", Set.of("pipeline", "plan", "conf", "render", "profile", "diag")),
            Map.entry("explain", Set.of("plan", "profile", "emit")),
            Map.entry("diff", Set.of("emit", "diag")),
            Map.entry("cli", Set.of("diag", "profile", "plan", "conf", "render", "decorate", "verify", "emit", "pipeline", "drill", "explain",
                    "diff")));

    /**
     * The profile documents as written: the plan consumes them, renderers never see them (they read only
     * value types such as Resources or VolumeSpec carried inside the plan).
     */
    private static final Set<String> PROFILE_DOCUMENTS = Set.of("Profile", "DeploymentSpec", "NamespaceSpec", "LoadedProfile",
            "ProfileLoader", "SourceMap", "SentinelSpec", "ClusterSpec", "RedisSpec", "ServicesSpec", "Acknowledgement", "ContainerResources");

    @Test
    void packagesImportOnlyWhatTheArchitectureAllows() throws IOException {
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String pkg = MAIN.relativize(file).getName(0).toString();
                assertThat(ALLOWED).as("package %s is in the architecture table", pkg).containsKey(pkg);
                String text = Files.readString(file);
                Matcher m = REF.matcher(text);
                while (m.find()) {
                    String target = m.group(1);
                    if (target.equals(pkg)) {
                        continue;
                    }
                    if (!ALLOWED.get(pkg).contains(target)) {
                        violations.add(file + ": " + pkg + " uses " + target + "." + m.group(2));
                    } else if ((pkg.equals("render") || pkg.equals("decorate")) && target.equals("profile")
                            && PROFILE_DOCUMENTS.contains(m.group(2))) {
                        violations.add(file + ": " + pkg + " reads the profile document " + m.group(2) + " (it sees only the plan)");
                    }
                }
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void onlyMainCallsSystemExit() throws IOException {
        List<String> callers = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                if (Files.readString(file).contains("System.exit(") && !file.endsWith(Path.of("cli", "Main.java"))) {
                    callers.add(file.toString());
                }
            }
        }
        assertThat(callers).isEmpty();
    }
}
