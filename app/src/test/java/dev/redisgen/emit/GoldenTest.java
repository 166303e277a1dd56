package dev.redisgen.emit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GoldenTest {
    @TempDir
    Path tmp;

    @Test
    void equalFileIsNoDrift() throws Exception {
        Path golden = Files.writeString(tmp.resolve("a.yaml"), "kind: Service\n", StandardCharsets.UTF_8);
        assertThat(Golden.compare(golden, "kind: Service\n")).isEqualTo(new Golden.Result(true, ""));
    }

    @Test
    void changedFileIsDriftWithAUnifiedDiff() throws Exception {
        Path golden = Files.writeString(tmp.resolve("a.yaml"), "kind: Service\nname: a\n", StandardCharsets.UTF_8);
        Golden.Result result = Golden.compare(golden, "kind: Service\nname: b\n");
        assertThat(result.equal()).isFalse();
        assertThat(result.diff()).isEqualTo("--- " + golden + "\n+++ " + golden + " (rendered)\n"
                + "@@ -1,2 +1,2 @@\n kind: Service\n-name: a\n+name: b\n");
    }

    @Test
    void missingFileIsDriftAgainstEmptyTextAndSaysToUpdate() throws Exception {
        Path golden = tmp.resolve("golden/none.yaml");
        Golden.Result result = Golden.compare(golden, "a\nb\n");
        assertThat(result.equal()).isFalse();
        assertThat(result.diff()).startsWith("golden file " + golden + " does not exist; run with --update to create it\n")
                .endsWith("@@ -0,0 +1,2 @@\n+a\n+b\n");
    }

    @Test
    void updateCreatesParentsReplacesAtomicallyAndLeavesNoTempFiles() throws Exception {
        Path golden = tmp.resolve("golden/gateway-ha/render.yaml");
        Golden.update(golden, "first\n");
        Golden.update(golden, "second ü\n");
        assertThat(Files.readString(golden, StandardCharsets.UTF_8)).isEqualTo("second ü\n");
        assertThat(Golden.compare(golden, "second ü\n").equal()).isTrue();
        try (Stream<Path> files = Files.list(golden.getParent())) {
            assertThat(files).containsExactly(golden);
        }
    }
}
