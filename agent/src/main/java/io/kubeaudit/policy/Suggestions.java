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

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
