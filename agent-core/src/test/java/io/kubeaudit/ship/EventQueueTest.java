package io.kubeaudit.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.tail.LogLine;
import io.kubeaudit.time.Ticker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class EventQueueTest {

    private static final int LINE = 1000;
    private static final long COST = LINE + Event.OVERHEAD_BYTES;
    private final EventQueue queue = new EventQueue(3 * COST, 100 * COST, 100, List.of("a", "b"), Ticker.system());

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
        assertSame(e0, takeOne(queue.lane("a"), Long.MAX_VALUE));
        queue.release(List.of(e0));
        assertEquals(3 * COST, queue.heldBytes(), "destination b still holds the event: no room was made");
        awaitState(reader, Thread.State.WAITING);
        assertFalse(fourthIn.get());
        assertSame(e0, takeOne(queue.lane("b"), Long.MAX_VALUE));
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
            assertEquals(i, takeOne(queue.lane("a"), Long.MAX_VALUE).sequence, "what was queued is still handed out, in order");
        }
        assertEquals(-1, queue.lane("a").drain(new ArrayList<>(), Long.MAX_VALUE, e -> true), "then the lane reports the end at once");
    }

    @Test
    void aDrainWithADeadlineReturnsEmptyHandedAndAnEventThatIsNotTakenStays() throws Exception {
        EventQueue.Lane lane = queue.lane("a");
        assertEquals(0, lane.drain(new ArrayList<>(), System.nanoTime() + 20_000_000L, e -> true));
        queue.put(event(0, LINE), List.of(lane));
        queue.put(event(1, LINE), List.of(lane));
        List<Event> taken = new ArrayList<>();
        assertEquals(1, lane.drain(taken, System.nanoTime(), e -> e.sequence == 0), "takes in order while accepted");
        assertEquals(0, lane.drain(taken, System.nanoTime(), e -> false));
        assertEquals(1, lane.waitingEvents());
    }

    @Test
    void aLaneHoldingItsEventLimitAlsoMakesTheReaderWait() throws Exception {
        EventQueue few = new EventQueue(100 * COST, 100 * COST, 2, List.of("a"), Ticker.system());
        List<EventQueue.Lane> a = List.of(few.lane("a"));
        few.put(event(0, LINE), a);
        few.put(event(1, LINE), a);
        Thread reader = new Thread(() -> {
            try {
                few.put(event(2, LINE), a);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        reader.start();
        awaitState(reader, Thread.State.WAITING);
        takeOne(few.lane("a"), Long.MAX_VALUE);
        reader.join(5000);
        assertEquals(2, few.lane("a").waitingEvents());
        assertEquals(0.0, few.blockedSeconds(), "a lane at its limit is the batcher's pace, not backpressure from the memory budget");
    }

    private static Event takeOne(EventQueue.Lane lane, long deadline) throws InterruptedException {
        List<Event> taken = new ArrayList<>();
        boolean[] first = {true};
        lane.drain(taken, deadline, e -> {
            boolean take = first[0];
            first[0] = false;
            return take;
        });
        return taken.isEmpty() ? null : taken.get(0);
    }

    @Test
    void aLaneHoldingItsLimitMakesTheReaderWaitForItsBatcher() throws Exception {
        EventQueue small = new EventQueue(100 * COST, 2 * COST, 100, List.of("a"), Ticker.system());
        List<EventQueue.Lane> a = List.of(small.lane("a"));
        small.put(event(0, LINE), a);
        small.put(event(1, LINE), a);
        AtomicBoolean thirdIn = new AtomicBoolean();
        Thread reader = new Thread(() -> {
            try {
                thirdIn.set(small.put(event(2, LINE), a));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        reader.start();
        awaitState(reader, Thread.State.WAITING);
        takeOne(small.lane("a"), Long.MAX_VALUE);
        reader.join(5000);
        assertTrue(thirdIn.get(), "taking an event into a batch makes room, although nothing was delivered yet");
        assertEquals(3 * COST, small.heldBytes(), "the batched event still counts against the budget");
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
