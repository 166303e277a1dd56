package dev.redisgen.profile;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean" for field names, enum values and built-in profile names. */
public final class Suggest {
    private Suggest() {
    }

    /**
     * The closest candidate, if one is close enough to be a likely typo: the same word in another case, a
     * prefix of at least three letters either way ("gateway" for "gateway-ha"), or an edit distance of at most
     * two with adjacent swaps counted as one edit. Ties go to the earlier candidate, so the answer is stable.
     */
    public static Optional<String> closest(String given, List<String> candidates) {
        String g = given.toLowerCase(Locale.ROOT);
        String best = null;
        int bestScore = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            String c = candidate.toLowerCase(Locale.ROOT);
            int score;
            if (c.equals(g)) {
                score = 0;
            } else if (g.length() >= 3 && (c.startsWith(g) || g.startsWith(c))) {
                score = 1;
            } else {
                int d = distance(g, c);
                score = d <= 2 && d < Math.max(g.length(), c.length()) ? d + 1 : Integer.MAX_VALUE;
            }
            if (score < bestScore) {
                bestScore = score;
                best = candidate;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Optimal string alignment distance (Damerau-Levenshtein without repeated edits of one substring). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    /** "; did you mean 'x'?" or nothing, ready to append to a message. */
    public static String didYouMean(String given, List<String> candidates) {
        return closest(given, candidates).map(c -> "; did you mean '" + c + "'?").orElse("");
    }
}
