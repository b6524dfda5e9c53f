package io.kubeaudit.tail;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds one byte value eight bytes at a time (SWAR): the per-byte work of the read path (newlines) and
 * of placing annotations (quotes, read backwards), where a byte-by-byte loop was a tenth of the CPU.
 */
public final class ByteSearch {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;

    private ByteSearch() {
    }

    /** Index of the first {@code value} in {@code bytes[from..to)}, or -1. */
    public static int indexOf(byte[] bytes, byte value, int from, int to) {
        long pattern = (value & 0xFFL) * ONES;
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long found = zeroBytes((long) LONGS.get(bytes, i) ^ pattern);
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (bytes[i] == value) {
                return i;
            }
        }
        return -1;
    }

    /** Index of the last {@code value} in {@code bytes[from..to]} (both inclusive: a backward scan starts at {@code to}), or -1. */
    public static int lastIndexOf(byte[] bytes, byte value, int from, int to) {
        long pattern = (value & 0xFFL) * ONES;
        int i = to;
        for (; i - (Long.BYTES - 1) >= from; i -= Long.BYTES) {
            long found = zeroBytes((long) LONGS.get(bytes, i - (Long.BYTES - 1)) ^ pattern);
            if (found != 0) {
                return i - (Long.BYTES - 1) + ((63 - Long.numberOfLeadingZeros(found)) >>> 3);
            }
        }
        for (; i >= from; i--) {
            if (bytes[i] == value) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The high bit of every zero byte of {@code word}, exactly: adding 0x7F to the low seven bits of a
     * byte carries into its high bit unless they are all zero, and no carry crosses into the next byte
     * (unlike the shorter {@code (w - ONES) & ~w}, whose borrow can mark bytes above the first zero).
     */
    private static long zeroBytes(long word) {
        return ~(((word & LOW7) + LOW7) | word | LOW7);
    }
}
