package io.kubeaudit.ship.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.config.KafkaConfig;
import io.kubeaudit.ship.kafka.TestEvents.TestBatch;
import io.kubeaudit.ship.kafka.TestEvents.TestEvent;
import io.kubeaudit.config.KafkaConfig.Compression;
import io.kubeaudit.config.KafkaConfig.KeyChoice;
import io.kubeaudit.config.KafkaConfig.Mechanism;
import io.kubeaudit.node.NodePaths;
import io.kubeaudit.ship.sink.AuditFields;
import io.kubeaudit.ship.sink.EventOutcome;
import io.kubeaudit.ship.sink.Outcome;
import io.kubeaudit.ship.sink.Sink;
import io.kubeaudit.testing.kafka.BrokerSettings;
import io.kubeaudit.testing.kafka.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kafka sink against a real broker (KRaft, one node, started once for the class; see KafkaBroker). */
class KafkaSinkIT {

    @TempDir
    static Path dir;
    static KafkaBroker broker;
    static NodePaths root;

    @BeforeAll
    static void start() throws Exception {
        broker = KafkaBroker.start(dir.resolve("broker"), BrokerSettings.defaults().withSaslUsers(Map.of("agent", "agent-secret"), true));
        root = NodePaths.of(Files.createDirectories(dir.resolve("root")).toString());
        Files.createDirectories(root.resolve("/etc"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void everyEventArrivesKeyedByItsAuditIdWithNodeAndClusterHeaders() throws Exception {
        createTopic("audit", 3, Map.of());
        List<TestEvent> events = new ArrayList<>();
        for (int request = 0; request < 50; request++) {
            for (String stage : List.of("RequestReceived", "ResponseComplete")) {
                events.add(TestEvent.of(request, stage, 200));
            }
        }
        try (Sink sink = KafkaSink.create(config("audit"), root, "node-a", "prod-1", 8 << 20)) {
            assertEquals(Outcome.DELIVERED, sink.send(new TestBatch(events)));
        }
        List<ConsumerRecord<byte[], byte[]>> records = readAll("audit", events.size());
        assertEquals(events.size(), records.size());
        Map<String, Integer> partitionOf = new HashMap<>();
        Map<String, List<String>> stagesOf = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            AuditFields fields = AuditFields.read(r.value());
            assertEquals(fields.auditID(), new String(r.key(), StandardCharsets.UTF_8));
            assertEquals("node-a", new String(r.headers().lastHeader(KafkaSink.NODE_HEADER).value(), StandardCharsets.UTF_8));
            assertEquals("prod-1", new String(r.headers().lastHeader(KafkaSink.CLUSTER_HEADER).value(), StandardCharsets.UTF_8));
            Integer before = partitionOf.putIfAbsent(fields.auditID(), r.partition());
            assertTrue(before == null || before == r.partition(), "both stages of " + fields.auditID() + " in one partition");
            stagesOf.computeIfAbsent(fields.auditID(), k -> new ArrayList<>()).add(fields.stage());
        }
        assertEquals(50, stagesOf.size());
        stagesOf.forEach((id, stages) -> assertEquals(List.of("RequestReceived", "ResponseComplete"), stages, id));
    }

    @Test
    void onlyTheEventLargerThanTheTopicAllowsIsRejected() throws Exception {
        createTopic("small-messages", 1, Map.of("max.message.bytes", "20000"));
        List<TestEvent> events = List.of(TestEvent.of(1, "ResponseComplete", 200), TestEvent.padded(2, 50_000),
                TestEvent.of(3, "ResponseComplete", 200));
        Outcome outcome;
        try (Sink sink = KafkaSink.create(config("small-messages", Compression.NONE), root, "node-a", "", 8 << 20)) {
            outcome = sink.send(new TestBatch(events));
        }
        List<EventOutcome> each = assertInstanceOf(Outcome.PerEvent.class, outcome).events();
        assertEquals(EventOutcome.DELIVERED, each.get(0));
        EventOutcome.Rejected rejected = assertInstanceOf(EventOutcome.Rejected.class, each.get(1));
        assertTrue(rejected.reason().contains("RecordTooLargeException"), rejected.reason());
        assertEquals(EventOutcome.DELIVERED, each.get(2));
        assertEquals(2, readAll("small-messages", 2).size());
    }

    @Test
    void missingRightsHoldUntilTheAclIsThereThenTheSameSinkDelivers() throws Exception {
        createTopic("guarded", 1, Map.of());
        Path password = Files.writeString(root.resolve("/etc/kafka-password"), "agent-secret\n");
        KafkaConfig scram = withSasl(config("guarded"), Mechanism.SCRAM_SHA_512, root.toNodePath(password));
        try (Sink sink = KafkaSink.create(scram, root, "node-a", "", 8 << 20)) {
            Outcome.Held held = assertInstanceOf(Outcome.Held.class, sink.send(new TestBatch(List.of(TestEvent.of(1, "ResponseComplete", 200)))));
            assertEquals(Outcome.HoldCause.CREDENTIALS, held.cause());
            assertTrue(held.reason().contains("TopicAuthorizationException"), held.reason());

            allowWrite("User:agent", "guarded");
            assertEquals(Outcome.DELIVERED, sink.send(new TestBatch(List.of(TestEvent.of(2, "ResponseComplete", 200)))));
        }
        assertEquals(1, readAll("guarded", 1).size());
    }

    @Test
    void aWrongPasswordHoldsAndTheFixedFileIsReadForTheNextAttempt() throws Exception {
        createTopic("open-to-agent", 1, Map.of());
        allowWrite("User:agent", "open-to-agent");
        Path password = Files.writeString(root.resolve("/etc/kafka-plain-password"), "not-the-password\n");
        KafkaConfig plain = withSasl(config("open-to-agent"), Mechanism.PLAIN, root.toNodePath(password));
        try (Sink sink = KafkaSink.create(plain, root, "node-a", "", 8 << 20)) {
            Outcome.Held held = assertInstanceOf(Outcome.Held.class, sink.send(new TestBatch(List.of(TestEvent.of(1, "ResponseComplete", 200)))));
            assertTrue(held.reason().contains("SaslAuthenticationException"), held.reason());
            assertTrue(!held.reason().contains("not-the-password"), "the password is never in a message: " + held.reason());

            Files.writeString(password, "agent-secret\n");
            assertEquals(Outcome.DELIVERED, sink.send(new TestBatch(List.of(TestEvent.of(2, "ResponseComplete", 200)))));
        }
    }

    @Test
    void whileTheBrokerIsDownEveryEventIsRetriedAndDeliveredOnceItIsBack() throws Exception {
        createTopic("outage", 1, Map.of());
        KafkaConfig quick = withTimeout(config("outage"), Duration.ofSeconds(2));
        try (Sink sink = KafkaSink.create(quick, root, "node-a", "", 8 << 20)) {
            assertEquals(Outcome.DELIVERED, sink.send(new TestBatch(List.of(TestEvent.of(1, "ResponseComplete", 200)))));
            broker.kill();
            List<TestEvent> during = List.of(TestEvent.of(2, "ResponseComplete", 200), TestEvent.of(3, "ResponseComplete", 200));
            Outcome down = sink.send(new TestBatch(during));
            for (EventOutcome each : assertInstanceOf(Outcome.PerEvent.class, down).events()) {
                assertInstanceOf(EventOutcome.Retry.class, each);
            }
            broker.restart();
            assertEquals(Outcome.DELIVERED, sink.send(new TestBatch(during)));
        }
        assertEquals(3, readAll("outage", 3).size());
    }

    // ---- helpers ----

    private static KafkaConfig config(String topic) {
        return config(topic, Compression.ZSTD);
    }

    private static KafkaConfig config(String topic, Compression compression) {
        return new KafkaConfig("bus", List.of(broker.bootstrapServers()), topic, compression, KeyChoice.AUDIT_ID, false, "", "", "",
                KafkaConfig.Sasl.none(), Duration.ofSeconds(10), Map.of(), KafkaConfig.DEFAULT_MAX_EVENT_BYTES);
    }

    private static KafkaConfig withSasl(KafkaConfig c, Mechanism mechanism, String passwordFile) {
        return new KafkaConfig(c.name(), List.of(broker.saslBootstrapServers()), c.topic(), c.compression(), c.key(), false, "", "", "",
                new KafkaConfig.Sasl(mechanism, "agent", passwordFile), c.requestTimeout(), c.properties(), c.maxEventBytes());
    }

    private static KafkaConfig withTimeout(KafkaConfig c, Duration timeout) {
        return new KafkaConfig(c.name(), c.bootstrapServers(), c.topic(), c.compression(), c.key(), false, "", "", "",
                c.sasl(), timeout, c.properties(), c.maxEventBytes());
    }

    private static void createTopic(String topic, int partitions, Map<String, String> configs) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1).configs(configs))).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static void allowWrite(String principal, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createAcls(List.of(new AclBinding(new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
                    new AccessControlEntry(principal, "*", AclOperation.WRITE, AclPermissionType.ALLOW)))).all().get(30, TimeUnit.SECONDS);
        }
    }

    static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int atLeast) {
        Map<String, Object> p = Map.of("bootstrap.servers", broker.bootstrapServers(), "enable.auto.commit", "false");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while ((records.size() < atLeast || partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)))
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
