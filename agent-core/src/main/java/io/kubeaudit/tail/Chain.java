package io.kubeaudit.tail;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The files that still hold unread log, oldest first, and what the tracker remembers beside them:
 * the backup names seen, the files finished in this run, and the reports not delivered yet. The
 * steps that {@link StartPlan} and {@link RotationScan} share live here: adding the live log,
 * opening files within the {@link OpenFileBudget}, finishing the file being read. Guarded by the
 * {@link RotationTracker}'s lock.
 */
final class Chain {

    /** Files finished in this run remembered, so a late backup name of one is not read again. */
    private static final int REMEMBERED_FINISHED = 64;

    /** Where reading a live log found at start begins. */
    enum Start { ZERO, END_OF_LAST_LINE }

    final BackupNames names;
    final TailListener listener;
    final OpenFileBudget budget;
    /** Oldest first; the first is the file being read or to read next. */
    final List<Segment> segments = new ArrayList<>();
    final TreeSet<String> seenStamps = new TreeSet<>();
    private final ArrayDeque<Segment> finished = new ArrayDeque<>();
    /** Listener calls queued under the lock, delivered after it is released. */
    final List<Runnable> reports = new ArrayList<>();

    Chain(BackupNames names, TailListener listener, OpenFileBudget budget) {
        this.names = names;
        this.listener = listener;
        this.budget = budget;
    }

    /** The chain's files, then those finished in this run: every file whose backup name may still show up. */
    Iterable<Segment> knownFiles() {
        return Stream.concat(segments.stream(), finished.stream())::iterator;
    }

    Segment segmentOf(DirectoryListing.Rotation r) throws IOException {
        return new Segment(r.preferred(), r.isCompressedOnly(), r.stamp(), 0,
                prefixByPath(r.preferred(), r.isCompressedOnly()).orElse(null));
    }

    /**
     * Appends the live log, held open: a file found as the live log is known by its descriptor
     * only. Should the open-file limit not allow that, it is left out for now; it then joins later,
     * either as the live log once there is room or under its backup name once rotated.
     */
    boolean addLive(DirectoryListing listing, Start start) throws IOException {
        if (listing.live().isEmpty() || (budget.isSpent() && !segments.isEmpty())) {
            return false;
        }
        Optional<FileStat.Opened> opened = listing.live().get().open();
        if (opened.isEmpty()) {
            return false; // rotated this very moment: a scan sees it under its backup name
        }
        FileChannel channel = opened.get().channel();
        long offset = start == Start.END_OF_LAST_LINE ? LastLine.endOfLastCompleteLine(channel) : 0;
        Segment s = new Segment(opened.get().stat(), false, null, offset, null);
        budget.hold(s, channel);
        refreshPrefix(s);
        segments.add(s);
        return true;
    }

    /** Opens chain files oldest first while the open-file limit allows; the file to read next is always opened. */
    void openInOrder() throws IOException {
        for (Segment s : segments) {
            if (s.channel != null) {
                continue;
            }
            if (budget.isSpent() && s != segments.get(0)) {
                if (!s.limitReported) {
                    s.limitReported = true;
                    String path = s.pathString();
                    reports.add(() -> listener.openFileLimitReached(path, budget.limit()));
                }
                continue;
            }
            Optional<FileStat.Opened> opened = s.source.open();
            if (opened.isPresent()) {
                budget.hold(s, opened.get().channel());
                s.source = opened.get().stat();
                refreshPrefix(s);
            }
        }
    }

    /** Takes {@code head}, the file being read, off the chain and opens the next files the budget now allows. */
    void remove(Segment head) throws IOException {
        if (segments.isEmpty() || segments.get(0) != head) {
            throw new IllegalStateException("only the file being read can be finished");
        }
        segments.remove(0);
        IOException failure = budget.release(head, null);
        finished.addLast(head);
        if (finished.size() > REMEMBERED_FINISHED) {
            finished.removeFirst();
        }
        openInOrder();
        if (failure != null) {
            throw failure;
        }
    }

    /** Closes every file and empties the chain (the reports queued stay). */
    void clear() throws IOException {
        IOException failure = null;
        for (Segment s : segments) {
            failure = budget.release(s, failure);
        }
        segments.clear();
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Reads the first line of a held file again: a plain file may have been truncated and
     * refilled since (the reader notices that only at its next read), and its backup then starts
     * with the new first line.
     */
    void refreshPrefix(Segment s) throws IOException {
        if (s.channel == null) {
            return;
        }
        if (!s.compressed) {
            s.prefix = Fingerprint.prefixOf(s.channel).orElse(null);
        } else if (s.prefix == null) {
            s.prefix = GzipContent.prefixOf(s.channel).orElse(null);
        }
    }

    static Optional<byte[]> prefixByPath(FileStat f, boolean compressed) throws IOException {
        Optional<FileStat.Opened> opened = f.open();
        if (opened.isEmpty()) {
            return Optional.empty();
        }
        try (FileChannel c = opened.get().channel()) {
            return compressed ? GzipContent.prefixOf(c) : Fingerprint.prefixOf(c);
        }
    }
}
