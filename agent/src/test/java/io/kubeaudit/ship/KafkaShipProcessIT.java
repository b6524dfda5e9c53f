package io.kubeaudit.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.testing.kafka.BrokerSettings;
import io.kubeaudit.testing.kafka.KafkaBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ship} as a separate JVM with a kafka destination, against a real broker (KRaft, one per class): every event
 * is read back with a consumer; the broker killed with kill -9 and restarted mid-stream loses nothing; the agent
 * killed with kill -9 resends at most the batches it had in flight, as for the webhook.
 */
class KafkaShipProcessIT {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int MAX_EVENTS = 200;
    private static final int MAX_IN_FLIGHT = 4;

    @TempDir
    static Path brokerDir;
    static KafkaBroker broker;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KafkaBroker.start(brokerDir, BrokerSettings.defaults());
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void everyEventArrivesAndTheBrokerKilledMidStreamLosesNothing() throws Exception {
        createTopic("audit-broker-kill");
        Path root = dir.resolve("root");
        Path config = config(root, "audit-broker-kill");
        Path log = Files.createDirectories(root.resolve("var/log/kubernetes/audit")).resolve("audit.log");
        AuditLines.append(log, AuditLines.events(0, 3000));
        try (ShipProcess ship = ShipProcess.start(config, root, dir, 0)) {
            ship.awaitLog("[ship] pipeline started", WAIT);
            awaitRecords("audit-broker-kill", 1000);
            broker.kill();
            AuditLines.append(log, AuditLines.events(3000, 3000));
            Thread.sleep(2000); // the agent meets the dead broker: its records time out and go back through the backoff
            broker.restart();
            Map<String, Integer> read = awaitDistinct("audit-broker-kill", 6000);
            assertEquals(6000, read.size(), ship::log);
            for (int i = 0; i < 6000; i++) {
                assertTrue(read.containsKey(AuditLines.id(i)), AuditLines.id(i) + " missing");
            }
            int duplicates = read.values().stream().mapToInt(n -> n - 1).sum();
            System.out.printf("broker kill -9 mid-stream: 6000 events, %d duplicates%n", duplicates);
            assertEquals(0, ship.terminate(Duration.ofSeconds(30)), ship::log);
            assertTrue(ship.log().contains("[ship] pipeline stopped drained=true"), ship::log);
        }
    }

    @Test
    void theAgentKilledMidStreamResendsAtMostItsBatchesInFlight() throws Exception {
        createTopic("audit-agent-kill");
        Path root = dir.resolve("root");
        Path config = config(root, "audit-agent-kill");
        Path log = Files.createDirectories(root.resolve("var/log/kubernetes/audit")).resolve("audit.log");
        int total = 30_000;
        // The log grows while the agent is killed, so each kill meets batches in flight.
        Thread writer = new Thread(() -> append(log, total, 250), "audit-writer");
        writer.start();
        long seed = System.nanoTime();
        Random random = new Random(seed);
        int kills = 3;
        for (int run = 0; run < kills; run++) {
            try (ShipProcess ship = ShipProcess.start(config, root, dir, run)) {
                ship.awaitLog("[ship] pipeline started", WAIT);
                Thread.sleep(100 + random.nextInt(1500));
                ship.kill();
            }
        }
        writer.join(WAIT.toMillis());
        try (ShipProcess ship = ShipProcess.start(config, root, dir, kills)) {
            Map<String, Integer> read = awaitDistinct("audit-agent-kill", total);
            assertEquals(total, read.size(), () -> "seed " + seed + ": " + ship.log());
            assertEquals(0, ship.terminate(Duration.ofSeconds(30)), ship::log);
            int duplicates = read.values().stream().mapToInt(n -> n - 1).sum();
            // As for the webhook (ShipProcessIT): what was past the saved checkpoint at each kill, at most
            // 2 * maxInFlight - 1 batches (running, or acknowledged since the last checkpoint write).
            int bound = kills * (2 * MAX_IN_FLIGHT - 1) * MAX_EVENTS;
            System.out.printf("seed %d: agent kill -9 x%d: %d events, %d duplicates (bound %d)%n", seed, kills, total, duplicates, bound);
            assertTrue(duplicates <= bound, "seed " + seed + ": " + duplicates + " duplicates, more than the batches in flight (" + bound + ")");
        }
    }

