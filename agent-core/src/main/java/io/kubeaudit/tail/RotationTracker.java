package io.kubeaudit.tail;

import io.kubeaudit.config.ShipConfig.StartPosition;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.Optional;

/**
 * Knows which files still hold unread log, oldest first (the {@link Chain}), and holds them open so a
 * rotated file can be read to its end after the API server renames, compresses or deletes it.
 * {@link StartPlan} builds the first chain, {@link RotationScan} matches each directory listing
 * against it, {@link OpenFileBudget} caps the files held.
 *
 * <p>The API server's rotation (lumberjack) renames {@code audit.log} to a backup named by the
 * rotation time, creates a new {@code audit.log}, then may write {@code <backup>.gz} in place and
 * delete the plain backup, and deletes the oldest backups beyond its limits. A scan matches what
 * the directory shows against the chain:
 * <ul>
 * <li>a backup is known by its name (the rotation timestamp), plain or {@code .gz};</li>
 * <li>a file found as the live log is known by the descriptor held for it (a held inode cannot be
 *     reused) and, once closed, by inode and first line; when its backup name shows up (same inode,
 *     or a {@code .gz} with the same first line) it takes that name;</li>
 * <li>a backup name not seen before that is no chain file's is a file never seen: it goes before
 *     the first newer file, and the live log is newer than every backup.</li>
 * </ul>
 * Directory reads racing renames can miss names, and a name may be re-used as the live log with a
 * reused inode number; so a file found as the live log is read only after a later listing (which
 * shows every older backup) has been looked at, and nothing is put before the file being read.
 *
 * <p>Threads: the reading thread and the watcher thread both call in. Every method holds this
 * object's lock, which serialises scans; the file work under it is small (two directory reads,
 * stats, opens, reads of at most {@value Fingerprint#BYTES} bytes). Listener reports are queued
 * and delivered after the lock is released.
 */
final class RotationTracker implements Closeable {

    /** The file being read, as the reader may use it without the lock. */
    record Head(Segment segment, FileChannel channel, FileStat source, boolean compressed, long startOffset,
                byte[] prefix) {
    }

    private static final int PLAN_ATTEMPTS = 5;

    private final Chain chain;
    private final StartPlan startPlan;
    private final RotationScan rotationScan;

    RotationTracker(BackupNames names, TailListener listener, int maxOpenFiles) {
        this.chain = new Chain(names, listener, new OpenFileBudget(maxOpenFiles));
        this.startPlan = new StartPlan(chain);
        this.rotationScan = new RotationScan(chain);
    }

    /**
     * Builds the first chain: from the checkpointed file when there is one, else from the start
     * position. Tried again when the live log is rotated between looking at it and opening it.
     */
    void plan(Optional<Checkpoint> resume, StartPosition start) throws IOException {
        synchronized (this) {
            for (int attempt = 1; ; attempt++) {
                DirectoryListing listing = DirectoryListing.read(chain.names);
                if (startPlan.make(listing, resume, start)) {
                    chain.seenStamps.addAll(listing.stamps());
                    break;
                }
                chain.reports.clear();
                chain.clear();
                if (attempt == PLAN_ATTEMPTS) {
                    throw new IOException("the directory of " + chain.names.logFile() + " kept changing while the place to"
                            + " start was looked for (" + PLAN_ATTEMPTS + " tries): is something besides the API"
                            + " server renaming files there?");
                }
            }
        }
        deliverReports();
    }

    /** Looks at the directory: rotations, new files, files gone. */
    void scan() throws IOException {
        synchronized (this) {
            rotationScan.apply(DirectoryListing.read(chain.names));
        }
        deliverReports();
    }

    /** The file to read now, held open; empty when there is none or it cannot be opened at the moment. */
    Optional<Head> openHead() throws IOException {
        Optional<Head> head;
        synchronized (this) {
            if (chain.segments.isEmpty()) {
                return Optional.empty();
            }
            Segment first = chain.segments.get(0);
            if (first.channel == null) {
                chain.openInOrder();
            }
            boolean ready = first.channel != null && (first.stamp != null || first.placed);
            first.reading |= ready;
            head = !ready ? Optional.empty()
                    : Optional.of(new Head(first, first.channel, first.source, first.compressed, first.startOffset,
                    first.prefix));
        }
        deliverReports();
        return head;
    }

    synchronized boolean isEmpty() {
        return chain.segments.isEmpty();
    }

    /** A newer file exists: once {@code head} is read to its current end, it is done. */
    synchronized boolean hasNewer(Segment head) {
        return chain.segments.size() > 1 && chain.segments.get(0) == head;
    }

    synchronized void updatePrefix(Segment segment, byte[] prefix) {
        segment.prefix = prefix;
    }

    /** {@code head} was read to its end. */
    void finish(Segment head) throws IOException {
        synchronized (this) {
            chain.remove(head);
        }
        deliverReports();
    }

    /** {@code head} cannot be read: its rest is lost. */
    void drop(Segment head, long bytes, String reason) throws IOException {
        synchronized (this) {
            chain.remove(head);
            String path = head.pathString();
            chain.reports.add(() -> chain.listener.lost(path, bytes, reason));
        }
        deliverReports();
    }

    @Override
    public synchronized void close() throws IOException {
        chain.clear();
    }

    private void deliverReports() {
        List<Runnable> batch;
        synchronized (this) {
            if (chain.reports.isEmpty()) {
                return;
            }
            batch = List.copyOf(chain.reports);
            chain.reports.clear();
        }
        batch.forEach(Runnable::run);
    }
}
