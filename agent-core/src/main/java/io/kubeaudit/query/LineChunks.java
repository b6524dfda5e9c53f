package io.kubeaudit.query;

import io.kubeaudit.tail.ByteSearch;
import java.io.IOException;
import java.util.Arrays;

/**
 * Reads a file into buffers of whole lines and hands each buffer on at once, so lines are never
 * copied one by one: a pre-filter can search a buffer as a whole. Only the incomplete line at the end
 * of a read is moved to the front for the next. A line longer than the limit is skipped in bounded
 * memory and reported. One instance reads one file after the other, reusing its buffer.
 */
final class LineChunks {

    /** Bytes read at a time: the kernel's copy and the search both stay in a core's L2 cache. */
    static final int READ_BYTES = 128 * 1024;

    /** Where the bytes come from: a plain file or a decompressing stream. */
    interface Source {
        /** Like {@link java.io.InputStream#read(byte[], int, int)}: -1 at the end. */
        int read(byte[] buffer, int offset, int length) throws IOException;
    }

    interface Handler {
        /**
         * {@code buffer[from..to)} is complete lines, each ending in a newline; {@code offset} is where
         * {@code buffer[from]} is in the (decompressed) file.
         */
        void lines(byte[] buffer, int from, int to, long offset) throws IOException;

        /** A line of {@code length} bytes at {@code offset} was longer than the limit and skipped. */
        void tooLong(long offset, long length) throws IOException;
    }

    private final int maxLineBytes;
    private byte[] buffer = new byte[4 * READ_BYTES];

    LineChunks(int maxLineBytes) {
        this.maxLineBytes = maxLineBytes;
    }

    /**
     * Reads {@code source} to its end. A last line without a newline is handed on (with one added in
     * the buffer) when {@code lastLineComplete}, else left out: the live log's writer may be in the
     * middle of it.
     */
    void read(Source source, boolean lastLineComplete, Handler handler) throws IOException {
        int have = 0;
        long base = 0;
        long skippingFrom = -1;
        long skipped = 0;
        while (true) {
            if (buffer.length - have < READ_BYTES + 1) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, have + READ_BYTES + 1));
            }
            int n = source.read(buffer, have, READ_BYTES);
            if (n < 0) {
                break;
            }
            int scanFrom = have;
            have += n;
            if (skippingFrom >= 0) {
                int newline = ByteSearch.indexOf(buffer, (byte) '\n', 0, have);
                if (newline < 0) {
                    skipped += have;
                    base += have;
                    have = 0;
                    continue;
                }
                handler.tooLong(skippingFrom, skipped + newline);
                skippingFrom = -1;
                have = shift(newline + 1, have);
                base += newline + 1;
                scanFrom = 0;
            }
            int last = ByteSearch.lastIndexOf(buffer, (byte) '\n', scanFrom, have - 1);
            if (last < 0) {
                if (have > maxLineBytes) {
                    skippingFrom = base;
                    skipped = have;
                    base += have;
                    have = 0;
                    shrink(0);
                }
                continue;
            }
            handler.lines(buffer, 0, last + 1, base);
            have = shift(last + 1, have);
            base += last + 1;
            shrink(have);
        }
        if (skippingFrom >= 0) {
            handler.tooLong(skippingFrom, skipped);
        } else if (have > 0 && lastLineComplete) {
            buffer[have] = '\n';
            handler.lines(buffer, 0, have + 1, base);
        }
    }

    /** Moves {@code buffer[from..have)} to the front; returns its length. */
    private int shift(int from, int have) {
        System.arraycopy(buffer, from, buffer, 0, have - from);
        return have - from;
    }

    /** A buffer grown for a long line is given back once that line is done ({@code have} bytes are kept). */
    private void shrink(int have) {
        if (buffer.length > 16 * READ_BYTES && have <= 2 * READ_BYTES) {
            buffer = Arrays.copyOf(buffer, 4 * READ_BYTES);
        }
    }
}
