package io.kubeaudit.ship;

import io.kubeaudit.log.Log;
import io.kubeaudit.tail.TailListener;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the follower reports, turned into metrics and log lines. Losses (backups rotated away unread,
 * truncation) are errors with their own counters: they are never silent. A line longer than the
 * follower's limit is skipped by it; its head goes to {@code invalid.ndjson} so the event can be found.
 */
final class FollowerReport implements TailListener {

    private final Log log;
    private final DeadLetterFile invalidLines;
    private final Metrics.Counter bytesLost;
    private final Metrics.Counter losses;
    private final Metrics.Counter truncations;
    private final Metrics.Counter tooLong;
    private final Metrics.Counter rotations;
    private final AtomicLong unreadBytes = new AtomicLong();
    private final AtomicLong unreadFiles = new AtomicLong();
    /** Why the first file opened starts past events not known to be shipped; null when it does not. */
    private volatile String skipAtStart;

    FollowerReport(Metrics metrics, Log log, DeadLetterFile invalidLines) {
        this.log = log;
        this.invalidLines = invalidLines;
        this.bytesLost = metrics.counter("bytes_lost_total",
                "Bytes of audit log that can never be read: rotated away or deleted unread, truncated (0 when unknown).");
        this.losses = metrics.counter("losses_total", "Times audit log was lost (see bytes_lost_total and the log for which file).");
        this.truncations = metrics.counter("truncations_total", "Times the live log shrank under the reader (copy-truncate).");
        this.tooLong = metrics.counter("lines_too_long_total", "Lines longer than the follower's line limit, skipped (head kept in invalid.ndjson).");
        this.rotations = metrics.counter("rotations_total", "Rotations of the live log seen.");
        metrics.gauge("unread_bytes", "Bytes on disk not read yet (compressed backups at their size on disk).", unreadBytes::get);
        metrics.gauge("unread_files", "Files with bytes not read yet.", unreadFiles::get);
    }

    long unreadBytes() {
        return unreadBytes.get();
    }

    /**
     * The follower starts at the end of the log although it cannot tell what was shipped (the checkpoint
     * was unusable): what its first file skips is counted and reported as lost, for {@code reason}.
     */
    void skipsAtStart(String reason) {
        skipAtStart = reason;
    }

    @Override
    public void opened(String path, long offset, boolean compressed) {
        log.info("ship/read", "file opened", "file", path, "offset", offset, "compressed", compressed);
        String skipped = skipAtStart;
        if (skipped != null) {
            skipAtStart = null;
            lost(path, offset, skipped);
        }
    }

    @Override
    public void linesRead(long lines, long bytes) {
        // The intake counts lines and bytes itself, as they enter the pipeline.
    }

    @Override
    public void rotated(String path, String renamedTo) {
        rotations.inc();
        log.info("ship/read", "file rotated", "file", path, "renamedTo", renamedTo.isEmpty() ? "(gone)" : renamedTo);
    }

    @Override
    public void finished(String path, long endOffset) {
        log.info("ship/read", "file finished", "file", path, "endOffset", endOffset);
    }

    @Override
    public void truncated(String path, long offset, long size) {
        truncations.inc();
        log.warn("ship/read", "file truncated under the reader", "file", path, "readOffset", offset, "sizeNow", size,
                "effect", "reading restarts at 0; lines written between the last read and the truncation may be lost");
    }

    @Override
    public void lost(String path, long bytes, String reason) {
        losses.inc();
        bytesLost.add(bytes);
        log.error("ship/read", "events lost", "file", path, "bytes", bytes, "reason", reason);
    }

    @Override
    public void lineTooLong(String path, long offset, long length, byte[] head) {
        tooLong.inc();
        String reason = "line of " + length + " bytes is longer than the follower's line limit; skipped, its first " + head.length
                + " bytes are kept here";
        try {
            invalidLines.write(List.of(new DeadLetterFile.Entry(path, offset, offset + length + 1, head, reason, "")));
        } catch (IOException e) {
            log.error("ship/read", "cannot write the dead-letter file", "file", invalidLines.path(), "error", e.getMessage());
        }
        log.error("ship/read", "line too long; dead-lettered", "file", path, "offset", offset, "bytes", length,
                "deadLetterFile", invalidLines.path());
    }

    @Override
    public void waiting(String path, String reason) {
        log.warnLimited("ship/read", "waiting for the audit log", path, "file", path, "reason", reason);
    }

    @Override
    public void openFileLimitReached(String path, int limit) {
        log.warnLimited("ship/read", "open file limit reached", path, "file", path, "limit", limit,
                "effect", "not held open: if it is deleted before it is read, its events are lost (and reported)");
    }

    @Override
    public void backlog(long unreadBytes, int unreadFiles) {
        this.unreadBytes.set(unreadBytes);
        this.unreadFiles.set(unreadFiles);
    }
}
