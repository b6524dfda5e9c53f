package io.kubeaudit.query;

import io.kubeaudit.tail.ByteSearch;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Picks out the lines worth parsing, looking only at bytes: a line can match only if it holds a needle
 * of every group (a group is one filter option's values, any of which will do). The most selective group
 * is searched across the whole buffer, as {@code grep} does, so lines without it cost no per-line work at
 * all; the lines it lands in are checked for the other groups. It only ever lets too much through:
 * the parsed event is filtered exactly afterwards.
 */
final class Prefilter {

    /** Takes the candidate lines of a buffer, in order: {@code [start, end)} without the newline. */
    interface LineSink {
        void line(byte[] bytes, int start, int end) throws IOException;
    }

    /** No needles: every line is parsed. */
    static final Prefilter EVERY_LINE = new Prefilter(List.of());

    private final Needle[] primary;
    private final List<Needle[]> others;

    Prefilter(List<List<Needle>> groups) {
        List<Needle[]> sorted = new ArrayList<>();
        for (List<Needle> g : groups) {
            sorted.add(g.toArray(Needle[]::new));
        }
        // Fewest alternatives first (one needle beats any-of-three), then the longest shortest needle.
        sorted.sort(Comparator.<Needle[]>comparingInt(g -> g.length)
                .thenComparing(g -> -Arrays.stream(g).mapToInt(Needle::length).min().orElse(0)));
        this.primary = sorted.isEmpty() ? null : sorted.get(0);
        this.others = sorted.isEmpty() ? List.of() : List.copyOf(sorted.subList(1, sorted.size()));
    }

    /** Hands every candidate line of {@code bytes[from..to)} to {@code sink}; {@code to} is just after a newline. */
    void scan(byte[] bytes, int from, int to, LineSink sink) throws IOException {
        if (primary == null) {
            for (int start = from; start < to; ) {
                int newline = ByteSearch.indexOf(bytes, (byte) '\n', start, to);
                sink.line(bytes, start, newline);
                start = newline + 1;
            }
            return;
        }
        int[] next = new int[primary.length];
        Arrays.fill(next, Integer.MIN_VALUE);
        for (int position = from; position < to; ) {
            int hit = firstHit(bytes, position, to, next);
            if (hit < 0) {
                return;
            }
            int start = Math.max(position, ByteSearch.lastIndexOf(bytes, (byte) '\n', position, hit - 1) + 1);
            int end = ByteSearch.indexOf(bytes, (byte) '\n', hit, to);
            if (holdsOthers(bytes, start, end)) {
                sink.line(bytes, start, end);
            }
            position = end + 1;
        }
    }

    /** The whole test on one line (for lines that arrive one by one: {@code --follow}). */
    boolean accepts(byte[] bytes, int start, int end) {
        return primary == null || holdsAny(primary, bytes, start, end) && holdsOthers(bytes, start, end);
    }

    /** The earliest hit of any primary needle at or after {@code position}; each needle's last answer is kept while still ahead. */
    private int firstHit(byte[] bytes, int position, int to, int[] next) {
        int best = -1;
        for (int i = 0; i < primary.length; i++) {
            if (next[i] != -1 && next[i] < position) {
                next[i] = primary[i].indexIn(bytes, position, to);
            }
            if (next[i] >= 0 && (best < 0 || next[i] < best)) {
                best = next[i];
            }
        }
        return best;
    }

    private boolean holdsOthers(byte[] bytes, int start, int end) {
        for (Needle[] group : others) {
            if (!holdsAny(group, bytes, start, end)) {
                return false;
            }
        }
        return true;
    }

    private static boolean holdsAny(Needle[] group, byte[] bytes, int start, int end) {
        for (Needle n : group) {
            if (n.indexIn(bytes, start, end) >= 0) {
                return true;
            }
        }
        return false;
    }
}
