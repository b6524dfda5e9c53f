package io.kubeaudit.tail;

import io.kubeaudit.config.ShipConfig.StartPosition;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Builds the first chain from one directory listing: from the checkpointed file when there is one
 * (found again by fingerprint, also renamed or compressed), else from the start position. A plan
 * can fail when the live log is rotated between the listing and opening it; the tracker then
 * discards it and plans again from a new listing.
 */
final class StartPlan {

    private final Chain chain;

    StartPlan(Chain chain) {
        this.chain = chain;
    }

    /** Fills the (empty) chain; false when the directory changed under the plan and it must be made again. */
    boolean make(DirectoryListing listing, Optional<Checkpoint> resume, StartPosition start) throws IOException {
        return resume.isPresent() ? fromCheckpoint(listing, resume.get()) : fromStart(listing, start);
    }

    private boolean fromStart(DirectoryListing listing, StartPosition start) throws IOException {
        if (start == StartPosition.END) {
            return listing.live().isEmpty() || chain.addLive(listing, Chain.Start.END_OF_LAST_LINE);
        }
        for (DirectoryListing.Rotation r : listing.rotations()) {
            chain.segments.add(chain.segmentOf(r));
        }
        chain.openInOrder();
        chain.addLive(listing, Chain.Start.ZERO);
        return true;
    }

    private boolean fromCheckpoint(DirectoryListing listing, Checkpoint checkpoint) throws IOException {
        Optional<Segment> found = findCheckpointed(listing, checkpoint);
        if (found.isEmpty()) {
            reportCheckpointedFileGone(listing, checkpoint);
            addBackupsAndLive(listing, listing.after(chain.names.stampOf(checkpoint.path())));
            return true;
        }
        Segment resumed = found.get();
        if (resumed.stamp == null) {
            // Resuming in the live log: the file held must be the checkpointed one, not a newer one
            // that got the name (and perhaps the inode number) since the directory was read.
            return chain.addLive(listing, Chain.Start.ZERO) && resumeLiveAt(resumed);
        }
        chain.segments.add(resumed);
        addBackupsAndLive(listing, listing.after(Optional.of(resumed.stamp)));
        return true;
    }

    private void addBackupsAndLive(DirectoryListing listing, List<DirectoryListing.Rotation> backups) throws IOException {
        for (DirectoryListing.Rotation r : backups) {
            chain.segments.add(chain.segmentOf(r));
        }
        chain.openInOrder();
        chain.addLive(listing, Chain.Start.ZERO);
    }

    private void reportCheckpointedFileGone(DirectoryListing listing, Checkpoint checkpoint) {
        String reusedInode = listing.live()
                .filter(l -> l.device() == checkpoint.file().device() && l.inode() == checkpoint.file().inode())
                .map(l -> " (" + l.path() + " now has its inode but other content: the inode was reused)").orElse("");
        chain.reports.add(() -> chain.listener.lost(checkpoint.path(), 0, "the checkpointed file (inode "
                + checkpoint.file().inode() + ", fingerprint " + checkpoint.file().fingerprint()
                + ") is gone" + reusedInode + ": it was rotated away and deleted before all its events were"
                + " shipped, from offset " + checkpoint.offset() + " on; how many is unknown. Continuing with"
                + " the oldest remaining file. Raise the API server's --audit-log-maxbackup or fix the destination"));
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
            Optional<byte[]> prefix = Chain.prefixByPath(candidate.source, candidate.compressed);
            if (prefix.isPresent() && Fingerprint.hash(prefix.get()).equals(id.fingerprint())) {
                candidate.prefix = prefix.get();
                if (!candidate.compressed && candidate.source.size() < checkpoint.offset()) {
                    String path = candidate.pathString();
                    long size = candidate.source.size();
                    chain.reports.add(() -> chain.listener.truncated(path, checkpoint.offset(), size));
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

    /** The live log just added is the checkpointed file: read it from the checkpoint's offset. */
    private boolean resumeLiveAt(Segment resumed) {
        List<Segment> segments = chain.segments;
        Segment held = segments.get(segments.size() - 1);
        if (!Arrays.equals(held.prefix, resumed.prefix)) {
            return false;
        }
        Segment at = new Segment(held.source, false, null, resumed.startOffset, held.prefix);
        at.channel = held.channel;
        segments.set(segments.size() - 1, at);
        return true;
    }
}
