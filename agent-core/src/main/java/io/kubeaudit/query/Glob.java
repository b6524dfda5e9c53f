package io.kubeaudit.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A filter value: the exact text, or with {@code *} standing for any run of characters
 * ({@code system:serviceaccount:kube-system:*}, {@code kubectl/*}). Case matters, as in the API server.
 */
record Glob(String pattern) {

    /** Needles shorter than this match nearly every line: not worth searching for. */
    private static final int MIN_NEEDLE_BYTES = 3;

    boolean matches(String value) {
        List<String> parts = parts();
        if (parts.size() == 1) {
            return value.equals(pattern);
        }
        String first = parts.get(0);
        String last = parts.get(parts.size() - 1);
        if (!value.startsWith(first) || value.length() < first.length() + last.length()) {
            return false;
        }
        int at = first.length();
        for (String middle : parts.subList(1, parts.size() - 1)) {
            int found = value.indexOf(middle, at);
            if (found < 0 || found + middle.length() > value.length() - last.length()) {
                return false;
            }
            at = found + middle.length();
        }
        return value.endsWith(last);
    }

    boolean isExact() {
        return pattern.indexOf('*') < 0;
    }

    /**
     * The longest literal run of the pattern as it must appear in the line's JSON: quoted where it
     * touches the value's start or end. Only runs of characters every JSON encoder writes as they are
     * (printable ASCII other than quote, backslash, slash, which some escape as {@code \/}, and Go's
     * HTML-escaped {@code <>&}) qualify; anything else could be written escaped and then not be found.
     */
    Optional<Needle> needle() {
        String best = "";
        int start = 0;
        for (int i = 0; i <= pattern.length(); i++) {
            if (i < pattern.length() && isVerbatim(pattern.charAt(i))) {
                continue;
            }
            String run = (start == 0 ? "\"" : "") + pattern.substring(start, i) + (i == pattern.length() ? "\"" : "");
            if (i > start && run.length() > best.length()) {
                best = run;
            }
            start = i + 1;
        }
        return best.length() < MIN_NEEDLE_BYTES ? Optional.empty() : Optional.of(Needle.text(best));
    }

    private static boolean isVerbatim(char c) {
        return c >= 0x20 && c < 0x7F && c != '"' && c != '\\' && c != '/' && c != '<' && c != '>' && c != '&' && c != '*';
    }

    private List<String> parts() {
        List<String> parts = new ArrayList<>();
        int from = 0;
        for (int star; (star = pattern.indexOf('*', from)) >= 0; from = star + 1) {
            parts.add(pattern.substring(from, star));
        }
        parts.add(pattern.substring(from));
        return parts;
    }

    @Override
    public String toString() {
        return pattern;
    }
}
