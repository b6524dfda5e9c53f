package io.kubeaudit.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kubeaudit.ship.sink.Sink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every sink must show, through the shared delivery path: nothing is lost, every event is either
 * taken by the destination or dead-lettered (never both), and an event the destination took is never
 * sent again, except after a crash between the send and its acknowledgement, where the destination then
 * holds it once if it deduplicates (a document id) and at most twice otherwise.
 *
 * <p>A sink's test extends this class and starts its destination (a scripted fake, or a real server)
 * in {@link #start}, saying how it is made to behave for each {@link Behaviour}; the scenarios are
 * the same for all sinks. Waits are on a fake clock: a Retry-After is checked, not slept.
 */
public abstract class SinkContract {

    /** How the destination answers the coming requests (until the next {@link Destination#behave}). */
    public sealed interface Behaviour {
        /** Takes everything. */
        record AcceptAll() implements Behaviour {
        }

        /** Refuses these events for good (a bulk API per item; a webhook the requests holding them, with 400), takes the rest. */
        record Refuse(Set<String> auditIds) implements Behaviour {
        }

        /** Fails these events {@code times} times (per item, or the requests holding them with 503), then takes them. */
        record FailTemporarily(Set<String> auditIds, int times) implements Behaviour {
        }

        /** Answers the next {@code requests} with 429 and this Retry-After, taking nothing, then takes everything. */
        record Throttle(int requests, Duration retryAfter) implements Behaviour {
        }

        /** Never answers the next {@code requests} (taking nothing): the sink's request timeout must end them. */
        record Hang(int requests) implements Behaviour {
        }

        /** Resets the connection right after reading each of the next {@code requests}, taking nothing. */
        record ResetAfterRequest(int requests) implements Behaviour {
        }

        /** Takes the events of the next request and never answers it: the agent crashes before the acknowledgement. */
        record TakeWithoutAnswer() implements Behaviour {
        }
    }

    /** The destination under test and its sink. */
    protected interface Destination extends AutoCloseable {
        Sink sink();

        void behave(Behaviour behaviour);

        /** auditID to how many times the destination took (kept) it. */
        Map<String, Integer> taken();

        /** Whether a resend of an event it holds leaves it held once (a document id), so a crash makes no duplicate. */
        boolean deduplicates();

        /** What a forced shutdown does to requests still running: end them now. */
        void cutOff();
    }

    /** A destination in {@code dir}, taking everything, with a request timeout of about a second at most. */
    protected abstract Destination start(Path dir) throws Exception;

    /** Whether the destination can ask for a pause (HTTP's 429 with Retry-After); Kafka's quotas only slow the client. */
    protected boolean answersRetryAfter() {
        return true;
    }

    /** Numbered audit events as the API server writes them. */
    protected static List<byte[]> events(int count) {
        return AuditLines.events(0, count);
    }

    protected static String id(int n) {
        return AuditLines.id(n);
    }

    @TempDir
    Path dir;

    @Test
    void everyEventIsTakenOnce() throws Exception {
        try (Destination d = start(dir); DeliveryHarness h = new DeliveryHarness(dir, d.sink())) {
            for (int i = 0; i < 3; i++) {
                h.deliver(h.batch(AuditLines.events(i * 100, 100)));
            }
            assertTakenOnce(d, 0, 300, Set.of());
            assertEquals(300, h.acknowledgedThrough());
        }
    }

    @Test
    void refusedEventsAloneAreDeadLetteredAndTheRestTakenOnce() throws Exception {
        try (Destination d = start(dir); DeliveryHarness h = new DeliveryHarness(dir, d.sink())) {
            Set<String> refused = Set.of(id(3), id(17), id(18));
            d.behave(new Behaviour.Refuse(refused));
            h.deliver(h.batch(events(50)));
            assertEquals(refused, new HashSet<>(h.deadLettered()), "exactly the refused events are dead-lettered");
            assertTakenOnce(d, 0, 50, refused);
            assertEquals(50, h.acknowledgedThrough());
        }
    }

    @Test
    void eventsThatFailForAWhileAreTakenOnceWhenTheyPass() throws Exception {
        try (Destination d = start(dir); DeliveryHarness h = new DeliveryHarness(dir, d.sink())) {
            d.behave(new Behaviour.FailTemporarily(Set.of(id(5), id(40)), 3));
            h.deliver(h.batch(events(50)));
            assertTakenOnce(d, 0, 50, Set.of());
            assertEquals(List.of(), h.deadLettered());
            assertTrue(h.ticker.sleeps().size() >= 3, "each failure waited a backoff: " + h.ticker.sleeps());
        }
    }

    @Test
    void aThrottledRequestWaitsForRetryAfter() throws Exception {
        assumeTrue(answersRetryAfter(), "this destination has no Retry-After");
        try (Destination d = start(dir); DeliveryHarness h = new DeliveryHarness(dir, d.sink())) {
            d.behave(new Behaviour.Throttle(1, Duration.ofSeconds(7)));
            h.deliver(h.batch(events(20)));
            assertEquals(Duration.ofSeconds(7), h.ticker.sleeps().get(0), "the destination's Retry-After, not the backoff");
            assertTakenOnce(d, 0, 20, Set.of());
            assertEquals(1, h.value("retries_total{destination=\"dest\",cause=\"throttled\"}"));
        }
    }

    @Test
    void aRequestWithoutAnswerTimesOutAndIsRetried() throws Exception {
        try (Destination d = start(dir); DeliveryHarness h = new DeliveryHarness(dir, d.sink())) {
            d.behave(new Behaviour.Hang(1));
            h.deliver(h.batch(events(20)));
            assertTakenOnce(d, 0, 20, Set.of());
            assertEquals(1, h.value("retries_total{destination=\"dest\",cause=\"timeout\"}"), h.logs());
        }
    }

    @Test
    void aConnectionResetAfterTheRequestWasSentIsRetried() throws Exception {
        try (Destination d = start(dir); DeliveryHarness h = new DeliveryHarness(dir, d.sink())) {
            d.behave(new Behaviour.ResetAfterRequest(2));
            h.deliver(h.batch(events(20)));
            assertTakenOnce(d, 0, 20, Set.of());
            assertEquals(2, h.value("retries_total{destination=\"dest\",cause=\"connection\"}"), h.logs());
        }
    }

    @Test
    void aCrashBetweenSendAndAcknowledgementLosesNothing() throws Exception {
        List<byte[]> lines = events(30);
        try (Destination d = start(dir)) {
            try (DeliveryHarness before = new DeliveryHarness(dir.resolve("before"), d.sink())) {
                d.behave(new Behaviour.TakeWithoutAnswer());
                Batch b = before.batch(lines);
                Thread sender = new Thread(() -> before.deliver(b), "sender-before-the-crash");
                sender.start();
                long realDeadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (d.taken().size() < lines.size() && System.nanoTime() < realDeadline) {
                    Thread.sleep(5);
                }
                assertEquals(lines.size(), d.taken().size(), "the destination took the events");
                sender.interrupt();
                d.cutOff();
                sender.join(20_000);
                assertEquals(Batch.State.ABANDONED, b.state(), before.logs());
                assertEquals(0, before.acknowledgedThrough(), "nothing is acknowledged, so nothing is checkpointed");
            }
            d.behave(new Behaviour.AcceptAll());
            try (DeliveryHarness after = new DeliveryHarness(dir.resolve("after"), d.sink())) {
                after.deliver(after.batch(lines));
                assertEquals(30, after.acknowledgedThrough());
            }
            for (int i = 0; i < 30; i++) {
                int times = d.taken().getOrDefault(id(i), 0);
                assertTrue(d.deduplicates() ? times == 1 : times >= 1 && times <= 2, id(i) + " held " + times + " times");
            }
        }
    }

    /** Events {@code from..from+count-1} except {@code except} were taken exactly once; the exceptions never. */
    private static void assertTakenOnce(Destination d, int from, int count, Set<String> except) {
        List<String> wrong = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            int times = d.taken().getOrDefault(id(i), 0);
            if (times != (except.contains(id(i)) ? 0 : 1)) {
                wrong.add(id(i) + " taken " + times + " times");
            }
        }
        assertEquals(List.of(), wrong);
    }
}
