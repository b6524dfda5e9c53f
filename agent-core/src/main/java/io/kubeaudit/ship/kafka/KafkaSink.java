package io.kubeaudit.ship.kafka;

import io.kubeaudit.config.KafkaConfig;
import io.kubeaudit.node.NodePaths;
import io.kubeaudit.ship.sink.EventOutcome;
import io.kubeaudit.ship.sink.Outcome;
import io.kubeaudit.ship.sink.Sink;
import io.kubeaudit.ship.sink.SinkBatch;
import io.kubeaudit.ship.sink.SinkEvent;
import io.kubeaudit.ship.sink.SinkSetupException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A Kafka topic: each event one record (value: the event as the webhook sends it, key: its auditID, headers: node
 * and cluster). A batch is answered only when the client has completed every record's send, per event: delivered,
 * retried (only the failed records go through the shared backoff) or rejected (too large for the broker: dead
 * letter). Refused credentials or rights hold the destination; the producer is then made again before the next
 * attempt, reading the password file again, since an idempotent producer that failed to authenticate stays failed.
 */
public final class KafkaSink implements Sink {

    /** The same names as the annotations the agent adds to the event itself. */
    static final String NODE_HEADER = "kube-audit-agent/node";
    static final String CLUSTER_HEADER = "kube-audit-agent/cluster";
    /** What we wait beyond the client's own delivery timeout before we stop believing it will answer. */
    private static final Duration ANSWER_GRACE = Duration.ofSeconds(2);

    private final KafkaConfig config;
    private final Producers producers;
    private final Header[] headers;
    private final Duration answerWithin;
    private final long bufferBytes;

    KafkaSink(KafkaConfig config, Producers producers, String nodeName, String clusterName, long bufferBytes) {
        this.config = config;
        this.producers = producers;
        this.bufferBytes = bufferBytes;
        List<Header> h = new ArrayList<>(2);
        if (!nodeName.isEmpty()) {
            h.add(new RecordHeader(NODE_HEADER, nodeName.getBytes(StandardCharsets.UTF_8)));
        }
        if (!clusterName.isEmpty()) {
            h.add(new RecordHeader(CLUSTER_HEADER, clusterName.getBytes(StandardCharsets.UTF_8)));
        }
        this.headers = h.toArray(Header[]::new);
        // Every record's delivery timeout started before the wait does (when its send() returned).
        this.answerWithin = ProducerProperties.deliveryTimeout(config).plus(ANSWER_GRACE);
    }

    /**
     * The destination's sink; the producer is made at once, so settings the client refuses stop the agent at start.
     * Declared as {@link Sink} so that callers load no Kafka class unless a kafka destination is configured.
     *
     * @param bufferBytes the producer's buffer, counted against ship.memoryBudget
     */
    public static Sink create(KafkaConfig config, NodePaths paths, String nodeName, String clusterName, long bufferBytes)
            throws SinkSetupException {
        Producers producers = new Producers(() -> {
            try {
                return new KafkaProducer<>(ProducerProperties.of(config, paths, bufferBytes), new ByteArraySerializer(), new ByteArraySerializer());
            } catch (KafkaException e) {
                throw new SinkSetupException("destination " + config.name() + ": the Kafka client refuses its settings: " + e.getMessage(), e);
            }
        });
        return new KafkaSink(config, producers, nodeName, clusterName, bufferBytes);
    }

    @Override
    public Outcome send(SinkBatch batch) throws InterruptedException {
        Producer<byte[], byte[]> producer;
        try {
            producer = producers.current();
        } catch (SinkSetupException e) {
            // The password or TLS files became unreadable since the start: nothing can be sent until they are fixed.
            return new Outcome.Held(Outcome.HoldCause.CREDENTIALS, e.getMessage());
        }
        List<? extends SinkEvent> events = batch.events();
        int n = events.size();
        List<Future<RecordMetadata>> sent = new ArrayList<>(n);
        SendFailure stopped = null;
        for (SinkEvent event : events) {
            Future<RecordMetadata> future;
            try {
                future = producer.send(record(event));
            } catch (InterruptException e) {
                throw interrupted(e);
            } catch (KafkaException e) {
                stopped = SendFailure.of(e);
                break;
            }
            sent.add(future);
            SendFailure failed = failedAtOnce(future);
            if (failed != null && failed.stopsTheBatch()) {
                // Metadata or buffer space did not come within max.block.ms: the next record would wait as long.
                stopped = failed;
                break;
            }
        }
        long deadline = System.nanoTime() + answerWithin.toNanos();
        List<EventOutcome> outcomes = new ArrayList<>(n);
        SendFailure hold = stopped != null && stopped.holds() ? stopped : null;
        boolean allDelivered = true;
        for (int i = 0; i < n; i++) {
            SendFailure failure = i < sent.size() ? awaitFailure(sent.get(i), deadline) : stopped;
            if (failure == null) {
                outcomes.add(EventOutcome.DELIVERED);
                continue;
            }
            allDelivered = false;
            if (failure.holds() && hold == null) {
                hold = failure;
            }
            outcomes.add(failure.kind() == SendFailure.Kind.REJECT
                    ? new EventOutcome.Rejected(failure.reason(), "")
                    : new EventOutcome.Retry(failure.cause(), failure.reason()));
        }
        if (hold != null) {
            producers.discard(producer);
            return new Outcome.Held(hold.kind() == SendFailure.Kind.HOLD_CREDENTIALS ? Outcome.HoldCause.CREDENTIALS
                    : Outcome.HoldCause.BLOCKED, hold.reason());
        }
        return allDelivered ? Outcome.DELIVERED : new Outcome.PerEvent(outcomes);
    }

    private ProducerRecord<byte[], byte[]> record(SinkEvent event) {
        byte[] value = event.toByteArray();
        byte[] key = config.key() == KafkaConfig.KeyChoice.AUDIT_ID ? AuditIdKey.of(value) : null;
        // No timestamp: the broker's retention counts from when the record was written, not from the event's time,
        // so a backlog shipped late is not deleted at once.
        return new ProducerRecord<>(config.topic(), null, null, key, value, new RecordHeaders(headers));
    }

    /** The failure of a send that failed inside send() (its future is done at once), else null. */
    private static SendFailure failedAtOnce(Future<RecordMetadata> future) throws InterruptedException {
        if (!future.isDone()) {
            return null;
        }
        try {
            future.get();
            return null;
        } catch (ExecutionException e) {
            return SendFailure.of(e.getCause());
        }
    }

    private SendFailure awaitFailure(Future<RecordMetadata> future, long deadline) throws InterruptedException {
        try {
            future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return null;
        } catch (ExecutionException e) {
            return SendFailure.of(e.getCause());
        } catch (TimeoutException e) {
            return SendFailure.of(new org.apache.kafka.common.errors.TimeoutException(
                    "the Kafka client did not complete the send within " + answerWithin.toSeconds() + " s"));
        }
    }

    private static InterruptedException interrupted(InterruptException e) {
        Thread.interrupted(); // InterruptException set the flag again; the InterruptedException carries it now
        InterruptedException i = new InterruptedException("sending to Kafka was interrupted");
        i.initCause(e);
        return i;
    }

    /** The producer's buffer.memory: its records wait there, compressed, until the broker has them. */
    @Override
    public long reservedBytes() {
        return bufferBytes;
    }

    @Override
    public void close() {
        producers.close();
    }

    @Override
    public String toString() {
        return "kafka " + String.join(",", config.bootstrapServers()) + " topic " + config.topic();
    }
}
