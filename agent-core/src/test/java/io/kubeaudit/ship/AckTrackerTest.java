package io.kubeaudit.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.tail.Checkpoint;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AckTrackerTest {

    private final AtomicInteger advances = new AtomicInteger();
    private final AckTracker tracker = new AckTracker("siem", advances::incrementAndGet);

    @Test
    void nothingIsCheckpointedBeforeTheFirstSequence() {
        tracker.acknowledge(range(5, 9));
        assertTrue(tracker.position().isEmpty());
        assertEquals(0, tracker.nextUnacknowledged());
        assertEquals(0, advances.get());
    }

    @Test
    void outOfOrderAcknowledgementsAdvanceOnlyOverTheContiguousPrefix() {
        tracker.acknowledge(range(10, 19));
        tracker.acknowledge(range(30, 39));
        assertTrue(tracker.position().isEmpty());
        tracker.acknowledge(range(0, 9));
        assertEquals(19, tracker.position().orElseThrow().lastSequence(), "0-19 are contiguous, 20-29 are not acknowledged");
        assertEquals(offset(19), tracker.position().orElseThrow().checkpoint().offset());
        assertEquals(1, tracker.rangesAhead());
        tracker.acknowledge(range(20, 29));
        assertEquals(39, tracker.position().orElseThrow().lastSequence());
        assertEquals(0, tracker.rangesAhead());
        assertEquals(2, advances.get(), "one signal per advance, none for acknowledgements ahead");
        assertEquals(40 * 100, tracker.acknowledgedBytes());
    }

    @Test
    void acknowledgingASequenceTwiceIsABug() {
        tracker.acknowledge(range(0, 9));
        assertThrows(IllegalStateException.class, () -> tracker.acknowledge(range(5, 5)));
        tracker.acknowledge(range(20, 29));
        assertThrows(IllegalStateException.class, () -> tracker.acknowledge(range(25, 35)));
        assertThrows(IllegalStateException.class, () -> tracker.acknowledge(range(15, 20)));
        assertEquals(9, tracker.position().orElseThrow().lastSequence(), "a refused acknowledgement changes nothing");
    }

    private static long offset(long sequence) {
        return (sequence + 1) * 100;
    }

    private static AckTracker.Range range(long first, long last) {
        return new AckTracker.Range(first, last, (last - first + 1) * 100, new Checkpoint(LineFeeder.FILE, LineFeeder.PATH, offset(last)));
    }
}
