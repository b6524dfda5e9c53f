package io.kubeaudit.tail;

/**
 * Everything a {@link Follower} can report, for metrics and logs. Every method is called from the
 * thread running {@link Follower#run()} or from its directory watcher thread: implementations must
 * be thread-safe, quick and must not block.
 */
public interface TailListener {

    /** Started reading {@code path} at {@code offset} (decompressed offset when {@code compressed}). */
    void opened(String path, long offset, boolean compressed);

    /** Lines handed downstream since the last call, and their bytes including the newlines. */
    void linesRead(long lines, long bytes);

    /**
     * The live log {@code path} was rotated: it is now {@code renamedTo}, or it is not to be found
     * under any backup name ({@code renamedTo} empty: deleted, or compressed before it was seen).
     * Reading goes on through the open descriptor.
     */
    void rotated(String path, String renamedTo);

    /** Done with a file: everything up to {@code endOffset} was read. */
    void finished(String path, long endOffset);

    /**
     * {@code path} shrank below the read position {@code offset} (copy-truncate, truncation, or the
     * file was rewritten in place): reading restarts at 0. Lines written between the last read and
     * the truncation may be lost; nothing tells how many.
     */
    void truncated(String path, long offset, long size);

    /**
     * Events that will never be read: {@code bytes} of {@code path} (0 when the amount is unknown,
     * the reason then says so). Report loudly.
     */
    void lost(String path, long bytes, String reason);

    /**
     * A line longer than the line limit was skipped without holding it in memory. {@code head} is
     * its first bytes (at most 4 KiB), enough to find the event by its auditID.
     */
    void lineTooLong(String path, long offset, long length, byte[] head);

    /** Nothing can be read yet, for the stated reason (no log file yet, a backup being compressed). */
    void waiting(String path, String reason);

    /**
     * {@code path} is not held open because {@code limit} files already are: should the API server
     * delete it before it is read, its events are lost (and reported through {@link #lost}).
     */
    void openFileLimitReached(String path, int limit);

    /** After each directory scan: bytes on disk not read yet (compressed files at their size on disk), in how many files. */
    void backlog(long unreadBytes, int unreadFiles);
}
