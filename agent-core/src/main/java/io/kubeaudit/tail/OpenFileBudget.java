package io.kubeaudit.tail;

import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * The cap on files held open ({@code maxOpenFiles}), as Fluent Bit's tail_file_budget: rotated files
 * are held so that they can be read to their end after the API server deletes them, but not without
 * bound. Guarded by the {@link RotationTracker}'s lock.
 */
final class OpenFileBudget {

    private final int limit;
    private int held;

    OpenFileBudget(int limit) {
        this.limit = limit;
    }

    int limit() {
        return limit;
    }

    /** Is every file the budget allows held already? */
    boolean isSpent() {
        return held >= limit;
    }

    /** {@code segment} is now read through {@code channel}, which counts against the budget until released. */
    void hold(Segment segment, FileChannel channel) {
        segment.channel = channel;
        held++;
    }

    /**
     * Closes {@code segment}'s channel, if it has one, and gives its place back. A failure to close is
     * added to {@code failure} (or becomes it), so closing many files reports every failure.
     */
    IOException release(Segment segment, IOException failure) {
        if (segment.channel == null) {
            return failure;
        }
        try {
            segment.channel.close();
        } catch (IOException e) {
            if (failure == null) {
                return e;
            }
            failure.addSuppressed(e);
        } finally {
            segment.channel = null;
            held--;
        }
        return failure;
    }
}
