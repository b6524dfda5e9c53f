package io.kubeaudit.tail;

import io.kubeaudit.config.ShipConfig.StartPosition;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Knows which files still hold unread log, oldest first (the chain), and holds them open so a
 * rotated file can be read to its end after the API server renames, compresses or deletes it.
 *
 * <p>The API server's rotation (lumberjack) renames {@code audit.log} to a backup named by the
 * rotation time, creates a new {@code audit.log}, and later may write {@code <backup>.gz} and delete
 * the plain backup, and delete old backups. A scan matches what the directory shows against the
 * chain: a backup holding a chain file (same device and inode, or a {@code .gz} with the same
 * fingerprint) gives that file its name; a backup name never seen before is a rotation of a file not
 * seen yet and joins the chain before the live log; a new live log joins at the end. Backup
 * timestamps only grow, so a name first seen now is newer than every name seen before.
 *
 * <p>Threads: the reading thread and the watcher thread both call in. Every method holds this
 * object's lock, which serialises scans; the file work under it is small (a directory read, stats,
 * opens, reads of at most {@value Fingerprint#BYTES} bytes). Listener reports are queued and
 * delivered after the lock is released.
 */
final class RotationTracker implements Closeable {

    /** The file being read, as the reader may use it without the lock. */
    record Head(Segment segment, FileChannel channel, FileStat source, boolean compressed, long startOffset,
                byte[] prefix) {
    }

    /** Files finished in this run remembered, so a late backup name of one is not read again. */
    private static final int REMEMBERED_FINISHED = 64;
    /** A file not held open is given up only when two scans in a row cannot find it (a readdir can miss a name being renamed). */
    private static final int MISSED_SCANS_BEFORE_LOST = 2;

    private final BackupNames names;
    private final TailListener listener;
    private final int maxOpenFiles;
    private final List<Segment> chain = new ArrayList<>();
    private final Set<String> seenStamps = new HashSet<>();
    private final ArrayDeque<Segment> finished = new ArrayDeque<>();
    private final List<Runnable> reports = new ArrayList<>();
    private int openFiles;

    RotationTracker(BackupNames names, TailListener listener, int maxOpenFiles) {
        this.names = names;
        this.listener = listener;
        this.maxOpenFiles = maxOpenFiles;
    }

    /** Builds the first chain: from the checkpointed file when there is one, else from the start position. */
    void plan(Optional<Checkpoint> resume, StartPosition start) throws IOException {
        synchronized (this) {
            DirectoryListing listing = DirectoryListing.read(names);
            seenStamps.addAll(listing.stamps());
            if (resume.isPresent()) {
                planResume(listing, resume.get());
            } else if (start == StartPosition.BEGINNING) {
                listing.rotations().forEach(r -> chain.add(segmentOf(r)));
                listing.live().ifPresent(live -> chain.add(liveSegment(live, 0)));
            } else {
                for (FileStat live : listing.live().stream().toList()) {
                    chain.add(liveSegment(live, LastLine.endOfLastCompleteLine(live)));
                }
            }
            openInOrder();
        }
        deliverReports();
    }

    /** Looks at the directory: rotations, new files, files gone. */
    void scan() throws IOException {
        synchronized (this) {
            DirectoryListing listing = DirectoryListing.read(names);
            followRenames(listing);
            addNewRotations(listing);
            addNewLiveFile(listing);
            relocateUnopened(listing);
            openInOrder();
            seenStamps.retainAll(listing.stamps());
            queueBacklog();
        }
        deliverReports();
    }

    /** The file to read now, held open; empty when there is none or it cannot be opened at the moment. */
    Optional<Head> openHead() throws IOException {
        Optional<Head> head;
        synchronized (this) {
            if (chain.isEmpty()) {
                return Optional.empty();
            }
            Segment first = chain.get(0);
            if (first.channel == null) {
                openInOrder();
            }
            head = first.channel == null ? Optional.empty()
                    : Optional.of(new Head(first, first.channel, first.source, first.compressed, first.startOffset,
                    first.prefix));
        }
        deliverReports();
        return head;
    }

    synchronized boolean isEmpty() {
        return chain.isEmpty();
    }

    /** A newer file exists: once {@code head} is read to its current end, it is done. */
    synchronized boolean hasNewer(Segment head) {
        return chain.size() > 1 && chain.get(0) == head;
    }

    synchronized void updatePrefix(Segment segment, byte[] prefix) {
        segment.prefix = prefix;
    }

    /** {@code head} was read to its end. */
    void finish(Segment head) throws IOException {
        synchronized (this) {
            remove(head);
        }
        deliverReports();
    }

    /** {@code head} cannot be read: its rest is lost. */
    void drop(Segment head, long bytes, String reason) throws IOException {
        synchronized (this) {
            remove(head);
            String path = head.pathString();
            reports.add(() -> listener.lost(path, bytes, reason));
        }
        deliverReports();
    }

    @Override
    public void close() throws IOException {
        IOException failure = null;
        synchronized (this) {
            for (Segment s : chain) {
                failure = closeChannel(s, failure);
            }
            chain.clear();
        }
        if (failure != null) {
            throw failure;
        }
    }

    private IOException closeChannel(Segment s, IOException failure) {
        if (s.channel == null) {
            return failure;
        }
        try {
            s.channel.close();
        } catch (IOException e) {
            if (failure == null) {
                return e;
            }
            failure.addSuppressed(e);
        } finally {
            s.channel = null;
            openFiles--;
        }
        return failure;
    }

    // ---- planning ----

    private void planResume(DirectoryListing listing, Checkpoint checkpoint) throws IOException {
        Optional<Segment> found = findCheckpointed(listing, checkpoint);
        if (found.isEmpty()) {
            String reusedInode = listing.live()
                    .filter(l -> l.device() == checkpoint.file().device() && l.inode() == checkpoint.file().inode())
                    .map(l -> " (" + l.path() + " now has its inode but other content: the inode was reused)").orElse("");
            reports.add(() -> listener.lost(checkpoint.path(), 0, "the checkpointed file (inode "
                    + checkpoint.file().inode() + ", fingerprint " + checkpoint.file().fingerprint()
                    + ") is gone" + reusedInode + ": it was rotated away and deleted before all its events were"
                    + " shipped, from offset " + checkpoint.offset() + " on; how many is unknown. Continuing with"
                    + " the oldest remaining file. Raise the API server's --audit-log-maxbackup or fix the destination"));
            listing.after(names.stampOf(checkpoint.path())).forEach(r -> chain.add(segmentOf(r)));
            listing.live().ifPresent(live -> chain.add(liveSegment(live, 0)));
            return;
        }
        Segment resumed = found.get();
        chain.add(resumed);
        if (resumed.stamp != null) {
            listing.after(Optional.of(resumed.stamp)).forEach(r -> chain.add(segmentOf(r)));
            listing.live().ifPresent(live -> chain.add(liveSegment(live, 0)));
        }
    }

    /**
     * The checkpointed file among the live log and the backups, by fingerprint: the same inode
     * first (it may have been renamed), then a plain file, then its {@code .gz}.
     */
    private Optional<Segment> findCheckpointed(DirectoryListing listing, Checkpoint checkpoint) throws IOException {
        FileId id = checkpoint.file();
        List<Segment> candidates = new ArrayList<>();
        listing.live().ifPresent(live -> candidates.add(new Segment(live, false, null, checkpoint.offset(), null)));
        for (DirectoryListing.Rotation r : listing.rotations()) {
            r.plain().ifPresent(p -> candidates.add(new Segment(p, false, r.stamp(), checkpoint.offset(), null)));
            r.compressed().ifPresent(c -> candidates.add(new Segment(c, true, r.stamp(), checkpoint.offset(), null)));
        }
        candidates.sort(Comparator.comparing((Segment c) -> !isInode(c.source, id)).thenComparing(c -> c.compressed));
        for (Segment candidate : candidates) {
            Optional<byte[]> prefix = prefixByPath(candidate.source, candidate.compressed);
            if (prefix.isPresent() && Fingerprint.hash(prefix.get()).equals(id.fingerprint())) {
                candidate.prefix = prefix.get();
                if (!candidate.compressed && candidate.source.size() < checkpoint.offset()) {
                    String path = candidate.pathString();
                    long size = candidate.source.size();
                    reports.add(() -> listener.truncated(path, checkpoint.offset(), size));
                    return Optional.of(new Segment(candidate.source, false, candidate.stamp, 0, candidate.prefix));
                }
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static boolean isInode(FileStat f, FileId id) {
        return f.device() == id.device() && f.inode() == id.inode();
    }

    private Segment segmentOf(DirectoryListing.Rotation r) {
        return new Segment(r.preferred(), r.isCompressedOnly(), r.stamp(), 0, null);
    }

    private Segment liveSegment(FileStat live, long startOffset) {
        return new Segment(live, false, null, startOffset, null);
    }

    // ---- scanning ----

    /** Chain files that were the live log: is each still, and if not, under which backup name is it now? */
    private void followRenames(DirectoryListing listing) throws IOException {
        for (Segment s : chain) {
            if (s.stamp != null || s.compressed) {
                continue;
            }
            if (listing.live().isPresent() && isSameFile(s, listing.live().get())) {
                continue;
            }
            refreshPrefix(s);
            Optional<DirectoryListing.Rotation> backup = Optional.empty();
            for (DirectoryListing.Rotation r : listing.rotations()) {
                if (!seenStamps.contains(r.stamp()) && holds(r, s)) {
                    backup = Optional.of(r);
                    break;
                }
            }
            String oldPath = s.pathString();
            if (backup.isPresent()) {
                name(s, backup.get());
            }
            if (!s.rotationReported) {
                s.rotationReported = true;
                String renamedTo = backup.map(r -> r.preferred().path().toString()).orElse("");
                reports.add(() -> listener.rotated(oldPath, renamedTo));
            }
        }
    }

    /** Backup names not seen before: either a chain file under its new name, or a file never seen, newer than all. */
    private void addNewRotations(DirectoryListing listing) throws IOException {
        for (DirectoryListing.Rotation r : listing.rotations()) {
            if (seenStamps.contains(r.stamp())) {
                continue;
            }
            Optional<Segment> owner = Optional.empty();
            for (Segment s : (Iterable<Segment>) Stream.concat(chain.stream(), finished.stream())::iterator) {
                if (holds(r, s)) {
                    owner = Optional.of(s);
                    break;
                }
            }
            if (owner.isPresent()) {
                if (owner.get().stamp == null) {
                    name(owner.get(), r);
                }
                seenStamps.add(r.stamp());
                continue;
            }
            Segment s = segmentOf(r);
            if (s.compressed) {
                Optional<byte[]> prefix = prefixByPath(s.source, true);
                if (prefix.isEmpty()) {
                    continue; // its first line does not decode yet: decide at a later scan
                }
                s.prefix = prefix.get();
            }
            insertBeforeNewer(s, listing);
            seenStamps.add(r.stamp());
        }
    }

    private void addNewLiveFile(DirectoryListing listing) throws IOException {
        if (listing.live().isEmpty()) {
            return;
        }
        FileStat live = listing.live().get();
        for (Segment s : (Iterable<Segment>) Stream.concat(chain.stream(), finished.stream())::iterator) {
            if (!s.compressed && isSameFile(s, live)) {
                return;
            }
        }
        chain.add(liveSegment(live, 0));
    }

    /** Files not held open may have been renamed or compressed: find them again, or give them up as lost. */
    private void relocateUnopened(DirectoryListing listing) throws IOException {
        for (Iterator<Segment> it = chain.iterator(); it.hasNext(); ) {
            Segment s = it.next();
            if (s.channel != null) {
                continue;
            }
            Optional<FileStat> plain = s.compressed ? Optional.empty() : findPlain(s, listing);
            Optional<FileStat> compressed = plain.isPresent() ? Optional.empty() : findCompressed(s, listing);
            if (plain.isPresent() || compressed.isPresent()) {
                s.source = plain.orElseGet(compressed::orElseThrow);
                s.compressed = plain.isEmpty();
                s.path = s.source.path();
                s.missedScans = 0;
            } else if (++s.missedScans >= MISSED_SCANS_BEFORE_LOST) {
                it.remove();
                String path = s.pathString();
                long bytes = Math.max(0, s.source.size() - s.startOffset);
                reports.add(() -> listener.lost(path, bytes, "deleted before it was read (it was not held open:"
                        + " the open-file limit of " + maxOpenFiles + " was reached or it vanished first);"
                        + " the destination is too slow or down, or the API server keeps too few backups"));
            }
        }
    }

    private Optional<FileStat> findPlain(Segment s, DirectoryListing listing) throws IOException {
        List<FileStat> plains = new ArrayList<>();
        listing.live().ifPresent(plains::add);
        listing.rotations().forEach(r -> r.plain().ifPresent(plains::add));
        for (FileStat f : plains) {
            if (isSameFile(s, f)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    private Optional<FileStat> findCompressed(Segment s, DirectoryListing listing) throws IOException {
        if (s.stamp == null) {
            return Optional.empty();
        }
        for (DirectoryListing.Rotation r : listing.rotations()) {
            if (r.stamp().equals(s.stamp) && r.compressed().isPresent()) {
                FileStat gz = r.compressed().get();
                if (s.prefix == null || prefixByPath(gz, true).map(p -> Arrays.equals(p, s.prefix)).orElse(false)) {
                    return Optional.of(gz);
                }
            }
        }
        return Optional.empty();
    }

    /** Opens chain files oldest first while the open-file limit allows; the file to read next is always opened. */
    private void openInOrder() throws IOException {
        for (Segment s : chain) {
            if (s.channel != null) {
                continue;
            }
            if (openFiles >= maxOpenFiles && s != chain.get(0)) {
                if (!s.limitReported) {
                    s.limitReported = true;
                    String path = s.pathString();
                    reports.add(() -> listener.openFileLimitReached(path, maxOpenFiles));
                }
                continue;
            }
            Optional<FileChannel> channel = s.source.open();
            if (channel.isPresent()) {
                s.channel = channel.get();
                openFiles++;
                refreshPrefix(s);
            }
        }
    }

    private void remove(Segment head) throws IOException {
        if (chain.isEmpty() || chain.get(0) != head) {
            throw new IllegalStateException("only the file being read can be finished");
        }
        chain.remove(0);
        IOException failure = closeChannel(head, null);
        finished.addLast(head);
        if (finished.size() > REMEMBERED_FINISHED) {
            finished.removeFirst();
        }
        openInOrder();
        if (failure != null) {
            throw failure;
        }
    }

    private void insertBeforeNewer(Segment s, DirectoryListing listing) throws IOException {
        for (int i = 1; i < chain.size(); i++) {
            Segment c = chain.get(i);
            boolean isLive = c.stamp == null && !c.compressed && listing.live().isPresent()
                    && isSameFile(c, listing.live().get());
            if (isLive || (c.stamp != null && c.stamp.compareTo(s.stamp) > 0)) {
                chain.add(i, s);
                return;
            }
        }
        chain.add(s);
    }

    private void name(Segment s, DirectoryListing.Rotation r) {
        s.stamp = r.stamp();
        s.path = r.preferred().path();
        seenStamps.add(r.stamp());
    }

    /** Does backup {@code r} hold the file of {@code s}: the same plain file, or a {@code .gz} of the same content? */
    private boolean holds(DirectoryListing.Rotation r, Segment s) throws IOException {
        if (r.plain().isPresent() && !s.compressed && isSameFile(s, r.plain().get())) {
            return true;
        }
        if (r.compressed().isPresent() && s.prefix != null) {
            if (s.compressed && s.source.isSameFile(r.compressed().get())) {
                return true;
            }
            return prefixByPath(r.compressed().get(), true).map(p -> Arrays.equals(p, s.prefix)).orElse(false);
        }
        return false;
    }

    /**
     * Same device and inode, and, unless the file is held open (then its inode cannot have been
     * reused), the same first line: an inode freed by a delete is soon given to a new file.
     */
    private boolean isSameFile(Segment s, FileStat f) throws IOException {
        if (!s.source.isSameFile(f)) {
            return false;
        }
        if (s.channel != null || s.prefix == null) {
            return true;
        }
        return prefixByPath(f, false).map(p -> Arrays.equals(p, s.prefix)).orElse(false);
    }

    private void refreshPrefix(Segment s) throws IOException {
        if (s.prefix == null && s.channel != null) {
            s.prefix = (s.compressed ? GzipContent.prefixOf(s.channel) : Fingerprint.prefixOf(s.channel)).orElse(null);
        }
    }

    private static Optional<byte[]> prefixByPath(FileStat f, boolean compressed) throws IOException {
        Optional<FileChannel> channel = f.open();
        if (channel.isEmpty()) {
            return Optional.empty();
        }
        try (FileChannel c = channel.get()) {
            return compressed ? GzipContent.prefixOf(c) : Fingerprint.prefixOf(c);
        }
    }

    private void queueBacklog() throws IOException {
        long unread = 0;
        for (Segment s : chain) {
            long size = s.channel != null ? s.channel.size() : s.source.size();
            long from = s == chain.get(0) ? s.readPosition : s.startOffset;
            unread += s.compressed ? size : Math.max(0, size - from);
        }
        long bytes = unread;
        int files = chain.size();
        reports.add(() -> listener.backlog(bytes, files));
    }

    private void deliverReports() {
        List<Runnable> batch;
        synchronized (this) {
            if (reports.isEmpty()) {
                return;
            }
            batch = List.copyOf(reports);
            reports.clear();
        }
        batch.forEach(Runnable::run);
    }
}
