package io.kubeaudit.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.ship.sink.EventOutcome;
import io.kubeaudit.ship.sink.Outcome;
import io.kubeaudit.ship.sink.RetryCause;
import io.kubeaudit.ship.sink.Sink;
import io.kubeaudit.ship.sink.SinkBatch;
import io.kubeaudit.ship.sink.SinkEvent;
import io.kubeaudit.time.FakeTicker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The delivery state machine on a fake clock, against a sink that answers what each test scripts. */
class BatchDeliveryTest {

    @TempDir
    Path dir;

    /** A sink answering each request with the script's outcome; it records the auditIDs of every request. */
    static final class ScriptedSink implements Sink {
        final List<List<String>> requests = Collections.synchronizedList(new ArrayList<>());
        volatile Function<List<String>, Outcome> script;

        ScriptedSink(Function<List<String>, Outcome> script) {
            this.script = script;
        }

        @Override
        public Outcome send(SinkBatch batch) {
            List<String> ids = batch.events().stream().map(SinkEvent::fields).map(f -> f.auditID()).toList();
            requests.add(ids);
            return script.apply(ids);
        }

        @Override
        public void close() {
        }

        @Override
        public String toString() {
            return "scripted";
        }
    }

    @Test
    void aDeliveredBatchIsSettledOnceAndCounted() throws Exception {
        ScriptedSink sink = new ScriptedSink(ids -> Outcome.DELIVERED);
        try (DeliveryHarness h = new DeliveryHarness(dir, sink)) {
            h.deliver(h.batch(AuditLines.events(0, 10)));
            assertEquals(10, h.acknowledgedThrough());
            assertEquals(10, h.value("events_shipped_total{destination=\"dest\"}"));
            assertEquals(0, h.queue.heldBytes(), "the memory is given back");
            assertEquals(1, sink.requests.size());
        }
    }

    @Test
    void aRetryWaitsTheBackoffAndSendsTheSameEventsAgain() throws Exception {
        List<Outcome> answers = new ArrayList<>(List.of(
                new Outcome.Retry(RetryCause.SERVER_ERROR, "HTTP 503", Optional.empty()),
                new Outcome.Retry(RetryCause.CONNECTION, "refused", Optional.empty()),
                Outcome.DELIVERED));
        ScriptedSink sink = new ScriptedSink(ids -> answers.remove(0));
        try (DeliveryHarness h = new DeliveryHarness(dir, sink)) {
            h.deliver(h.batch(AuditLines.events(0, 5)));
            assertEquals(3, sink.requests.size());
            assertEquals(sink.requests.get(0), sink.requests.get(2), "the same events, all of them");
            assertEquals(2, h.ticker.sleeps().size());
            assertTrue(h.ticker.sleeps().get(0).compareTo(Duration.ofMillis(100)) <= 0, "first wait within the initial backoff");
            assertTrue(h.ticker.sleeps().get(1).compareTo(Duration.ofMillis(200)) <= 0, "second within twice that");
            assertEquals(1, h.value("retries_total{destination=\"dest\",cause=\"server_error\"}"));
            assertEquals(5, h.acknowledgedThrough());
        }
    }

    @Test
    void retryAfterIsWaitedForBeforeTheNextAttempt() throws Exception {
        FakeTicker ticker = FakeTicker.manual();
        List<Outcome> answers = Collections.synchronizedList(new ArrayList<>(List.of(
                new Outcome.Retry(RetryCause.THROTTLED, "HTTP 429", Optional.of(Duration.ofSeconds(3))), Outcome.DELIVERED)));
        ScriptedSink sink = new ScriptedSink(ids -> answers.remove(0));
        try (DeliveryHarness h = new DeliveryHarness(dir, sink, ticker)) {
            Batch b = h.batch(AuditLines.events(0, 5));
            Thread sender = new Thread(() -> h.deliver(b));
            sender.start();
            assertEquals(List.of(Duration.ofSeconds(3)), ticker.awaitSleepers(1), "waiting the server's 3 s");
            ticker.advance(Duration.ofMillis(2999));
            assertEquals(1, ticker.awaitSleepers(1).size(), "still waiting a moment before");
            assertEquals(1, sink.requests.size(), "no request while waiting");
            assertEquals(0, h.acknowledgedThrough());
            ticker.advance(Duration.ofMillis(1));
            sender.join(10_000);
            assertEquals(2, sink.requests.size());
            assertEquals(5, h.acknowledgedThrough());
        }
    }

