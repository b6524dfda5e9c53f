package io.kubeaudit.tail;

import java.util.Objects;

/**
 * One complete line of the audit log, handed downstream exactly once per run.
 *
 * <p>{@code bytes} is the line without its newline, shared with the consumer, never copied again:
 * the consumer owns it from {@link LineConsumer#accept} on. {@code equals} compares the array by
 * identity, as records do.
 *
 * @param sequence  0 for the first line of a {@link Follower} run, then +1 per line across files
 * @param file      identity of the file read
 * @param path      where the file was (or is) when the line was read; informational
 * @param offset    position of the line's first byte; in the decompressed stream for a {@code .gz}
 * @param endOffset position just after the newline: what a checkpoint records once this line is
 *                  acknowledged, so a checkpoint never points into the middle of a line
 * @param bytes     the line without the trailing {@code \n}
 */
public record LogLine(long sequence, FileId file, String path, long offset, long endOffset, byte[] bytes) {

    public LogLine {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(bytes, "bytes");
        if (sequence < 0 || offset < 0) {
            throw new IllegalArgumentException("sequence and offset must be >= 0, got " + sequence + " and " + offset);
        }
        if (endOffset != offset + bytes.length + 1) {
            throw new IllegalArgumentException("endOffset " + endOffset + " is not offset " + offset + " + "
                    + bytes.length + " bytes + newline");
        }
    }

    /** Where the next line starts, as a checkpoint. */
    public Checkpoint checkpoint() {
        return new Checkpoint(file, path, endOffset);
    }
}
