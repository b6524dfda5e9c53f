package io.kubeaudit.tail;

import java.io.IOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * Matches one directory listing against the chain: rotations of files that were the live log,
 * backups never seen, backups compressed or deleted while not held open, a new live log.
 *
 * <p>Identity rules. A backup is known by its name: the rotation timestamp, plain or .gz (the
 * plain file checked by inode, which a name keeps). A file found as the live log is known by the
 * descriptor held for it (a held inode cannot be reused); once closed, by inode and first line
 * together, or by the first line of a .gz.
 */
final class RotationScan {

    /** Far more backup names than any API server keeps (--audit-log-maxbackup); about 60 bytes each. */
    private static final int REMEMBERED_STAMPS = 10_000;
    /** A file not held open is given up only when two scans in a row cannot find it (a readdir can miss a name being renamed). */
    private static final int MISSED_SCANS_BEFORE_LOST = 2;

    private final Chain chain;

    RotationScan(Chain chain) {
        this.chain = chain;
    }

    /** Brings the chain up to date with {@code listing} and queues the backlog report. */
    void apply(DirectoryListing listing) throws IOException {
        List<Segment> before = List.copyOf(chain.segments);
        followRenames(listing);
        addNewRotations(listing);
        relocateUnopened(listing);
        chain.openInOrder();
        before.forEach(s -> s.placed = true);
        addNewLiveFile(listing);
        forgetOldestStamps();
        queueBacklog();
    }

    /** Chain files that were the live log: is each still, and if not, under which backup name is it now? */
    private void followRenames(DirectoryListing listing) throws IOException {
        for (Segment s : chain.segments) {
            if (s.stamp != null) {
                continue;
            }
            chain.refreshPrefix(s);
            if (listing.live().isPresent() && isLiveOriginFile(s, listing.live().get())) {
                continue;
            }
            Optional<DirectoryListing.Rotation> backup = Optional.empty();
            for (DirectoryListing.Rotation r : listing.rotations()) {
                if (!chain.seenStamps.contains(r.stamp()) && isBackupOf(r, s)) {
                    backup = Optional.of(r);
                    break;
                }
            }
            String oldPath = s.pathString();
            backup.ifPresent(r -> name(s, r));
            if (!s.rotationReported) {
                s.rotationReported = true;
                String renamedTo = backup.map(r -> r.preferred().path().toString()).orElse("");
                chain.reports.add(() -> chain.listener.rotated(oldPath, renamedTo));
            }
        }
    }

    /** Backup names not seen before: a file found as the live log under its new name, or a file never seen. */
    private void addNewRotations(DirectoryListing listing) throws IOException {
        for (DirectoryListing.Rotation r : listing.rotations()) {
            if (chain.seenStamps.contains(r.stamp())) {
                continue;
            }
            Optional<Segment> owner = Optional.empty();
            for (Segment s : chain.knownFiles()) {
                if (isBackupOf(r, s)) {
                    owner = Optional.of(s);
                    break;
                }
            }
            if (owner.isPresent()) {
                name(owner.get(), r);
                continue;
            }
            Segment s = chain.segmentOf(r);
            if (s.compressed && s.prefix == null) {
                continue; // its first line does not decode yet, so whose it is cannot be told: at a later scan
            }
            insertBeforeNewer(s);
            chain.seenStamps.add(r.stamp());
        }
    }

    private void addNewLiveFile(DirectoryListing listing) throws IOException {
        if (listing.live().isEmpty()) {
            return;
        }
        FileStat live = listing.live().get();
        for (Segment s : chain.knownFiles()) {
            if (s.stamp == null && isLiveOriginFile(s, live)) {
                return;
            }
        }
        chain.addLive(listing, Chain.Start.ZERO);
    }

    /** Backups not held open may have been compressed or deleted: find them again by name, or give them up as lost. */
    private void relocateUnopened(DirectoryListing listing) throws IOException {
        for (Iterator<Segment> it = chain.segments.iterator(); it.hasNext(); ) {
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
                chain.reports.add(() -> chain.listener.lost(path, bytes, "deleted before it was read (it was not held open:"
                        + " the open-file limit of " + chain.budget.limit() + " was reached or it vanished first);"
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
                s.prefix = Chain.prefixByPath(s.source, false).orElse(null);
            }
            return true;
        }
        if (r.compressed().isEmpty()) {
            return false;
        }
        FileStat gz = r.compressed().get();
        Optional<byte[]> prefix = Chain.prefixByPath(gz, true);
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
        List<Segment> segments = chain.segments;
        boolean headIsRead = !segments.isEmpty() && segments.get(0).reading;
        for (int i = headIsRead ? 1 : 0; i < segments.size(); i++) {
            if (segments.get(i).isNewerThan(s.stamp)) {
                segments.add(i, s);
                return;
            }
        }
        segments.add(s);
    }

    /**
     * Gives a file found as the live log its backup name, and its place among the backups: a
     * directory read concurrent with renames can miss a name, so an older backup may have been
     * put behind it meanwhile.
     */
    private void name(Segment s, DirectoryListing.Rotation r) {
        s.stamp = r.stamp();
        s.path = r.preferred().path();
        chain.seenStamps.add(r.stamp());
        if (!s.reading) {
            chain.segments.remove(s);
            insertBeforeNewer(s);
        }
    }

    /**
     * Bounds the backup names remembered by forgetting the oldest. Not by what one listing shows:
     * a directory read racing a compression (the {@code .gz} created, the plain file deleted) can
     * miss both names, and a forgotten name would then look like a new rotation.
     */
    private void forgetOldestStamps() {
        while (chain.seenStamps.size() > REMEMBERED_STAMPS) {
            chain.seenStamps.pollFirst();
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
                && Chain.prefixByPath(r.compressed().get(), true).map(p -> Arrays.equals(p, s.prefix)).orElse(false);
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
        return s.prefix != null && Chain.prefixByPath(f, false).map(p -> Arrays.equals(p, s.prefix)).orElse(false);
    }

    private void queueBacklog() throws IOException {
        long unread = 0;
        int unreadFiles = 0;
        List<Segment> segments = chain.segments;
        for (Segment s : segments) {
            long size = s.channel != null ? s.channel.size() : s.source.size();
            long from = s == segments.get(0) ? s.readPosition : s.startOffset;
            long left = s.compressed ? size : Math.max(0, size - from);
            unread += left;
            // A file read to its end is not unread, so unread_files is 0 exactly when unread_bytes is.
            unreadFiles += left > 0 ? 1 : 0;
        }
        long bytes = unread;
        int files = unreadFiles;
        chain.reports.add(() -> chain.listener.backlog(bytes, files));
    }
}