    @Test
    void perEventAnswersSettleTheDeliveredAndTheRejectedAndResendOnlyTheRest() throws Exception {
        String rejected2 = AuditLines.id(2);
        String rejected5 = AuditLines.id(5);
        String retried7 = AuditLines.id(7);
        ScriptedSink sink = new ScriptedSink(ids -> new Outcome.PerEvent(ids.stream().map(id -> {
            if (id.equals(rejected2) || id.equals(rejected5)) {
                return (EventOutcome) new EventOutcome.Rejected("mapper_parsing_exception: " + id, "{\"error\":\"" + id + "\"}");
            }
            if (id.equals(retried7) && ids.size() > 1) {
                return new EventOutcome.Retry(RetryCause.THROTTLED, "es_rejected_execution_exception");
            }
            return EventOutcome.DELIVERED;
        }).toList()));
        try (DeliveryHarness h = new DeliveryHarness(dir, sink)) {
            h.deliver(h.batch(AuditLines.events(0, 10)));
            assertEquals(2, sink.requests.size());
            assertEquals(List.of(retried7), sink.requests.get(1), "only the event to retry is sent again");
            assertEquals(List.of(rejected2, rejected5), h.deadLettered());
            assertEquals("mapper_parsing_exception: " + rejected2, h.deadLetterRecords().get(0).get("reason").asText());
            assertEquals("{\"error\":\"" + rejected5 + "\"}", h.deadLetterRecords().get(1).get("response").asText());
            assertEquals(10, h.acknowledgedThrough());
            assertEquals(8, h.value("events_shipped_total{destination=\"dest\"}"));
            assertEquals(2, h.value("events_dead_lettered_total{destination=\"dest\",reason=\"rejected\"}"));
            assertEquals(1, h.value("retries_total{destination=\"dest\",cause=\"throttled\"}"));
            assertEquals(0, h.queue.heldBytes());
        }
    }

    @Test
    void aRefusedBatchIsHalvedDownToTheRefusedEventAlone() throws Exception {
        String poison = AuditLines.id(1234);
        ScriptedSink sink = new ScriptedSink(ids -> ids.contains(poison)
                ? new Outcome.Rejected("HTTP 400 poison", "{\"error\":\"poison\"}") : Outcome.DELIVERED);
        try (DeliveryHarness h = new DeliveryHarness(dir, sink)) {
            h.deliver(h.batch(AuditLines.events(0, 2000)));
            assertEquals(List.of(poison), h.deadLettered(), "one event of 2000 dead-lettered, not its batch");
            assertEquals("HTTP 400 poison", h.deadLetterRecords().get(0).get("reason").asText());
            assertEquals(2000, h.acknowledgedThrough());
            assertEquals(1999, h.value("events_shipped_total{destination=\"dest\"}"));
            assertTrue(sink.requests.size() <= 2 * 12, "about two requests per halving: " + sink.requests.size());
            Set<String> delivered = new java.util.HashSet<>();
            for (List<String> r : sink.requests) {
                if (!r.contains(poison)) {
                    for (String id : r) {
                        assertTrue(delivered.add(id), id + " was delivered twice");
                    }
                }
            }
            assertEquals(1999, delivered.size());
        }
    }

    @Test
    void aBatchTooLargeIsHalvedAndASingleEventTooLargeIsDeadLettered() throws Exception {
        String huge = AuditLines.id(3);
        ScriptedSink sink = new ScriptedSink(ids -> ids.size() > 2 || ids.contains(huge) ? new Outcome.TooLarge("HTTP 413") : Outcome.DELIVERED);
        try (DeliveryHarness h = new DeliveryHarness(dir, sink)) {
            h.deliver(h.batch(AuditLines.events(0, 8)));
            assertEquals(List.of(huge), h.deadLettered());
            assertEquals(1, h.value("events_dead_lettered_total{destination=\"dest\",reason=\"unsendable\"}"));
            assertEquals(8, h.acknowledgedThrough());
        }
    }

