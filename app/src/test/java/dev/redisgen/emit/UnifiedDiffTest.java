package dev.redisgen.emit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import dev.redisgen.conf.Binaries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnifiedDiffTest {

    @TempDir
    Path tmp;

    @Test
    void equalTextsHaveNoDiff() {
        assertThat(UnifiedDiff.diff("a", "b", "x\ny\n", "x\ny\n")).isEmpty();
        assertThat(UnifiedDiff.diff("a", "b", "", "")).isEmpty();
    }

    @Test
    void smallChangeReadsLikeDiffU() {
        String diff = UnifiedDiff.diff("golden/a.yaml", "render", "1\n2\n3\n4\n5\n6\n7\n8\n", "1\n2\n3\n4\nfive\n6\n7\n8\n");
        assertThat(diff).isEqualTo("""
                --- golden/a.yaml
                +++ render
                @@ -2,7 +2,7 @@
                 2
                 3
                 4
                -5
                +five
                 6
                 7
                 8
                """);
    }

    @Test
    void hunkHeadersNameTheSectionsOfTheirChangedLinesOnly() {
        // Section = the letter of the line's "block"; context lines do not name theirs.
        UnifiedDiff.Sections byLetter = lines -> lines.stream().map(l -> l.substring(0, 1)).toArray(String[]::new);
        String old = "a1\na2\na3\na4\nb1\nb2\nb3\nb4\nb5\nb6\nb7\nb8\nc1\nc2\n";
        String changed = old.replace("a4\n", "a4!\n").replace("b8\n", "x8\n").replace("c2\n", "c2!\n");
        assertThat(UnifiedDiff.diff("o", "n", old, changed, byLetter)).isEqualTo("""
                --- o
                +++ n
                @@ -1,7 +1,7 @@ a
                 a1
                 a2
                 a3
                -a4
                +a4!
                 b1
                 b2
                 b3
                @@ -9,6 +9,6 @@ b, x, c
                 b5
                 b6
                 b7
                -b8
                +x8
                 c1
                -c2
                +c2!
                """);
        assertThat(UnifiedDiff.diff("o", "n", "", "a\nb\nc\nd\ne\n", byLetter)).startsWith("--- o\n+++ n\n@@ -0,0 +1,5 @@ a, b, c and 2 more\n");
        assertThat(UnifiedDiff.diff("o", "n", old, changed)).contains("\n@@ -1,7 +1,7 @@\n");
    }

    @Test
    void missingTrailingNewlineIsMarkedLikeGnuDiff() {
        String diff = UnifiedDiff.diff("a", "b", "x\ny", "x\ny\n");
        assertThat(diff).isEqualTo("--- a\n+++ b\n@@ -1,2 +1,2 @@\n x\n-y\n\\ No newline at end of file\n+y\n");
    }

    @Test
    void edgeCasesMatchGnuDiff() throws Exception {
        String[][] cases = {
            {"", "a\n"},
            {"a\n", ""},
            {"a", "b"},
            {"a\nb", "a\nb\nc"},
            {"a\nb\nc\n", "a\nb\nc"},
            {"x\na\nb\na\nb\ny\n", "x\na\nb\ny\n"},
            {"}\n}\n}\n", "}\n}\n"},
            {"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n",
                "1\nX\n3\n4\n5\n6\n7\n8\n9\nY\n11\n12\n13\n14\n15\n16\n"},
            {"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n",
                "1\nX\n3\n4\n5\n6\n7\n8\nY\n10\n11\n12\n13\n14\n15\n16\n"},
        };
        for (String[] c : cases) {
            assertMatchesGnu(c[0], c[1]);
        }
    }

    /*
     * With many edits among many repeated lines GNU diff's discard_confusing_lines heuristic can pick
     * another (sometimes non-minimal) alignment than ours; ours is always minimal. The sizes here stay
     * in the range where both agree, which is the range of golden-file drift.
     */
    @Test
    void randomEditsMatchGnuDiff() throws Exception {
        Random random = new Random(20240611L);
        for (int round = 0; round < 300; round++) {
            List<String> base = new ArrayList<>();
            int size = random.nextInt(80);
            for (int i = 0; i < size; i++) {
                // Some repeated lines ("", "  }", "---") make the alignment ambiguous on purpose.
                int pick = random.nextInt(10);
                base.add(pick == 0 ? "" : pick == 1 ? "  }" : pick == 2 ? "---" : "line " + i);
            }
            List<String> changed = new ArrayList<>(base);
            int edits = random.nextInt(8);
            for (int e = 0; e < edits; e++) {
                int at = changed.isEmpty() ? 0 : random.nextInt(changed.size());
                switch (random.nextInt(3)) {
                    case 0 -> changed.add(at, "new " + round + "." + e);
                    case 1 -> {
                        if (!changed.isEmpty()) {
                            changed.remove(at);
                        }
                    }
                    default -> {
                        if (!changed.isEmpty()) {
                            changed.set(at, "changed " + round + "." + e);
                        }
                    }
                }
            }
            String oldText = join(base, random.nextInt(5) != 0);
            String newText = join(changed, random.nextInt(5) != 0);
            assertMatchesGnu(oldText, newText);
        }
    }

    @Test
    void fiveThousandLinesWithFiftyChangesDiffWellUnderASecond() {
        StringBuilder a = new StringBuilder();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            String line = "      key" + i + ": value " + (i * 7919 % 1000) + "\n";
            a.append(line);
            b.append(i % 100 == 37 ? "      key" + i + ": CHANGED\n" : line);
        }
        String oldText = a.toString();
        String newText = b.toString();
        UnifiedDiff.diff("a", "b", oldText, newText); // warm-up
        long start = System.nanoTime();
        String diff = UnifiedDiff.diff("a", "b", oldText, newText);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.println("UnifiedDiff: 5000 lines, 50 changes: " + millis + " ms");
        assertThat(diff.lines().filter(l -> l.startsWith("-      key")).count()).isEqualTo(50);
        assertThat(millis).isLessThan(250);
    }

    @Test
    void unrelatedFilesStillFinishQuickly() {
        StringBuilder a = new StringBuilder();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            a.append("old ").append(i).append('\n');
            b.append("new ").append(i).append('\n');
        }
        long start = System.nanoTime();
        String diff = UnifiedDiff.diff("a", "b", a.toString(), b.toString());
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2000);
        assertThat(diff).startsWith("--- a\n+++ b\n@@ -1,5000 +1,5000 @@\n-old 0\n");
    }

    private static String join(List<String> lines, boolean finalNewline) {
        String text = String.join("\n", lines);
        return finalNewline && !lines.isEmpty() ? text + "\n" : text;
    }

    private void assertMatchesGnu(String oldText, String newText) throws IOException, InterruptedException {
        // The real validator, GNU diff: skipped without it, failed under CI=true (the project's rule).
        Path gnuDiff = Binaries.require("diff");
        Path a = Files.writeString(tmp.resolve("a"), oldText, StandardCharsets.UTF_8);
        Path b = Files.writeString(tmp.resolve("b"), newText, StandardCharsets.UTF_8);
        Process process = new ProcessBuilder(gnuDiff.toString(), "-u", a.toString(), b.toString())
                .redirectErrorStream(true).start();
        String gnu = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).isIn(0, 1);
        String ours = UnifiedDiff.diff("a", "b", oldText, newText);
        assertThat(hunks(ours))
                .as("diff -u of %s%nvs%n%s", quote(oldText), quote(newText))
                .isEqualTo(hunks(gnu));
    }

    /** Everything after the two header lines (which carry GNU's file names and timestamps). */
    private static String hunks(String diff) {
        if (diff.isEmpty()) {
            return diff;
        }
        int first = diff.indexOf('\n');
        int second = diff.indexOf('\n', first + 1);
        return diff.substring(second + 1);
    }

    private static String quote(String text) {
        return "\"" + text.replace("\n", "\\n") + "\"";
    }
}
