package io.kubeaudit.testing.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fixture itself: a real broker that keeps acknowledged records across kill -9, and SASL with ACLs. */
class KafkaBrokerIT {

    @TempDir
    static Path dir;
    static KafkaBroker broker;

    @BeforeAll
    static void start() throws Exception {
        broker = KafkaBroker.start(dir, BrokerSettings.defaults().withSaslUsers(Map.of("alice", "alice-secret"), true));
    }

    @AfterAll
    static void stop() throws Exception {
        if (broker != null) {
            broker.close();
            assertFalse(broker.isAlive());
        }
    }

    @Test
    void acknowledgedRecordsSurviveKillAndRestart() throws Exception {
        createTopic("survive", 3);
        send(broker.bootstrapServers(), Map.of(), "survive", 0, 100);
        long before = broker.pid();
        broker.kill();
        broker.restart();
        assertFalse(before == broker.pid());
        send(broker.bootstrapServers(), Map.of(), "survive", 100, 200);
        List<String> values = readAll("survive", 200);
        assertEquals(200, values.size());
        assertEquals(200, values.stream().distinct().count());
    }

    @Test
    void scramUserNeedsAnAclToWrite() throws Exception {
        createTopic("guarded", 1);
        Map<String, Object> scram = Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"alice\" password=\"alice-secret\";");
        ExecutionException denied = assertThrows(ExecutionException.class,
                () -> send(broker.saslBootstrapServers(), scram, "guarded", 0, 1));
        assertInstanceOf(TopicAuthorizationException.class, denied.getCause());

        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createAcls(List.of(new AclBinding(new ResourcePattern(ResourceType.TOPIC, "guarded", PatternType.LITERAL),
                    new AccessControlEntry("User:alice", "*", AclOperation.WRITE, AclPermissionType.ALLOW)))).all().get(30, TimeUnit.SECONDS);
        }
        send(broker.saslBootstrapServers(), scram, "guarded", 0, 1);
        assertEquals(1, readAll("guarded", 1).size());
    }

    @Test
    void plainWithAWrongPasswordIsRefused() {
        Map<String, Object> plain = Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN",
                "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"alice\" password=\"wrong\";",
                "max.block.ms", "10000");
        Exception refused = assertThrows(Exception.class, () -> send(broker.saslBootstrapServers(), plain, "guarded-plain", 0, 1));
        Throwable cause = refused instanceof ExecutionException ? refused.getCause() : refused;
        assertInstanceOf(SaslAuthenticationException.class, cause);
    }

    private static void createTopic(String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static void send(String bootstrap, Map<String, Object> security, String topic, int from, int to) throws Exception {
        Properties p = new Properties();
        p.putAll(security);
        p.put("bootstrap.servers", bootstrap);
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        p.put("delivery.timeout.ms", "30000");
        p.put("request.timeout.ms", "10000");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = from; i < to; i++) {
                sent.add(producer.send(new ProducerRecord<>(topic, "key-" + i, "value-" + i)));
            }
            for (Future<RecordMetadata> f : sent) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
    }

    private static List<String> readAll(String topic, int expected) {
        Map<String, Object> p = Map.of("bootstrap.servers", broker.bootstrapServers(), "auto.offset.reset", "earliest",
                "enable.auto.commit", "false");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    values.add(r.value());
                }
            }
        }
        return values;
    }
}
