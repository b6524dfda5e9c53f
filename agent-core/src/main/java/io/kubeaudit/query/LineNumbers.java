package io.kubeaudit.query;

import io.kubeaudit.tail.ByteSearch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Line numbers for a file read in chunks, counted only when one is asked for: a query that names no
 * line (most of them) counts nothing. Questions come in file order, so each newline is counted once.
 * A plain file is read again where the count lags behind the chunk in memory; a decompressed stream
 * cannot be, so its count follows every chunk ({@link #chunkDone}).
 */
final class LineNumbers {

    private final FileChannel rereadable;
    private long countedTo;
    private long newlines;

    /** @param rereadable the plain file, read again to count; null when it cannot be (a decompressed stream) */
    LineNumbers(FileChannel rereadable) {
        this.rereadable = rereadable;
    }

    /** The 1-based number of the line starting at {@code offset}, which lies in the chunk {@code bytes} starting at {@code chunkOffset}. */
    long lineAt(long offset, byte[] bytes, int chunkFrom, long chunkOffset) throws IOException {
        catchUpInFile(chunkOffset);
        newlines += count(bytes, chunkFrom + (int) (countedTo - chunkOffset), chunkFrom + (int) (offset - chunkOffset));
        countedTo = offset;
        return newlines + 1;
    }

    /** The 1-based number of a line that is in no chunk (skipped as too long). */
    long lineAtSkipped(long offset) throws IOException {
        catchUpInFile(offset);
        return newlines + 1;
    }

    /** After a skipped line that ended at {@code end} (just after its newline). */
    void skipped(long start, long end) {
        if (countedTo == start) {
            countedTo = end;
            newlines++;
        }
    }

    /** After a chunk: a stream that cannot be read again counts the rest of it now. */
    void chunkDone(byte[] bytes, int from, int to, long chunkOffset) {
        if (rereadable == null) {
            int start = from + (int) Math.max(0, countedTo - chunkOffset);
            newlines += count(bytes, start, to);
            countedTo = chunkOffset + (to - from);
        }
    }

    private void catchUpInFile(long to) throws IOException {
        if (countedTo >= to) {
            return;
        }
        if (rereadable == null) {
            throw new IllegalStateException("the line count at " + countedTo + " fell behind offset " + to);
        }
        newlines += countInFile(countedTo, to);
        countedTo = to;
    }

    private long countInFile(long from, long to) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(LineChunks.READ_BYTES);
        long n = 0;
        for (long position = from; position < to; ) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), to - position));
            int read = rereadable.read(buffer, position);
            if (read <= 0) {
                throw new IOException("the file ended at " + position + " while counting lines up to " + to);
            }
            n += count(buffer.array(), 0, read);
            position += read;
        }
        return n;
    }

    private static long count(byte[] bytes, int from, int to) {
        long n = 0;
        for (int i = from; (i = ByteSearch.indexOf(bytes, (byte) '\n', i, to)) >= 0; i++) {
            n++;
        }
        return n;
    }
}
