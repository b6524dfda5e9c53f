package io.kubeaudit.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.apply.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeapGiveBackTest {

    private static final long MB = 1 << 20;
    private static final long BATCH = 4 * MB;

    private final FakeClock clock = new FakeClock(Instant.parse("2026-12-07T12:00:00Z"));
    /** The committed heap the collector would see: a full collection brings it back to 20 MB. */
    private long committed = 20 * MB;
    private int collections;
    private final HeapGiveBack giveBack = new HeapGiveBack(clock, () -> committed, () -> {
        collections++;
        committed = 20 * MB;
    }, BATCH);

    private static ShipperStatus status(long unread, long lag) {
        return new ShipperStatus(0, unread, List.of(new ShipperStatus.Destination("siem", 0, null, lag, 0, "", "")));
    }

    /** One observation a second for the given time. */
    private void observe(ShipperStatus status, Duration d) {
        for (long s = 0; s < d.toSeconds(); s++) {
            giveBack.observe(status);
            clock.sleep(Duration.ofSeconds(1));
        }
    }

    @Test
    void collectsOnceAfterABacklogWhenCaughtUpForTheQuietTime() {
        committed = 120 * MB; // the backlog grew the heap
        observe(status(500 * MB, 60 * MB), Duration.ofSeconds(30));
        assertEquals(0, collections, "no collection while behind the log");
        observe(status(BATCH, BATCH), HeapGiveBack.QUIET);
        assertEquals(0, collections, "not before the quiet time has passed");
        assertTrue(giveBack.observe(status(MB, BATCH)), "a live log: a little unread and a batch in flight is caught up");
        observe(status(0, MB), Duration.ofMinutes(10));
        assertEquals(1, collections, "once: the heap did not grow again");
    }

    @Test
    void moreThanABatchUnreadOrUnacknowledgedIsNotCaughtUp() {
        committed = 120 * MB;
        observe(status(0, BATCH + 1), Duration.ofMinutes(1));
        observe(status(BATCH + 1, 0), Duration.ofMinutes(1));
        assertEquals(0, collections);
    }

    @Test
    void aHeapThatGrewLessThanTheThresholdIsLeftAlone() {
        committed = 20 * MB + HeapGiveBack.GROWTH - 1;
        observe(status(0, 0), Duration.ofMinutes(1));
        assertEquals(0, collections);
    }

    @Test
    void theQuietTimeStartsAgainWhenTheReaderFallsBehind() {
        committed = 120 * MB;
        observe(status(0, 0), HeapGiveBack.QUIET.minusSeconds(1));
        observe(status(BATCH + 1, 0), Duration.ofSeconds(1));
        observe(status(0, 0), HeapGiveBack.QUIET);
        assertFalse(giveBack.observe(status(BATCH + 1, 0)));
        assertEquals(0, collections);
        observe(status(0, 0), HeapGiveBack.QUIET.plusSeconds(1));
        assertEquals(1, collections);
    }
}
