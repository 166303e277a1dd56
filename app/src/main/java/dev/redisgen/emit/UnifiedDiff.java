package dev.redisgen.emit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A unified diff ({@code diff -u}) of two texts, for {@code check} to print on drift.
 *
 * <p>The changed lines come from Myers' O((N+M)·D) algorithm in its linear-space form (middle snake,
 * divide and conquer), so a 5,000-line golden file with a few changes diffs in milliseconds and two
 * unrelated files cannot run out of memory. Afterwards runs of changes are slid the way GNU diff's
 * {@code shift_boundaries} does, so hunks read like {@code diff -u} hunks: 3 lines of context, hunks
 * closer than 2×3 lines merged, {@code \ No newline at end of file} after a last line without a
 * newline.
 */
public final class UnifiedDiff {

    static final int CONTEXT = 3;
    private static final String NO_NEWLINE = "\\ No newline at end of file\n";

    private UnifiedDiff() {
    }

    /**
     * What a hunk is about, printed after its {@code @@ ... @@} like the function name of {@code diff -p}: for
     * each line of a text, the section it belongs to (null for none).
     */
    @FunctionalInterface
    public interface Sections {
        Sections NONE = lines -> new String[lines.size()];

        String[] of(List<String> lines);
    }

    /** At most this many sections are named in one hunk header; the rest are counted. */
    static final int SECTIONS_PER_HUNK = 3;

    /** "" when the texts are equal, else {@code --- oldName}, {@code +++ newName} and the hunks. */
    public static String diff(String oldName, String newName, String oldText, String newText) {
        return diff(oldName, newName, oldText, newText, Sections.NONE);
    }

    /**
     * As {@link #diff(String, String, String, String)}, each hunk header naming the sections its changed lines
     * are in: removed lines by the old text's sections, added lines by the new text's.
     */
    public static String diff(String oldName, String newName, String oldText, String newText, Sections sections) {
        Objects.requireNonNull(oldName, "oldName");
        Objects.requireNonNull(newName, "newName");
        if (oldText.equals(newText)) {
            return "";
        }
        List<String> a = lines(oldText);
        List<String> b = lines(newText);
        int[] ia = new int[a.size()];
        int[] ib = new int[b.size()];
        intern(a, b, ia, ib);
        // changed[x + 1] says line x changed; index 0 and n + 1 are sentinels, as in GNU diff.
        boolean[] ca = new boolean[a.size() + 2];
        boolean[] cb = new boolean[b.size() + 2];
        compare(ia, ib, ca, cb);
        shiftBoundaries(ia, ca, cb);
        shiftBoundaries(ib, cb, ca);
        StringBuilder out = new StringBuilder();
        out.append("--- ").append(oldName).append('\n');
        out.append("+++ ").append(newName).append('\n');
        hunks(a, b, ca, cb, sections.of(a), sections.of(b), out);
        return out.toString();
    }

