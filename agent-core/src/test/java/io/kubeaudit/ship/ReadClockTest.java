package io.kubeaudit.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ReadClockTest {

    @Test
    void lagIsTheAgeOfTheOldestUnacknowledgedLineToWithinASample() {
        ReadClock clock = new ReadClock();
        for (int seq = 0; seq < 100; seq++) {
            clock.read(seq, 1_000 + seq * 10L);
        }
        assertEquals(0, clock.lagSeconds(100, 5_000), "everything acknowledged");
        assertEquals(4.0, clock.lagSeconds(0, 5_000));
        // Line 15 was read at 1150; the mark before it is line 10's at 1100: 50 ms early, within one sample.
        assertEquals(3.9, clock.lagSeconds(15, 5_000));
    }

    @Test
    void forgettingKeepsWhatSlowerDestinationsStillNeed() {
        ReadClock clock = new ReadClock();
        for (int seq = 0; seq < 100; seq++) {
            clock.read(seq, seq * 100L);
        }
        clock.forgetBefore(50);
        assertEquals(5.0, clock.lagSeconds(50, 10_000));
        assertEquals(5.0, clock.lagSeconds(10, 10_000), "older than every mark kept: the oldest mark is the best estimate");
    }
}
