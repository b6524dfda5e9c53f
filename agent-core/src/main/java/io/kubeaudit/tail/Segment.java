package io.kubeaudit.tail;

import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * One file in the rotation chain: a stretch of the log not read yet. Fields without a note are
 * guarded by the {@link RotationTracker}'s lock.
 */
final class Segment {

    /** The file the bytes come from: the plain file, or the {@code .gz} once only that is left. */
    FileStat source;
    boolean compressed;
    /** Timestamp of its backup name; null while it is (or was, with no backup name seen) the live log. */
    String stamp;
    /** Identity prefix ({@link Fingerprint}); null until the file holds a first line. */
    byte[] prefix;
    /** The held descriptor, null while the file is not open. */
    FileChannel channel;
    int missedScans;
    /**
     * For a file found as the live log: a directory listing made after it was opened has been
     * looked at, so every backup older than it is known. Until then it is not read: the listing
     * that found it may have been older than the file opened under its name.
     */
    boolean placed;
    /** Handed to the reader: nothing goes before it any more. */
    boolean reading;
    boolean rotationReported;
    boolean limitReported;
    /** Where reading starts: a checkpoint's offset, the end of the live log, or 0. */
    final long startOffset;
    /** Current name, for lines and reports; written under the lock, read by the reading thread. */
    volatile Path path;
    /** Written by the reading thread, read for the backlog. */
    volatile long readPosition;

    Segment(FileStat source, boolean compressed, String stamp, long startOffset, byte[] prefix) {
        this.source = source;
        this.compressed = compressed;
        this.stamp = stamp;
        this.startOffset = startOffset;
        this.prefix = prefix;
        this.path = source.path();
        this.readPosition = startOffset;
    }

    /**
     * Is a backup named with {@code otherStamp} older than this file? A file found as the live log
     * whose backup name is not known (yet) counts as newer: the live log is the newest file, and
     * once renamed it is newer than every backup made before.
     */
    boolean isNewerThan(String otherStamp) {
        return stamp == null || stamp.compareTo(otherStamp) > 0;
    }

    String pathString() {
        return path.toString();
    }
}
