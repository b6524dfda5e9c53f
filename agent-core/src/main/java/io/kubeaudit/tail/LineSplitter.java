package io.kubeaudit.tail;

import java.util.Arrays;

/**
 * Cuts the bytes of one file into complete lines. A line that spans reads is assembled in a buffer
 * that grows up to the line limit; a longer line is not held: it is counted until its newline and
 * reported with its first bytes. Bytes after the last newline wait for the next read, so a half
 * line is never handed on.
 */
final class LineSplitter {

    /** Bytes of a skipped line kept for the report: enough for its auditID. */
    static final int SKIPPED_HEAD_BYTES = 4096;
    private static final int INITIAL_PENDING_BYTES = 64 * 1024;
    /** After a line bigger than this the assembly buffer is given back, not kept for the rest of the run. */
    private static final int KEPT_PENDING_BYTES = 1024 * 1024;

    interface Sink {
        void line(long offset, byte[] bytes) throws InterruptedException;

        void tooLong(long offset, long length, byte[] head);
    }

    private final int maxLineBytes;
    private byte[] pending = new byte[INITIAL_PENDING_BYTES];
    private int pendingLength;
    /** Non-null while skipping an overlong line. */
    private byte[] skippedHead;
    private long skippedLength;
    private long lineStart;
    private long position;

    LineSplitter(int maxLineBytes, long offset) {
        this.maxLineBytes = maxLineBytes;
        reset(offset);
    }

    /** Starts over at {@code offset}, dropping any incomplete line. */
    void reset(long offset) {
        pendingLength = 0;
        skippedHead = null;
        skippedLength = 0;
        lineStart = offset;
        position = offset;
        releaseLargeBuffer();
    }

    /** Feeds the next {@code length} bytes of the file; hands every completed line to {@code sink}. */
    void feed(byte[] buffer, int length, Sink sink) throws InterruptedException {
        long bufferStart = position;
        position = bufferStart + length;
        int from = 0;
        while (from < length) {
            int newline = ByteSearch.indexOf(buffer, (byte) '\n', from, length);
            if (newline < 0) {
                hold(buffer, from, length - from);
                return;
            }
            int partStart = from;
            int partLength = newline - from;
            long start = lineStart;
            lineStart = bufferStart + newline + 1;
            from = newline + 1;
            if (skippedHead != null) {
                byte[] head = skippedHead;
                long skipped = skippedLength + partLength;
                skippedHead = null;
                skippedLength = 0;
                sink.tooLong(start, skipped, head);
            } else if ((long) pendingLength + partLength > maxLineBytes) {
                byte[] head = headOf(buffer, partStart, partLength);
                long skipped = (long) pendingLength + partLength;
                pendingLength = 0;
                releaseLargeBuffer();
                sink.tooLong(start, skipped, head);
            } else {
                sink.line(start, take(buffer, partStart, partLength));
            }
        }
    }

    /** Offset of the first byte not yet handed on as part of a complete line. */
    long lineStart() {
        return lineStart;
    }

    /** Offset just after the last byte fed. */
    long position() {
        return position;
    }

    /** Bytes of an incomplete line at the end of what was fed. */
    long partialBytes() {
        return position - lineStart;
    }

    private void hold(byte[] buffer, int from, int length) {
        if (skippedHead != null) {
            skippedLength += length;
        } else if ((long) pendingLength + length > maxLineBytes) {
            skippedHead = headOf(buffer, from, length);
            skippedLength = (long) pendingLength + length;
            pendingLength = 0;
            releaseLargeBuffer();
        } else {
            if (pendingLength + length > pending.length) {
                long grown = Math.max((long) pending.length * 2, (long) pendingLength + length);
                pending = Arrays.copyOf(pending, (int) Math.min(grown, maxLineBytes));
            }
            System.arraycopy(buffer, from, pending, pendingLength, length);
            pendingLength += length;
        }
    }

    private byte[] take(byte[] buffer, int from, int length) {
        if (pendingLength == 0) {
            return Arrays.copyOfRange(buffer, from, from + length);
        }
        byte[] line = Arrays.copyOf(pending, pendingLength + length);
        System.arraycopy(buffer, from, line, pendingLength, length);
        pendingLength = 0;
        releaseLargeBuffer();
        return line;
    }

    private byte[] headOf(byte[] buffer, int from, int length) {
        int fromPending = Math.min(pendingLength, SKIPPED_HEAD_BYTES);
        int fromBuffer = Math.min(length, SKIPPED_HEAD_BYTES - fromPending);
        byte[] head = Arrays.copyOf(pending, fromPending + fromBuffer);
        System.arraycopy(buffer, from, head, fromPending, fromBuffer);
        return head;
    }

    private void releaseLargeBuffer() {
        if (pending.length > KEPT_PENDING_BYTES) {
            pending = new byte[INITIAL_PENDING_BYTES];
        }
    }
}
