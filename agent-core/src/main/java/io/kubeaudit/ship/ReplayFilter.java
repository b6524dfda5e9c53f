package io.kubeaudit.ship;

import io.kubeaudit.tail.Checkpoint;
import io.kubeaudit.tail.LogLine;
import java.util.Optional;

/**
 * After a restart the reader resumes at the slowest destination's checkpoint; a destination that had
 * already acknowledged further skips the lines it has, so it gets no duplicates. Only lines of its own
 * checkpoint's file (same content fingerprint: the file itself or its compressed backup) up to its
 * offset are skipped: those it certainly acknowledged.
 * The filter switches itself off at the first line past that point, or once the reader has moved on
 * from that file. Used by the reader thread only.
 */
final class ReplayFilter {

    private final Checkpoint own;
    private boolean active;
    private boolean seenFile;

    private ReplayFilter(Checkpoint own, boolean active) {
        this.own = own;
        this.active = active;
    }

    /** @param own the destination's own checkpoint; empty: it has nothing, every line goes to it */
    static ReplayFilter after(Optional<Checkpoint> own, Optional<Checkpoint> readerStart) {
        if (own.isEmpty() || own.equals(readerStart)) {
            return new ReplayFilter(null, false);
        }
        return new ReplayFilter(own.get(), true);
    }

    boolean isActive() {
        return active;
    }

    boolean alreadyDelivered(LogLine line) {
        if (!active) {
            return false;
        }
        if (line.file().sameContentAs(own.file())) {
            seenFile = true;
            if (line.endOffset() <= own.offset()) {
                return true;
            }
            active = false;
            return false;
        }
        if (seenFile) {
            active = false;
        }
        return false;
    }
}
