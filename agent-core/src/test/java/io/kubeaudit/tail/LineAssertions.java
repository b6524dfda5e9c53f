package io.kubeaudit.tail;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Compares line lists and, on a mismatch, says where and what (the lines themselves are long). */
final class LineAssertions {

    private LineAssertions() {
    }

    static void assertSameLines(List<String> expected, List<String> actual, Object context) {
        if (expected.equals(actual)) {
            return;
        }
        int first = 0;
        while (first < expected.size() && first < actual.size() && expected.get(first).equals(actual.get(first))) {
            first++;
        }
        Set<String> want = new HashSet<>(expected);
        Set<String> seen = new HashSet<>();
        List<String> duplicates = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        for (String a : actual) {
            if (!seen.add(a)) {
                duplicates.add(shorten(a));
            }
            if (!want.contains(a)) {
                unexpected.add(shorten(a));
            }
        }
        List<String> missing = expected.stream().filter(e -> !seen.contains(e)).map(LineAssertions::shorten).toList();
        fail("lines differ from index " + first + " (expected " + expected.size() + ", got " + actual.size() + ")"
                + "\n expected there: " + (first < expected.size() ? shorten(expected.get(first)) : "end")
                + "\n got there:      " + (first < actual.size() ? shorten(actual.get(first)) : "end")
                + "\n missing " + missing.size() + ": " + head(missing)
                + "\n duplicated " + duplicates.size() + ": " + head(duplicates)
                + "\n unexpected " + unexpected.size() + ": " + head(unexpected)
                + "\n context: " + context);
    }

    private static List<String> head(List<String> list) {
        return list.subList(0, Math.min(10, list.size()));
    }

    static String shorten(String line) {
        int n = line.indexOf("\"n\":");
        if (n >= 0) {
            int end = line.indexOf(',', n);
            return "#" + line.substring(n + 4, end < 0 ? Math.min(line.length(), n + 14) : end);
        }
        return line.length() > 60 ? line.substring(0, 60) + "...(" + line.length() + ")" : line;
    }
}
