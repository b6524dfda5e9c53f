package io.kubeaudit.manifest;

import java.util.ArrayList;
import java.util.List;

/**
 * A unified diff of two texts by lines (Myers' O(ND) shortest edit script), in the format of
 * {@code diff -u}: {@code ---}/{@code +++} headers, {@code @@} hunks with a given number of context
 * lines, and "\ No newline at end of file" where a text lacks its final line break.
 */
public final class UnifiedDiff {

    private static final String NO_NEWLINE = "\\ No newline at end of file";

    private enum Op { KEEP, DELETE, INSERT }

    private record Step(Op op, int a, int b) {
    }

    private UnifiedDiff() {
    }

    /** The diff from {@code before} to {@code after}, labelled {@code label} on both sides; "" when equal. */
    public static String of(String before, String after, String label, int context) {
        return of(before, after, label, label, context);
    }

    public static String of(String before, String after, String beforeLabel, String afterLabel, int context) {
        if (context < 0) {
            throw new IllegalArgumentException("context must be >= 0, got " + context);
        }
        if (before.equals(after)) {
            return "";
        }
        List<String> a = lines(before);
        List<String> b = lines(after);
        List<Step> script = script(a, b);
        StringBuilder out = new StringBuilder();
        out.append("--- ").append(beforeLabel).append('\n').append("+++ ").append(afterLabel).append('\n');
        int i = 0;
        while (i < script.size()) {
            if (script.get(i).op() == Op.KEEP) {
                i++;
                continue;
            }
            int start = Math.max(0, i - context);
            // extend the hunk while the next change is close enough for the contexts to touch
            int last = i;
            for (int j = i; j < script.size(); j++) {
                if (script.get(j).op() != Op.KEEP) {
                    if (j - last > 2 * context) {
                        break;
                    }
                    last = j;
                }
            }
            int end = Math.min(script.size(), last + context + 1);
            hunk(out, script.subList(start, end), a, b);
            i = end;
        }
        return out.toString();
    }

    private static void hunk(StringBuilder out, List<Step> steps, List<String> a, List<String> b) {
        int aCount = 0;
        int bCount = 0;
        for (Step s : steps) {
            aCount += s.op() != Op.INSERT ? 1 : 0;
            bCount += s.op() != Op.DELETE ? 1 : 0;
        }
        Step first = steps.get(0);
        out.append("@@ -").append(range(first.a(), aCount)).append(" +").append(range(first.b(), bCount)).append(" @@\n");
        for (Step s : steps) {
            String line = switch (s.op()) {
                case KEEP -> " " + a.get(s.a());
                case DELETE -> "-" + a.get(s.a());
                case INSERT -> "+" + b.get(s.b());
            };
            if (line.endsWith("\n")) {
                out.append(line);
            } else {
                out.append(line).append('\n').append(NO_NEWLINE).append('\n');
            }
        }
    }

    /** diff's "start,count": 1-based, count omitted when 1, and the line before when the range is empty. */
    private static String range(int zeroBasedStart, int count) {
        if (count == 0) {
            return zeroBasedStart + ",0";
        }
        return count == 1 ? String.valueOf(zeroBasedStart + 1) : (zeroBasedStart + 1) + "," + count;
    }

    /** Lines with their line break, so a last line without one differs from the same line with one. */
    private static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int nl = text.indexOf('\n', start);
            int end = nl < 0 ? text.length() : nl + 1;
            out.add(text.substring(start, end));
            start = end;
        }
        return out;
    }

    /**
     * The edit script in order, every line of both texts in one step. Common head and tail are matched
     * first, so the Myers search only runs over the changed middle.
     */
    private static List<Step> script(List<String> a, List<String> b) {
        int head = 0;
        while (head < a.size() && head < b.size() && a.get(head).equals(b.get(head))) {
            head++;
        }
        int tail = 0;
        while (tail < a.size() - head && tail < b.size() - head
                && a.get(a.size() - 1 - tail).equals(b.get(b.size() - 1 - tail))) {
            tail++;
        }
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < head; i++) {
            steps.add(new Step(Op.KEEP, i, i));
        }
        steps.addAll(myers(a.subList(head, a.size() - tail), b.subList(head, b.size() - tail), head));
        for (int i = tail; i > 0; i--) {
            steps.add(new Step(Op.KEEP, a.size() - i, b.size() - i));
        }
        return steps;
    }

    private static List<Step> myers(List<String> a, List<String> b, int offset) {
        int n = a.size();
        int m = b.size();
        int max = n + m;
        List<int[]> trace = new ArrayList<>();
        int[] v = new int[2 * max + 2];
        int found = -1;
        for (int d = 0; d <= max && found < 0; d++) {
            trace.add(v.clone());
            for (int k = -d; k <= d; k += 2) {
                int x = (k == -d || (k != d && v[max + k - 1] < v[max + k + 1])) ? v[max + k + 1] : v[max + k - 1] + 1;
                int y = x - k;
                while (x < n && y < m && a.get(x).equals(b.get(y))) {
                    x++;
                    y++;
                }
                v[max + k] = x;
                if (x >= n && y >= m) {
                    found = d;
                    break;
                }
            }
        }
        List<Step> reversed = new ArrayList<>();
        int x = n;
        int y = m;
        for (int d = found; d > 0; d--) {
            int[] prev = trace.get(d);
            int k = x - y;
            int prevK = (k == -d || (k != d && prev[max + k - 1] < prev[max + k + 1])) ? k + 1 : k - 1;
            int prevX = prev[max + prevK];
            int prevY = prevX - prevK;
            while (x > prevX && y > prevY) {
                x--;
                y--;
                reversed.add(new Step(Op.KEEP, offset + x, offset + y));
            }
            if (x == prevX) {
                y--;
                reversed.add(new Step(Op.INSERT, offset + x, offset + y));
            } else {
                x--;
                reversed.add(new Step(Op.DELETE, offset + x, offset + y));
            }
        }
        while (x > 0 && y > 0) {
            x--;
            y--;
            reversed.add(new Step(Op.KEEP, offset + x, offset + y));
        }
        List<Step> steps = new ArrayList<>();
        for (int i = reversed.size() - 1; i >= 0; i--) {
            steps.add(reversed.get(i));
        }
        return steps;
    }
}