    @Test
    void refusedCredentialsHoldAndAlertUntilTheyAreAccepted() throws Exception {
        FakeTicker ticker = FakeTicker.manual();
        ScriptedSink sink = new ScriptedSink(ids -> new Outcome.Held(Outcome.HoldCause.CREDENTIALS, "HTTP 401"));
        try (DeliveryHarness h = new DeliveryHarness(dir, sink, ticker)) {
            Batch b = h.batch(AuditLines.events(0, 3));
            Thread sender = new Thread(() -> h.deliver(b));
            sender.start();
            Duration wait = ticker.awaitSleepers(1).get(0);
            assertTrue(wait.compareTo(Duration.ofSeconds(15)) >= 0, "slow, steady retries: " + wait);
            assertEquals(1, h.value("auth_failing{destination=\"dest\"}"));
            assertEquals(0, h.acknowledgedThrough(), "nothing is acknowledged while credentials are refused");
            sink.script = ids -> Outcome.DELIVERED;
            ticker.advance(Duration.ofSeconds(30));
            sender.join(10_000);
            assertEquals(3, h.acknowledgedThrough());
            assertEquals(0, h.value("auth_failing{destination=\"dest\"}"));
            assertTrue(h.logs().contains("credentials accepted again"), h.logs());
        }
    }

    @Test
    void aSinkThatThrowsIsAFailedAttemptNotADeadSender() throws Exception {
        List<Boolean> fail = new ArrayList<>(List.of(true, true));
        ScriptedSink sink = new ScriptedSink(ids -> {
            if (!fail.isEmpty() && fail.remove(0)) {
                throw new IllegalArgumentException("Illegal character(s) in message header value");
            }
            return Outcome.DELIVERED;
        });
        try (DeliveryHarness h = new DeliveryHarness(dir, sink)) {
            h.deliver(h.batch(AuditLines.events(0, 4)));
            assertEquals(3, sink.requests.size());
            assertEquals(4, h.acknowledgedThrough());
            assertEquals(2, h.value("retries_total{destination=\"dest\",cause=\"sink_error\"}"));
            assertTrue(h.logs().contains("cause=sink_error"), h.logs());
        }
    }

    @Test
    void anInterruptDuringTheRetryWaitAbandonsTheBatchUnacknowledged() throws Exception {
        FakeTicker ticker = FakeTicker.manual();
        ScriptedSink sink = new ScriptedSink(ids -> new Outcome.Retry(RetryCause.CONNECTION, "refused", Optional.empty()));
        try (DeliveryHarness h = new DeliveryHarness(dir, sink, ticker)) {
            Batch b = h.batch(AuditLines.events(0, 6));
            Thread sender = new Thread(() -> h.deliver(b));
            sender.start();
            ticker.awaitSleepers(1);
            sender.interrupt();
            sender.join(10_000);
            assertFalse(sender.isAlive());
            assertEquals(Batch.State.ABANDONED, b.state());
            assertEquals(0, h.acknowledgedThrough());
            assertEquals(0, h.queue.heldBytes(), "abandoned events give their memory back; they are read again after the restart");
        }
    }

    @Test
    void anErrorStopsTheShipperInsteadOfSilentlyKillingTheSender() throws Exception {
        ScriptedSink sink = new ScriptedSink(ids -> {
            throw new StackOverflowError("deep");
        });
        try (DeliveryHarness h = new DeliveryHarness(dir, sink)) {
            Batch b = h.batch(AuditLines.events(0, 2));
            assertThrows(StackOverflowError.class, () -> h.deliver(b));
            assertTrue(h.stop.failure().orElseThrow().contains("StackOverflowError"));
            assertEquals(Batch.State.ABANDONED, b.state());
        }
    }
}
