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
    void driftHunksNameTheObjectsTheyChange() throws Exception {
        String stream = "---\napiVersion: v1\nkind: Namespace\nmetadata:\n  labels:\n    name: not-this\n  name: shop\n"
                + "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: redis-config\n  namespace: shop\ndata:\n  a: '1'\n  b: '2'\n"
                + "  c: '3'\n  d: '4'\n  e: '5'\n  f: '6'\n  g: '7'\n"
                + "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: \"redis\"\n  namespace: shop\nspec:\n  clusterIP: None\n";
        Path golden = Files.writeString(tmp.resolve("shop.yaml"), stream, StandardCharsets.UTF_8);
        String rendered = stream.replace("  a: '1'\n", "  a: '9'\n").replace("  clusterIP: None\n", "  type: ClusterIP\n");
        String diff = Golden.compare(golden, rendered).diff();
        assertThat(diff).contains("\n@@ -12,7 +12,7 @@ ConfigMap/shop/redis-config\n").contains("\n@@ -26,4 +26,4 @@ Service/shop/redis\n");
        // A change to the start of a document names it, not the one before.
        String renamed = stream.replace("kind: Service\n", "kind: Endpoints\n");
        assertThat(Golden.compare(golden, renamed).diff()).contains(" @@ Service/shop/redis, Endpoints/shop/redis\n");
        // A missing golden file: every object, counted past three.
        assertThat(Golden.compare(tmp.resolve("none.yaml"), stream + stream.replace("shop", "other")).diff())
                .contains("\n@@ -0,0 +1,58 @@ Namespace/shop, ConfigMap/shop/redis-config, Service/shop/redis and 3 more\n");
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