    @Test
    void kafkaClassesLoadOnlyWhenAKafkaDestinationIsConfigured() throws Exception {
        Path root = dir.resolve("root");
        Path log = Files.createDirectories(root.resolve("var/log/kubernetes/audit")).resolve("audit.log");
        AuditLines.append(log, AuditLines.events(0, 10));
        List<String> classLog = List.of("-Xlog:class+load=info:stdout");
        try (Receiver receiver = Receiver.start(); ShipProcess webhook = ShipProcess.start(webhookConfig(root, receiver.url()), root, dir, 0, classLog)) {
            assertEquals(10, receiver.awaitDistinct(10, WAIT), webhook::log);
            assertEquals(0, webhook.terminate(Duration.ofSeconds(30)), webhook::log);
        }
        String loaded = Files.readString(dir.resolve("ship-0.out"));
        assertTrue(loaded.contains("io.kubeaudit.ship.webhook.WebhookSink"), "the class log works");
        assertFalse(loaded.contains("org.apache.kafka") || loaded.contains("io.kubeaudit.ship.kafka"), "a webhook agent loaded Kafka classes");
    }

    /** Appends {@code total} numbered events, {@code chunk} every 50 ms (about 5000 a second). */
    private static void append(Path log, int total, int chunk) {
        try {
            for (int n = 0; n < total; n += chunk) {
                AuditLines.append(log, AuditLines.events(n, Math.min(chunk, total - n)));
                Thread.sleep(50);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Path config(Path root, String topic) throws IOException {
        Files.createDirectories(root);
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, """
                audit: {logPath: /var/log/kubernetes/audit/audit.log}
                ship:
                  stateDir: /var/lib/kube-audit-agent
                  memoryBudget: 16MiB
                  nodeName: cp-test
                  batch: {maxEvents: %d, maxBytes: 1MiB, maxWait: 100ms, maxInFlight: %d}
                  retry: {initialBackoff: 50ms, maxBackoff: 1s}
                  shutdownTimeout: 3s
                  destinations: [{name: bus, type: kafka, bootstrapServers: ["%s"], topic: %s, requestTimeout: 2s}]
                metrics: {listen: "127.0.0.1:0"}
                """.formatted(MAX_EVENTS, MAX_IN_FLIGHT, broker.bootstrapServers(), topic));
        return config;
    }

    private Path webhookConfig(Path root, String url) throws IOException {
        Files.createDirectories(root);
        Path config = dir.resolve("webhook.yaml");
        Files.writeString(config, """
                audit: {logPath: /var/log/kubernetes/audit/audit.log}
                ship:
                  stateDir: /var/lib/kube-audit-agent
                  destinations: [{name: siem, type: webhook, url: "%s"}]
                metrics: {listen: "127.0.0.1:0"}
                """.formatted(url));
        return config;
    }

    private static void createTopic(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(60, TimeUnit.SECONDS);
        }
    }

    private static void awaitRecords(String topic, long atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> tps = partitions(consumer, topic);
            while (System.nanoTime() < deadline) {
                if (consumer.endOffsets(tps).values().stream().mapToLong(Long::longValue).sum() >= atLeast) {
                    return;
                }
                Thread.sleep(50);
            }
        }
        throw new AssertionError("fewer than " + atLeast + " records in " + topic + " after " + WAIT.toSeconds() + " s");
    }

    /** auditID (the record key, checked against the value) to how many records carry it, once {@code expected} distinct are there. */
    private static Map<String, Integer> awaitDistinct(String topic, int expected) {
        Map<String, Integer> seen = new HashMap<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> tps = partitions(consumer, topic);
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    String key = new String(r.key(), StandardCharsets.UTF_8);
                    assertTrue(new String(r.value(), StandardCharsets.UTF_8).contains("\"auditID\":\"" + key + "\""), "key is the auditID");
                    seen.merge(key, 1, Integer::sum);
                }
                if (seen.size() >= expected) {
                    // Whatever else is already in the topic (a resend) counts too.
                    Map<TopicPartition, Long> end = consumer.endOffsets(tps);
                    while (tps.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                            seen.merge(new String(r.key(), StandardCharsets.UTF_8), 1, Integer::sum);
                        }
                    }
                    break;
                }
            }
        }
        return seen;
    }

    private static KafkaConsumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(Map.of("bootstrap.servers", broker.bootstrapServers(), "enable.auto.commit", "false"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        return consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    }
}
