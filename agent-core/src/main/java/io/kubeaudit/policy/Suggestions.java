package io.kubeaudit.policy;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean ...?" for misspelt field names, levels and stages. */
final class Suggestions {

    private Suggestions() {
    }

    /** The known word closest to {@code typed}: same letters in another case, singular/plural, or a small typo. */
    static Optional<String> closest(String typed, Collection<String> known) {
        String lower = typed.toLowerCase(Locale.ROOT);
        Optional<String> sameIgnoringCase = known.stream().filter(k -> k.toLowerCase(Locale.ROOT).equals(lower)).findFirst();
        if (sameIgnoringCase.isPresent()) {
            return sameIgnoringCase;
        }
        Optional<String> plural = known.stream()
                .filter(k -> k.equalsIgnoreCase(typed + "s") || (k + "s").equalsIgnoreCase(typed))
                .findFirst();
        if (plural.isPresent()) {
            return plural;
        }
        int allowed = Math.max(1, Math.min(3, typed.length() / 3));
        return known.stream()
                .filter(k -> distance(lower, k.toLowerCase(Locale.ROOT)) <= allowed)
                .min(Comparator.comparingInt(k -> distance(lower, k.toLowerCase(Locale.ROOT))));
    }

    /** " (did you mean "x"?)" or nothing. */
    static String hint(String typed, Collection<String> known) {
        return closest(typed, known).map(k -> " (did you mean \"" + k + "\"?)").orElse("");
    }

    /** Edit distance counting a swap of two neighbouring letters as one edit (optimal string alignment). */
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
                d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1));
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