    /** Lines with their terminators: a last line without "\n" differs from the same line with one. */
    static List<String> lines(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int nl = text.indexOf('\n', start);
            int end = nl < 0 ? text.length() : nl + 1;
            lines.add(text.substring(start, end));
            start = end;
        }
        return lines;
    }

    private static void intern(List<String> a, List<String> b, int[] ia, int[] ib) {
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < ia.length; i++) {
            ia[i] = ids.computeIfAbsent(a.get(i), k -> ids.size());
        }
        for (int i = 0; i < ib.length; i++) {
            ib[i] = ids.computeIfAbsent(b.get(i), k -> ids.size());
        }
    }

    /**
     * Like GNU diff, lines that occur nowhere in the other file are marked changed up front and left
     * out of the comparison (they are changed in every minimal diff); this also makes the common
     * ends GNU diff finds line up with ours. The rest goes to Myers.
     */
    private static void compare(int[] ia, int[] ib, boolean[] ca, boolean[] cb) {
        int ids = 0;
        for (int id : ia) {
            ids = Math.max(ids, id + 1);
        }
        for (int id : ib) {
            ids = Math.max(ids, id + 1);
        }
        boolean[] inA = new boolean[ids];
        boolean[] inB = new boolean[ids];
        for (int id : ia) {
            inA[id] = true;
        }
        for (int id : ib) {
            inB[id] = true;
        }
        int[] keptA = kept(ia, inB, ca);
        int[] keptB = kept(ib, inA, cb);
        int[] ra = new int[keptA.length];
        int[] rb = new int[keptB.length];
        for (int i = 0; i < ra.length; i++) {
            ra[i] = ia[keptA[i]];
        }
        for (int i = 0; i < rb.length; i++) {
            rb[i] = ib[keptB[i]];
        }
        boolean[] rca = new boolean[ra.length + 2];
        boolean[] rcb = new boolean[rb.length + 2];
        new Myers(ra, rb, rca, rcb).compare(0, ra.length, 0, rb.length);
        for (int i = 0; i < keptA.length; i++) {
            ca[keptA[i] + 1] = rca[i + 1];
        }
        for (int i = 0; i < keptB.length; i++) {
            cb[keptB[i] + 1] = rcb[i + 1];
        }
    }

    /** Indexes of the lines that also occur in the other file; the others are marked changed. */
    private static int[] kept(int[] lines, boolean[] inOther, boolean[] changed) {
        int[] kept = new int[lines.length];
        int count = 0;
        for (int i = 0; i < lines.length; i++) {
            if (inOther[lines[i]]) {
                kept[count++] = i;
            } else {
                changed[i + 1] = true;
            }
        }
        return java.util.Arrays.copyOf(kept, count);
    }

    /** Linear-space Myers: marks the lines that are not part of a longest common subsequence. */
    private static final class Myers {
        private final int[] a;
        private final int[] b;
        private final boolean[] ca;
        private final boolean[] cb;
        private final int[] vf;
        private final int[] vb;
        private final int offset;

        Myers(int[] a, int[] b, boolean[] ca, boolean[] cb) {
            this.a = a;
            this.b = b;
            this.ca = ca;
            this.cb = cb;
            this.offset = a.length + b.length + 1;
            this.vf = new int[2 * offset + 1];
            this.vb = new int[2 * offset + 1];
        }

        void compare(int aLo, int aHi, int bLo, int bHi) {
            while (aLo < aHi && bLo < bHi && a[aLo] == b[bLo]) {
                aLo++;
                bLo++;
            }
            while (aLo < aHi && bLo < bHi && a[aHi - 1] == b[bHi - 1]) {
                aHi--;
                bHi--;
            }
            if (aLo == aHi) {
                for (int y = bLo; y < bHi; y++) {
                    cb[y + 1] = true;
                }
            } else if (bLo == bHi) {
                for (int x = aLo; x < aHi; x++) {
                    ca[x + 1] = true;
                }
            } else {
                int[] snake = middleSnake(aLo, aHi, bLo, bHi);
                compare(aLo, snake[0], bLo, snake[1]);
                compare(snake[2], aHi, snake[3], bHi);
            }
        }

        /**
         * The middle snake of the box, as {x0, y0, x1, y1} in absolute line numbers: the snake's
         * lines are equal, the parts before and after are compared recursively. Diagonals are
         * indexed by k = x - y relative to the box; vf holds the furthest forward x, vb the
         * smallest backward x.
         */
        private int[] middleSnake(int aLo, int aHi, int bLo, int bHi) {
            int n = aHi - aLo;
            int m = bHi - bLo;
            int delta = n - m;
            boolean odd = (delta & 1) != 0;
            int max = (n + m + 1) / 2;
            vf[offset + 1] = 0;
            vb[offset + delta - 1] = n;
            for (int d = 0; d <= max; d++) {
                for (int k = -d; k <= d; k += 2) {
                    int x;
                    if (k == -d || (k != d && vf[offset + k - 1] < vf[offset + k + 1])) {
                        x = vf[offset + k + 1];
                    } else {
                        x = vf[offset + k - 1] + 1;
                    }
                    int y = x - k;
                    int x0 = x;
                    int y0 = y;
                    while (x < n && y < m && a[aLo + x] == b[bLo + y]) {
                        x++;
                        y++;
                    }
                    vf[offset + k] = x;
                    if (odd && k >= delta - (d - 1) && k <= delta + (d - 1) && x >= vb[offset + k]) {
                        return new int[] {aLo + x0, bLo + y0, aLo + x, bLo + y};
                    }
                }
                for (int c = -d; c <= d; c += 2) {
                    int k = c + delta;
                    int x;
                    if (c == d || (c != -d && vb[offset + k + 1] - 1 >= vb[offset + k - 1])) {
                        x = vb[offset + k - 1];
                    } else {
                        x = vb[offset + k + 1] - 1;
                    }
                    int y = x - k;
                    int x1 = x;
                    int y1 = y;
                    while (x > 0 && y > 0 && a[aLo + x - 1] == b[bLo + y - 1]) {
                        x--;
                        y--;
                    }
                    vb[offset + k] = x;
                    if (!odd && k >= -d && k <= d && x <= vf[offset + k]) {
                        return new int[] {aLo + x, bLo + y, aLo + x1, bLo + y1};
                    }
                }
            }
            throw new IllegalStateException("no middle snake; Myers' invariant broken");
        }
    }

    /**
     * GNU diff's shift_boundaries: slide each run of changed lines up to merge with earlier runs,
     * then down as far as it goes, then back up to line up with a change in the other file. Only
     * equal lines are moved over, so the diff stays minimal; it just reads the way diff -u reads.
     */
    private static void shiftBoundaries(int[] lines, boolean[] changed, boolean[] otherChanged) {
        int end = lines.length;
        int i = 0;
        int j = 0;
        while (true) {
            while (i < end && !changed[i + 1]) {
                while (otherChanged[++j]) {
                    // skip the other file's changed lines
                }
                i++;
            }
            if (i == end) {
                return;
            }
            int start = i;
            while (changed[++i + 1]) {
                // find the end of this run
            }
            while (otherChanged[j + 1]) {
                j++;
            }
            int runLength;
            int corresponding;
            do {
                runLength = i - start;
                while (start > 0 && lines[start - 1] == lines[i - 1]) {
                    changed[--start + 1] = true;
                    changed[--i + 1] = false;
                    while (changed[start]) {
                        start--;
                    }
                    while (otherChanged[--j + 1]) {
                        // back over the other file's run
                    }
                }
                corresponding = otherChanged[j] ? i : end;
                while (i != end && lines[start] == lines[i]) {
                    changed[start++ + 1] = false;
                    changed[i++ + 1] = true;
                    while (changed[i + 1]) {
                        i++;
                    }
                    while (otherChanged[++j + 1]) {
                        corresponding = i;
                    }
                }
            } while (runLength != i - start);
            while (corresponding < i) {
                changed[--start + 1] = true;
                changed[--i + 1] = false;
                while (otherChanged[--j + 1]) {
                    // back over the other file's run
                }
            }
        }
    }

    private static void hunks(List<String> a, List<String> b, boolean[] ca, boolean[] cb, String[] sa, String[] sb, StringBuilder out) {
        // Walk both files in step; collect the line pairs (x, y) where a change starts.
        List<int[]> changes = new ArrayList<>(); // {x0, x1, y0, y1}: a[x0..x1) replaced by b[y0..y1)
        int x = 0;
        int y = 0;
        while (x < a.size() || y < b.size()) {
            if (x < a.size() && y < b.size() && !ca[x + 1] && !cb[y + 1]) {
                x++;
                y++;
                continue;
            }
            int x0 = x;
            int y0 = y;
            while (x < a.size() && ca[x + 1]) {
                x++;
            }
            while (y < b.size() && cb[y + 1]) {
                y++;
            }
            changes.add(new int[] {x0, x, y0, y});
        }
        int c = 0;
        while (c < changes.size()) {
            int first = c;
            while (c + 1 < changes.size() && changes.get(c + 1)[0] - changes.get(c)[1] <= 2 * CONTEXT) {
                c++;
            }
            int[] head = changes.get(first);
            int[] tail = changes.get(c);
            int aStart = Math.max(0, head[0] - CONTEXT);
            int bStart = Math.max(0, head[2] - CONTEXT);
            int aEnd = Math.min(a.size(), tail[1] + CONTEXT);
            int bEnd = Math.min(b.size(), tail[3] + CONTEXT);
            out.append("@@ -").append(range(aStart, aEnd - aStart))
                    .append(" +").append(range(bStart, bEnd - bStart)).append(" @@")
                    .append(header(changes.subList(first, c + 1), sa, sb)).append('\n');
            int ax = aStart;
            for (int h = first; h <= c; h++) {
                int[] change = changes.get(h);
                for (; ax < change[0]; ax++) {
                    line(' ', a.get(ax), out);
                }
                for (int i = change[0]; i < change[1]; i++) {
                    line('-', a.get(i), out);
                }
                for (int i = change[2]; i < change[3]; i++) {
                    line('+', b.get(i), out);
                }
                ax = change[1];
            }
            for (; ax < aEnd; ax++) {
                line(' ', a.get(ax), out);
            }
            c++;
        }
    }

    /** " A, B" for the sections of a hunk's changed lines, in order of appearance; "" when none is known. */
    private static String header(List<int[]> changes, String[] sa, String[] sb) {
        List<String> names = new ArrayList<>();
        for (int[] change : changes) {
            for (int i = change[0]; i < change[1]; i++) {
                addSection(names, sa[i]);
            }
            for (int i = change[2]; i < change[3]; i++) {
                addSection(names, sb[i]);
            }
        }
        if (names.isEmpty()) {
            return "";
        }
        if (names.size() <= SECTIONS_PER_HUNK) {
            return " " + String.join(", ", names);
        }
        return " " + String.join(", ", names.subList(0, SECTIONS_PER_HUNK)) + " and " + (names.size() - SECTIONS_PER_HUNK) + " more";
    }

    private static void addSection(List<String> names, String section) {
        if (section != null && !names.contains(section)) {
            names.add(section);
        }
    }

    /** GNU style: "l,s", just "l" when s is 1, and the line before when s is 0. */
    private static String range(int start, int size) {
        if (size == 1) {
            return Integer.toString(start + 1);
        }
        return (size == 0 ? start : start + 1) + "," + size;
    }

    private static void line(char mark, String line, StringBuilder out) {
        out.append(mark).append(line);
        if (!line.endsWith("\n")) {
            out.append('\n').append(NO_NEWLINE);
        }
    }
}
