package io.kubeaudit.ship.kafka;

import io.kubeaudit.config.KafkaConfig;
import io.kubeaudit.ship.SinkContract;
import io.kubeaudit.ship.sink.Outcome;
import io.kubeaudit.ship.sink.Sink;
import io.kubeaudit.ship.sink.SinkBatch;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Kafka sink passes the sink contract against a scripted producer: the client's MockProducer with each record's
 * answer chosen as a broker would give it (taken; RecordTooLargeException for a refused event; NotEnoughReplicas
 * for a temporary failure; a NetworkException for a reset connection; no answer at all for a hang). A "request" is
 * one attempt of the sink. The same answers from a real broker are in KafkaSinkIT.
 */
class KafkaSinkContractTest extends SinkContract {

    @Override
    protected Destination start(Path dir) throws Exception {
        return new ScriptedKafka();
    }

    /** Kafka has no Retry-After: a broker's quota slows the client down without failing a record. */
    @Override
    protected boolean answersRetryAfter() {
        return false;
    }

    private static final class ScriptedKafka implements Destination {
        private final Map<String, Integer> taken = new ConcurrentHashMap<>();
        private final Map<String, Integer> failed = new ConcurrentHashMap<>();
        private final AtomicInteger attempts = new AtomicInteger();
        private volatile Behaviour behaviour = new Behaviour.AcceptAll();
        private final KafkaSink kafka;
        private final Sink sink;

        ScriptedKafka() throws Exception {
            KafkaConfig config = new KafkaConfig("contract", List.of("127.0.0.1:9092"), "audit", KafkaConfig.Compression.ZSTD,
                    KafkaConfig.KeyChoice.AUDIT_ID, false, "", "", "", KafkaConfig.Sasl.none(), Duration.ofSeconds(1), Map.of(),
                    KafkaConfig.DEFAULT_MAX_EVENT_BYTES);
            kafka = new KafkaSink(config, new Producers(() -> new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()) {
                @Override
                public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
                    return answer(new String(record.key(), StandardCharsets.UTF_8));
                }
            }), "node-a", "", 1 << 20);
            sink = new Sink() {
                @Override
                public Outcome send(SinkBatch batch) throws InterruptedException {
                    attempts.incrementAndGet();
                    return kafka.send(batch);
                }

                @Override
                public String toString() {
                    return kafka.toString();
                }

                @Override
                public void close() {
                    kafka.close();
                }
            };
        }

        private Future<RecordMetadata> answer(String auditId) {
            Behaviour b = behaviour;
            int attempt = attempts.get();
            if (b instanceof Behaviour.Refuse refuse && refuse.auditIds().contains(auditId)) {
                return CompletableFuture.failedFuture(new RecordTooLargeException("The request included a message larger than the max message size the server will accept."));
            }
            if (b instanceof Behaviour.FailTemporarily fail && fail.auditIds().contains(auditId)
                    && failed.merge(auditId, 1, Integer::sum) <= fail.times()) {
                return CompletableFuture.failedFuture(new NotEnoughReplicasException("in-sync replicas 1 < min.insync.replicas 2"));
            }
            if (b instanceof Behaviour.Hang hang && attempt <= hang.requests()) {
                return new CompletableFuture<>();
            }
            if (b instanceof Behaviour.ResetAfterRequest reset && attempt <= reset.requests()) {
                return CompletableFuture.failedFuture(new NetworkException("Disconnected from node 1"));
            }
            taken.merge(auditId, 1, Integer::sum);
            if (b instanceof Behaviour.TakeWithoutAnswer && attempt == 1) {
                return new CompletableFuture<>();
            }
            return CompletableFuture.completedFuture(new RecordMetadata(new TopicPartition("audit", 0), 0, 0, 0, 0, 0));
        }

        @Override
        public Sink sink() {
            return sink;
        }

        @Override
        public void behave(Behaviour next) {
            behaviour = next;
            attempts.set(0);
            failed.clear();
        }

        @Override
        public Map<String, Integer> taken() {
            return taken;
        }

        /** The idempotent producer drops only its own resends; a new agent process is a new producer. */
        @Override
        public boolean deduplicates() {
            return false;
        }

        /** Interrupting the sender ends the sink's wait for the client; nothing else runs. */
        @Override
        public void cutOff() {
        }

        @Override
        public void close() {
            sink.close();
        }
    }
}
