package io.kubeaudit.tail;

import io.kubeaudit.config.ShipConfig.StartPosition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link Follower} reads.
 *
 * @param logFile             host path of the live audit log ({@code audit.log}); its rotated
 *                            backups ({@code audit-<UTC time>.log[.gz]}) are found beside it
 * @param start               without a checkpoint: {@code BEGINNING} reads every retained backup,
 *                            oldest first, then the live log; {@code END} starts after the last
 *                            complete line of the live log and skips the backups
 * @param maxLineBytes        longer lines are reported and skipped in bounded memory; audit
 *                            events reach several MiB, so the default is 16 MiB
 * @param pollInterval        how often the directory is looked at for rotations and how long an
 *                            idle follower waits before reading again
 * @param maxOpenFiles        descriptors held at most, the file being read included; a rotated
 *                            backup held open is read to its end even after the API server
 *                            compresses or deletes it, at the cost of its disk space until then
 * @param readBufferBytes     bytes read from disk at a time
 * @param incompleteGzipGrace how long a {@code .gz} whose plain backup is gone may stay incomplete
 *                            and unchanged before it is given up as lost
 */
public record FollowerSettings(Path logFile, StartPosition start, long maxLineBytes, Duration pollInterval,
                               int maxOpenFiles, int readBufferBytes, Duration incompleteGzipGrace) {

    public static final long DEFAULT_MAX_LINE_BYTES = 16L * 1024 * 1024;
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(250);
    public static final int DEFAULT_MAX_OPEN_FILES = 8;
    /**
     * Small enough that the JDK's direct buffer the kernel copies into and the array the lines are cut from
     * both stay in a core's L2 cache: with 1 MiB reads the kernel's copy alone took 0.8 CPU s per GB.
     */
    public static final int DEFAULT_READ_BUFFER_BYTES = 128 * 1024;
    public static final Duration DEFAULT_INCOMPLETE_GZIP_GRACE = Duration.ofMinutes(2);

    public FollowerSettings {
        Objects.requireNonNull(logFile, "logFile");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(incompleteGzipGrace, "incompleteGzipGrace");
        if (logFile.getFileName() == null) {
            throw new IllegalArgumentException("logFile must name a file, got " + logFile);
        }
        if (maxLineBytes < Fingerprint.BYTES || maxLineBytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("maxLineBytes must be between " + Fingerprint.BYTES + " and "
                    + (Integer.MAX_VALUE - 16) + ", got " + maxLineBytes);
        }
        if (pollInterval.isNegative() || pollInterval.isZero() || pollInterval.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("pollInterval must be > 0 and <= 1m, got " + pollInterval);
        }
        if (maxOpenFiles < 2) {
            throw new IllegalArgumentException("maxOpenFiles must be >= 2 (the file being read and the next), got "
                    + maxOpenFiles);
        }
        if (readBufferBytes < 4096 || readBufferBytes > 64 * 1024 * 1024) {
            throw new IllegalArgumentException("readBufferBytes must be between 4096 and 64 MiB, got " + readBufferBytes);
        }
        if (incompleteGzipGrace.isNegative()) {
            throw new IllegalArgumentException("incompleteGzipGrace must be >= 0, got " + incompleteGzipGrace);
        }
    }

    /** The defaults above for {@code logFile}. */
    public static FollowerSettings defaults(Path logFile, StartPosition start) {
        return new FollowerSettings(logFile, start, DEFAULT_MAX_LINE_BYTES, DEFAULT_POLL_INTERVAL,
                DEFAULT_MAX_OPEN_FILES, DEFAULT_READ_BUFFER_BYTES, DEFAULT_INCOMPLETE_GZIP_GRACE);
    }
}
