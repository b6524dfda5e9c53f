package io.kubeaudit.ship;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.function.LongSupplier;

/**
 * Gives the heap a backlog made grow back to the system once the agent has caught up: one full collection after the
 * reader has been within one batch of the end of the log, and every destination within one batch of the reader, for
 * {@link #QUIET}, if the committed heap grew by at least {@link #GROWTH} since the last time. (Within a batch, not at
 * zero: a log written live is almost never read to its last byte at the moment of a look.) The serial collector shrinks the heap
 * only in a full collection, and at a steady rate too little is promoted to ever cause one: without this the
 * resident memory a backlog took stays for the life of the process (docs/footprint.md, the recovery scenario).
 */
final class HeapGiveBack {

    static final Duration QUIET = Duration.ofSeconds(10);
    static final long GROWTH = 16L << 20;

    private final InstantSource clock;
    private final LongSupplier committedHeap;
    private final Runnable fullCollection;
    private final long oneBatch;
    private long committedAfterLast;
    private Instant caughtUpSince;

    HeapGiveBack(InstantSource clock, LongSupplier committedHeap, Runnable fullCollection, long oneBatchBytes) {
        this.clock = clock;
        this.committedHeap = committedHeap;
        this.fullCollection = fullCollection;
        this.oneBatch = oneBatchBytes;
        this.committedAfterLast = committedHeap.getAsLong();
    }

    static HeapGiveBack ofThisJvm(InstantSource clock, long oneBatchBytes) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        return new HeapGiveBack(clock, () -> memory.getHeapMemoryUsage().getCommitted(), System::gc, oneBatchBytes);
    }

    /** Called every second with the pipeline's status; returns whether it collected. */
    boolean observe(ShipperStatus status) {
        Instant now = clock.instant();
        boolean caughtUp = status.unreadBytes() <= oneBatch && status.destinations().stream().allMatch(d -> d.lagBytes() <= oneBatch);
        if (!caughtUp) {
            caughtUpSince = null;
            return false;
        }
        if (caughtUpSince == null) {
            caughtUpSince = now;
        }
        if (Duration.between(caughtUpSince, now).compareTo(QUIET) < 0 || committedHeap.getAsLong() < committedAfterLast + GROWTH) {
            return false;
        }
        fullCollection.run();
        committedAfterLast = committedHeap.getAsLong();
        return true;
    }
}
