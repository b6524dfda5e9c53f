package io.kubeaudit.query;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A byte string that every line a filter can accept must contain, found without parsing: the pre-filter
 * looks for it across a whole buffer and only the lines it lands in are parsed, as {@code grep} does.
 *
 * <p>The search tests two of the needle's bytes eight positions at a time (SWAR): the two that are
 * rarest in audit logs (a frequency ranking measured on the bench log and the real v1.20.2 log), so
 * that the JSON punctuation and the common letters every line is full of rarely make a candidate.
 * Only where both bytes sit at the right distance is the whole needle compared.
 *
 * <p>A {@linkplain #number number} needle must also stand alone as a JSON number ({@code 403} in
 * {@code "code":403}, not in a timestamp's {@code .403512}); a string needle carries its own quotes.
 */
final class Needle {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;
    /** Bytes of audit logs, most frequent first; bytes not listed are rarer than all of these. */
    private static final String BY_FREQUENCY =
            "\"eatsoin:rcu-,1dm2.l0pb648/gvkf3597{} yRhT\\[]IwVCxqAZzEUPSjBDM=G()F?_NOL$W%H@KYXQJ#*+';";
    private static final int[] RANK = ranks();

    private final byte[] bytes;
    private final boolean number;
    private final int first;
    private final int second;
    private final long firstPattern;
    private final long secondPattern;

    private Needle(byte[] bytes, boolean number) {
        if (bytes.length < 2) {
            throw new IllegalArgumentException("a needle needs at least two bytes");
        }
        this.bytes = bytes;
        this.number = number;
        int a = 0;
        for (int i = 1; i < bytes.length; i++) {
            if (RANK[bytes[i] & 0xFF] > RANK[bytes[a] & 0xFF]) {
                a = i;
            }
        }
        int b = a == 0 ? 1 : 0;
        for (int i = 0; i < bytes.length; i++) {
            if (i != a && (RANK[bytes[i] & 0xFF] > RANK[bytes[b] & 0xFF]
                    || RANK[bytes[i] & 0xFF] == RANK[bytes[b] & 0xFF] && Math.abs(i - a) > Math.abs(b - a))) {
                b = i;
            }
        }
        this.first = Math.min(a, b);
        this.second = Math.max(a, b);
        this.firstPattern = (bytes[first] & 0xFFL) * ONES;
        this.secondPattern = (bytes[second] & 0xFFL) * ONES;
    }

    /** The text exactly, quotes included when it is a whole JSON string. */
    static Needle text(String text) {
        return new Needle(text.getBytes(StandardCharsets.UTF_8), false);
    }

    /** Digits that must be a whole JSON number. */
    static Needle number(String digits) {
        return new Needle(digits.getBytes(StandardCharsets.US_ASCII), true);
    }

    int length() {
        return bytes.length;
    }

    /** Index of the first occurrence in {@code b[from..to)}, or -1. */
    int indexIn(byte[] b, int from, int to) {
        int k = bytes.length;
        int i = from;
        // Both loads read 8 bytes: the window starting at i must leave room for them.
        for (int last = to - k - (Long.BYTES - 1); i <= last; i += Long.BYTES) {
            long found = zeroBytes((long) LONGS.get(b, i + first) ^ firstPattern)
                    & zeroBytes((long) LONGS.get(b, i + second) ^ secondPattern);
            while (found != 0) {
                int at = i + (Long.numberOfTrailingZeros(found) >>> 3);
                if (matchesAt(b, at, from, to)) {
                    return at;
                }
                found &= found - 1;
            }
        }
        for (; i + k <= to; i++) {
            if (matchesAt(b, i, from, to)) {
                return i;
            }
        }
        return -1;
    }

    private boolean matchesAt(byte[] b, int at, int from, int to) {
        if (!Arrays.equals(b, at, at + bytes.length, bytes, 0, bytes.length)) {
            return false;
        }
        return !number || standsAlone(b, at, from, to);
    }

    /** A JSON number stands between a colon, comma or bracket (and spaces) and a comma, bracket or space. */
    private boolean standsAlone(byte[] b, int at, int from, int to) {
        int before = at - 1;
        while (before >= from && b[before] == ' ') {
            before--;
        }
        if (before < from || (b[before] != ':' && b[before] != ',' && b[before] != '[')) {
            return false;
        }
        int after = at + bytes.length;
        return after >= to || b[after] == ',' || b[after] == '}' || b[after] == ']' || b[after] == ' ';
    }

    /** The high bit of every zero byte of {@code word} (see {@code ByteSearch}: exact, no borrow across bytes). */
    private static long zeroBytes(long word) {
        return ~(((word & LOW7) + LOW7) | word | LOW7);
    }

    private static int[] ranks() {
        int[] rank = new int[256];
        Arrays.fill(rank, BY_FREQUENCY.length());
        for (int i = 0; i < BY_FREQUENCY.length(); i++) {
            rank[BY_FREQUENCY.charAt(i)] = i;
        }
        return rank;
    }

    @Override
    public String toString() {
        return new String(bytes, StandardCharsets.UTF_8) + (number ? " (number)" : "");
    }
}
