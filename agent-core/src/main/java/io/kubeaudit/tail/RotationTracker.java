package io.kubeaudit.tail;

import io.kubeaudit.config.ShipConfig.StartPosition;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Knows which files still hold unread log, oldest first (the chain), and holds them open so a
 * rotated file can be read to its end after the API server renames, compresses or deletes it.
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

    /** Files finished in this run remembered, so a late backup name of one is not read again. */
    private static final int REMEMBERED_FINISHED = 64;
    private static final int PLAN_ATTEMPTS = 5;
    /** Far more backup names than any API server keeps (--audit-log-maxbackup); about 60 bytes each. */
    private static final int REMEMBERED_STAMPS = 10_000;
    /** A file not held open is given up only when two scans in a row cannot find it (a readdir can miss a name being renamed). */
    private static final int MISSED_SCANS_BEFORE_LOST = 2;

    private final BackupNames names;
    private final TailListener listener;
    private final int maxOpenFiles;
    private final List<Segment> chain = new ArrayList<>();
    private final TreeSet<String> seenStamps = new TreeSet<>();
    private final ArrayDeque<Segment> finished = new ArrayDeque<>();
    private final List<Runnable> reports = new ArrayList<>();
    private int openFiles;

    RotationTracker(BackupNames names, TailListener listener, int maxOpenFiles) {
        this.names = names;
        this.listener = listener;
        this.maxOpenFiles = maxOpenFiles;
    }

    /**
     * Builds the first chain: from the checkpointed file when there is one, else from the start
     * position. Tried again when the live log is rotated between looking at it and opening it.
     */
    void plan(Optional<Checkpoint> resume, StartPosition start) throws IOException {
        synchronized (this) {
            for (int attempt = 1; ; attempt++) {
                DirectoryListing listing = DirectoryListing.read(names);
                if (resume.isPresent() ? planResume(listing, resume.get()) : planStart(listing, start)) {
                    seenStamps.addAll(listing.stamps());
                    break;
                }
                discardPlan();
                if (attempt == PLAN_ATTEMPTS) {
                    throw new IOException("the directory of " + names.logFile() + " kept changing while the place to"
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
            List<Segment> before = List.copyOf(chain);
            DirectoryListing listing = DirectoryListing.read(names);
            followRenames(listing);
            addNewRotations(listing);
            relocateUnopened(listing);
            openInOrder();
            before.forEach(s -> s.placed = true);
            addNewLiveFile(listing);
            forgetOldestStamps();
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

    private boolean planStart(DirectoryListing listing, StartPosition start) throws IOException {
        if (start == StartPosition.END) {
            return listing.live().isEmpty() || addLive(listing, Start.END_OF_LAST_LINE);
        }
        for (DirectoryListing.Rotation r : listing.rotations()) {
            chain.add(segmentOf(r));
        }
        openInOrder();
        addLive(listing, Start.ZERO);
        return true;
    }

    private boolean planResume(DirectoryListing listing, Checkpoint checkpoint) throws IOException {
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
            for (DirectoryListing.Rotation r : listing.after(names.stampOf(checkpoint.path()))) {
                chain.add(segmentOf(r));
            }
            openInOrder();
            addLive(listing, Start.ZERO);
            return true;
        }
        Segment resumed = found.get();
        if (resumed.stamp == null) {
            // Resuming in the live log: the file held must be the checkpointed one, not a newer one
            // that got the name (and perhaps the inode number) since the directory was read.
            return addLive(listing, Start.ZERO) && resumeLiveAt(resumed);
        }
        chain.add(resumed);
        for (DirectoryListing.Rotation r : listing.after(Optional.of(resumed.stamp))) {
            chain.add(segmentOf(r));
        }
        openInOrder();
        addLive(listing, Start.ZERO);
        return true;
    }

    private void discardPlan() throws IOException {
        reports.clear();
        IOException failure = null;
        for (Segment s : chain) {
            failure = closeChannel(s, failure);
        }
        chain.clear();
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * The checkpointed file among the live log and the backups, by fingerprint: the same inode
     * first (it may have been renamed), then a plain file, then its {@code .gz}.
     */
    private Optional<Segment> findCheckpointed(DirectoryListing listing, Checkpoint checkpoint) throws IOException {
        FileId id = checkpoint.file();
        List<Segment> candidates = new ArrayList<>();
        listing.live().ifPresent(live ->
                candidates.add(new Segment(live, false, null, checkpoint.offset(), null)));
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

    private Segment segmentOf(DirectoryListing.Rotation r) throws IOException {
        return new Segment(r.preferred(), r.isCompressedOnly(), r.stamp(), 0,
                prefixByPath(r.preferred(), r.isCompressedOnly()).orElse(null));
    }

    /** Where reading a live log found at start begins. */
    private enum Start { ZERO, END_OF_LAST_LINE }

    /**
     * Appends the live log, held open: a file found as the live log is known by its descriptor
     * only. Should the open-file limit not allow that, it is left out for now; it then joins later,
     * either as the live log once there is room or under its backup name once rotated.
     */
    private boolean addLive(DirectoryListing listing, Start start) throws IOException {
        if (listing.live().isEmpty() || (openFiles >= maxOpenFiles && !chain.isEmpty())) {
            return false;
        }
        Optional<FileStat.Opened> opened = listing.live().get().open();
        if (opened.isEmpty()) {
            return false; // rotated this very moment: a scan sees it under its backup name
        }
        FileChannel channel = opened.get().channel();
        long offset = start == Start.END_OF_LAST_LINE ? LastLine.endOfLastCompleteLine(channel) : 0;
        Segment s = new Segment(opened.get().stat(), false, null, offset, null);
        s.channel = channel;
        openFiles++;
        refreshPrefix(s);
        chain.add(s);
        return true;
    }

    /** The live log just added is the checkpointed file: read it from the checkpoint's offset. */
    private boolean resumeLiveAt(Segment resumed) {
        Segment held = chain.get(chain.size() - 1);
        if (!Arrays.equals(held.prefix, resumed.prefix)) {
            return false;
        }
        Segment at = new Segment(held.source, false, null, resumed.startOffset, held.prefix);
        at.channel = held.channel;
        chain.set(chain.size() - 1, at);
        return true;
    }

    // ---- scanning ----
    //
    // Identity rules. A backup is known by its name: the rotation timestamp, plain or .gz (the
    // plain file checked by inode, which a name keeps). A file found as the live log is known by
    // the descriptor held for it (a held inode cannot be reused); once closed, by inode and first
    // line together, or by the first line of a .gz.

    /** Chain files that were the live log: is each still, and if not, under which backup name is it now? */
    private void followRenames(DirectoryListing listing) throws IOException {
        for (Segment s : chain) {
            if (s.stamp != null) {
                continue;
            }
            refreshPrefix(s);
            if (listing.live().isPresent() && isLiveOriginFile(s, listing.live().get())) {
                continue;
            }
            Optional<DirectoryListing.Rotation> backup = Optional.empty();
            for (DirectoryListing.Rotation r : listing.rotations()) {
                if (!seenStamps.contains(r.stamp()) && isBackupOf(r, s)) {
                    backup = Optional.of(r);
                    break;
                }
            }
            String oldPath = s.pathString();
            backup.ifPresent(r -> name(s, r));
            if (!s.rotationReported) {
                s.rotationReported = true;
                String renamedTo = backup.map(r -> r.preferred().path().toString()).orElse("");
                reports.add(() -> listener.rotated(oldPath, renamedTo));
            }
        }
    }

    /** Backup names not seen before: a file found as the live log under its new name, or a file never seen. */
    private void addNewRotations(DirectoryListing listing) throws IOException {
        for (DirectoryListing.Rotation r : listing.rotations()) {
            if (seenStamps.contains(r.stamp())) {
                continue;
            }
            Optional<Segment> owner = Optional.empty();
            for (Segment s : (Iterable<Segment>) Stream.concat(chain.stream(), finished.stream())::iterator) {
                if (isBackupOf(r, s)) {
                    owner = Optional.of(s);
                    break;
                }
            }
            if (owner.isPresent()) {
                name(owner.get(), r);
                continue;
            }
            Segment s = segmentOf(r);
            if (s.compressed && s.prefix == null) {
                continue; // its first line does not decode yet, so whose it is cannot be told: at a later scan
            }
            insertBeforeNewer(s);
            seenStamps.add(r.stamp());
        }
    }

    private void addNewLiveFile(DirectoryListing listing) throws IOException {
        if (listing.live().isEmpty()) {
            return;
        }
        FileStat live = listing.live().get();
        for (Segment s : (Iterable<Segment>) Stream.concat(chain.stream(), finished.stream())::iterator) {
            if (s.stamp == null && isLiveOriginFile(s, live)) {
                return;
            }
        }
        addLive(listing, Start.ZERO);
    }

    /** Backups not held open may have been compressed or deleted: find them again by name, or give them up as lost. */
    private void relocateUnopened(DirectoryListing listing) throws IOException {
        for (Iterator<Segment> it = chain.iterator(); it.hasNext(); ) {
            Segment s = it.next();
            if (s.channel != null) {
                continue;
            }
            if (relocate(s, listing)) {
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

    /** Finds an unopened backup under its name: still the plain file, or now its {@code .gz}. */
    private boolean relocate(Segment s, DirectoryListing listing) throws IOException {
        Optional<DirectoryListing.Rotation> named = listing.rotations().stream()
                .filter(r -> r.stamp().equals(s.stamp)).findFirst();
        if (named.isEmpty()) {
            return false;
        }
        DirectoryListing.Rotation r = named.get();
        if (!s.compressed && r.plain().isPresent() && r.plain().get().isSameFile(s.source)) {
            s.source = r.plain().get();
            if (s.prefix == null) {
                s.prefix = prefixByPath(s.source, false).orElse(null);
            }
            return true;
        }
        if (r.compressed().isEmpty()) {
            return false;
        }
        FileStat gz = r.compressed().get();
        Optional<byte[]> prefix = prefixByPath(gz, true);
        if (s.prefix != null && prefix.isPresent() && !Arrays.equals(prefix.get(), s.prefix)) {
            return false;
        }
        // An undecodable .gz whose plain file is gone is still this backup: the reader waits for it.
        s.source = gz;
        s.compressed = true;
        s.path = gz.path();
        s.prefix = prefix.orElse(s.prefix);
        return true;
    }

    /** Inserts a newly seen backup before the first file newer than it, but not before the file being read. */
    private void insertBeforeNewer(Segment s) {
        boolean headIsRead = !chain.isEmpty() && chain.get(0).reading;
        for (int i = headIsRead ? 1 : 0; i < chain.size(); i++) {
            if (chain.get(i).isNewerThan(s.stamp)) {
                chain.add(i, s);
                return;
            }
        }
        chain.add(s);
    }

    /**
     * Gives a file found as the live log its backup name, and its place among the backups: a
     * directory read concurrent with renames can miss a name, so an older backup may have been
     * put behind it meanwhile.
     */
    private void name(Segment s, DirectoryListing.Rotation r) {
        s.stamp = r.stamp();
        s.path = r.preferred().path();
        seenStamps.add(r.stamp());
        if (!s.reading) {
            chain.remove(s);
            insertBeforeNewer(s);
        }
    }

    /**
     * Bounds the backup names remembered by forgetting the oldest. Not by what one listing shows:
     * a directory read racing a compression (the {@code .gz} created, the plain file deleted) can
     * miss both names, and a forgotten name would then look like a new rotation.
     */
    private void forgetOldestStamps() {
        while (seenStamps.size() > REMEMBERED_STAMPS) {
            seenStamps.pollFirst();
        }
    }

    /** Is {@code r}, a backup name not seen before, the file of {@code s}? */
    private boolean isBackupOf(DirectoryListing.Rotation r, Segment s) throws IOException {
        if (s.stamp != null) {
            return s.stamp.equals(r.stamp());
        }
        if (r.plain().isPresent() && isLiveOriginFile(s, r.plain().get())) {
            return true;
        }
        return r.compressed().isPresent() && s.prefix != null
                && prefixByPath(r.compressed().get(), true).map(p -> Arrays.equals(p, s.prefix)).orElse(false);
    }

    /**
     * Is {@code f} the file of {@code s}, one found as the live log? Same device and inode, and,
     * once no longer held open (then its inode may have been reused), the same first line.
     */
    private boolean isLiveOriginFile(Segment s, FileStat f) throws IOException {
        if (!s.source.isSameFile(f)) {
            return false;
        }
        if (s.channel != null) {
            return true;
        }
        return s.prefix != null && prefixByPath(f, false).map(p -> Arrays.equals(p, s.prefix)).orElse(false);
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
            Optional<FileStat.Opened> opened = s.source.open();
            if (opened.isPresent()) {
                s.channel = opened.get().channel();
                s.source = opened.get().stat();
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

    /**
     * Reads the first line of a held file again: a plain file may have been truncated and
     * refilled since (the reader notices that only at its next read), and its backup then starts
     * with the new first line.
     */
    private void refreshPrefix(Segment s) throws IOException {
        if (s.channel == null) {
            return;
        }
        if (!s.compressed) {
            s.prefix = Fingerprint.prefixOf(s.channel).orElse(null);
        } else if (s.prefix == null) {
            s.prefix = GzipContent.prefixOf(s.channel).orElse(null);
        }
    }

    private static Optional<byte[]> prefixByPath(FileStat f, boolean compressed) throws IOException {
        Optional<FileStat.Opened> opened = f.open();
        if (opened.isEmpty()) {
            return Optional.empty();
        }
        try (FileChannel c = opened.get().channel()) {
            return compressed ? GzipContent.prefixOf(c) : Fingerprint.prefixOf(c);
        }
    }

    private void queueBacklog() throws IOException {
        long unread = 0;
        int unreadFiles = 0;
        for (Segment s : chain) {
            long size = s.channel != null ? s.channel.size() : s.source.size();
            long from = s == chain.get(0) ? s.readPosition : s.startOffset;
            long left = s.compressed ? size : Math.max(0, size - from);
            unread += left;
            // A file read to its end is not unread, so unread_files is 0 exactly when unread_bytes is.
            unreadFiles += left > 0 ? 1 : 0;
        }
        long bytes = unread;
        int files = unreadFiles;
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
