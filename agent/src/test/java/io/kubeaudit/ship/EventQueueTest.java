package io.kubeaudit.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.tail.LogLine;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class EventQueueTest {

    private static final int LINE = 1000;
    private static final long COST = LINE + Event.OVERHEAD_BYTES;
    private final EventQueue queue = new EventQueue(3 * COST, List.of("a", "b"));

    @Test
    void putBlocksWhenTheBudgetIsUsedUpUntilEveryDestinationLetsGo() throws Exception {
        List<EventQueue.Lane> both = List.of(queue.lane("a"), queue.lane("b"));
        Event e0 = event(0, LINE);
        queue.put(e0, both);
        queue.put(event(1, LINE), both);
        queue.put(event(2, LINE), both);
        assertEquals(3 * COST, queue.heldBytes());
        AtomicBoolean fourthIn = new AtomicBoolean();
        Thread reader = new Thread(() -> {
            try {
                fourthIn.set(queue.put(event(3, LINE), both));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        reader.start();
        awaitState(reader, Thread.State.WAITING);
        assertFalse(fourthIn.get());
        assertSame(e0, queue.lane("a").poll(Long.MAX_VALUE, e -> true));
        queue.release(List.of(e0));
        Thread.sleep(50);
        assertTrue(reader.isAlive(), "destination b still holds the event: no room yet");
        assertSame(e0, queue.lane("b").poll(Long.MAX_VALUE, e -> true));
        queue.release(List.of(e0));
        reader.join(5000);
        assertTrue(fourthIn.get());
        assertEquals(3 * COST, queue.heldBytes());
        assertEquals(3 * COST, queue.peakBytes(), "never above the budget");
        assertTrue(queue.blockedSeconds() > 0);
    }

    @Test
    void anEventLargerThanTheWholeBudgetGoesInAlone() throws Exception {
        List<EventQueue.Lane> a = List.of(queue.lane("a"));
        Event big = event(0, 10 * LINE);
        assertTrue(queue.put(big, a));
        assertEquals(big.cost(), queue.heldBytes());
    }

    @Test
    void closingWakesABlockedReaderWithoutTakingItsEvent() throws Exception {
        List<EventQueue.Lane> a = List.of(queue.lane("a"));
        for (int i = 0; i < 3; i++) {
            queue.put(event(i, LINE), a);
        }
        AtomicBoolean taken = new AtomicBoolean(true);
        Thread reader = new Thread(() -> {
            try {
                taken.set(queue.put(event(3, LINE), a));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        reader.start();
        awaitState(reader, Thread.State.WAITING);
        queue.close();
        reader.join(5000);
        assertFalse(taken.get());
        for (int i = 0; i < 3; i++) {
            assertEquals(i, queue.lane("a").poll(Long.MAX_VALUE, e -> true).sequence, "what was queued is still handed out, in order");
        }
        assertNull(queue.lane("a").poll(Long.MAX_VALUE, e -> true), "then the lane reports the end at once");
    }

    @Test
    void aPollWithADeadlineReturnsEmptyHandedAndAnEventThatDoesNotFitStays() throws Exception {
        EventQueue.Lane lane = queue.lane("a");
        assertNull(lane.poll(System.nanoTime() + 20_000_000L, e -> true));
        queue.put(event(0, LINE), List.of(lane));
        assertNull(lane.poll(System.nanoTime(), e -> false));
        assertEquals(1, lane.waitingEvents());
    }

    static Event event(long sequence, int size) {
        byte[] bytes = new byte[size];
        return new Event(sequence, new LogLine(sequence, LineFeeder.FILE, LineFeeder.PATH, sequence * (size + 1), (sequence + 1) * (size + 1), bytes), 0);
    }

    private static void awaitState(Thread t, Thread.State state) throws InterruptedException {
        for (int i = 0; i < 500 && t.getState() != state; i++) {
            Thread.sleep(10);
        }
        assertEquals(state, t.getState());
    }
}
