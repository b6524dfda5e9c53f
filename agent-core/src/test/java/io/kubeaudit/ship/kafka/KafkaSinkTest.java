package io.kubeaudit.ship.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.config.KafkaConfig;
import io.kubeaudit.ship.kafka.TestEvents.TestBatch;
import io.kubeaudit.ship.kafka.TestEvents.TestEvent;
import io.kubeaudit.ship.sink.EventOutcome;
import io.kubeaudit.ship.sink.Outcome;
import io.kubeaudit.ship.sink.RetryCause;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The sink's bookkeeping with the client's own scripted producer (MockProducer, shipped in kafka-clients): which
 * outcome each record gets and what happens to the producer. The real broker's answers are in KafkaSinkIT.
 */
class KafkaSinkTest {

    private final List<MockProducer<byte[], byte[]>> made = new ArrayList<>();

    private Producers producers(boolean autoComplete) throws Exception {
        return new Producers(() -> {
            MockProducer<byte[], byte[]> p = new MockProducer<>(autoComplete, null, new ByteArraySerializer(), new ByteArraySerializer());
            made.add(p);
            return p;
        });
    }

    private static KafkaConfig config() {
        return new KafkaConfig("bus", List.of("127.0.0.1:9092"), "audit", KafkaConfig.Compression.ZSTD, KafkaConfig.KeyChoice.AUDIT_ID,
                false, "", "", "", KafkaConfig.Sasl.none(), Duration.ofSeconds(5), Map.of(), KafkaConfig.DEFAULT_MAX_EVENT_BYTES);
    }

    private static TestBatch batch(int n) {
        List<TestEvent> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            events.add(TestEvent.of(i, "ResponseComplete", 200));
        }
        return new TestBatch(events);
    }

    @Test
    void eachRecordGetsItsOwnOutcomeInBatchOrder() throws Exception {
        KafkaSink sink = new KafkaSink(config(), producers(false), "node-a", "", 1 << 20);
        CompletableFuture<Outcome> answer = CompletableFuture.supplyAsync(() -> send(sink, batch(4)));
        MockProducer<byte[], byte[]> p = made.get(0);
        while (p.history().size() < 4) {
            Thread.onSpinWait();
        }
        p.completeNext();
        p.errorNext(new RecordTooLargeException("The request included a message larger than the max message size the server will accept."));
        p.errorNext(new NotEnoughReplicasException("in-sync replicas 1 < min.insync.replicas 2"));
        p.completeNext();
        List<EventOutcome> each = assertInstanceOf(Outcome.PerEvent.class, answer.get(30, TimeUnit.SECONDS)).events();
        assertEquals(EventOutcome.DELIVERED, each.get(0));
        assertTrue(assertInstanceOf(EventOutcome.Rejected.class, each.get(1)).reason().contains("maxEventBytes"));
        assertEquals(RetryCause.SERVER_ERROR, assertInstanceOf(EventOutcome.Retry.class, each.get(2)).cause());
        assertEquals(EventOutcome.DELIVERED, each.get(3));
    }

    @Test
    void aRecordThatCannotBeQueuedEndsTheAttemptWithoutTryingTheRest() throws Exception {
        List<ProducerRecord<byte[], byte[]>> tried = new ArrayList<>();
        // As KafkaProducer answers when no broker gave metadata within max.block.ms: a future failed at once.
        Producers unreachable = new Producers(() -> new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()) {
            @Override
            public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
                tried.add(record);
                return CompletableFuture.failedFuture(new TimeoutException("Topic audit not present in metadata after 5000 ms."));
            }
        });
        Outcome outcome = new KafkaSink(config(), unreachable, "node-a", "", 1 << 20).send(batch(50));
        List<EventOutcome> each = assertInstanceOf(Outcome.PerEvent.class, outcome).events();
        assertEquals(50, each.size());
        for (EventOutcome o : each) {
            EventOutcome.Retry retry = assertInstanceOf(EventOutcome.Retry.class, o);
            assertEquals(RetryCause.TIMEOUT, retry.cause());
            assertTrue(retry.reason().contains("not present in metadata"), retry.reason());
        }
        assertEquals(1, tried.size(), "each further record would have waited max.block.ms as well");
    }

    @Test
    void refusedCredentialsHoldAndTheNextAttemptUsesANewProducer() throws Exception {
        KafkaSink sink = new KafkaSink(config(), producers(true), "node-a", "", 1 << 20);
        made.get(0).sendException = new SaslAuthenticationException("Authentication failed: Invalid username or password");
        Outcome.Held held = assertInstanceOf(Outcome.Held.class, sink.send(batch(3)));
        assertEquals(Outcome.HoldCause.CREDENTIALS, held.cause());
        assertTrue(made.get(0).closed(), "the failed producer is closed");

        assertEquals(Outcome.DELIVERED, sink.send(batch(3)));
        assertEquals(2, made.size());
        assertEquals(3, made.get(1).history().size());
    }

    @Test
    void recordsCarryTheAuditIdKeyAndTheNodeHeaderButNoTimestamp() throws Exception {
        KafkaSink sink = new KafkaSink(config(), producers(true), "node-a", "prod", 1 << 20);
        assertEquals(Outcome.DELIVERED, sink.send(batch(1)));
        var record = made.get(0).history().get(0);
        assertEquals("00000000-0000-4000-8000-000000000000", new String(record.key()));
        assertEquals("node-a", new String(record.headers().lastHeader(KafkaSink.NODE_HEADER).value()));
        assertEquals("prod", new String(record.headers().lastHeader(KafkaSink.CLUSTER_HEADER).value()));
        assertNull(record.timestamp());
        assertEquals("audit", record.topic());
    }

    private static Outcome send(KafkaSink sink, TestBatch batch) {
        try {
            return sink.send(batch);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
