package io.kubeaudit.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.yaml.InvalidInputException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaConfigTest {

    private static KafkaConfig kafka(String destination) throws InvalidInputException {
        AgentConfig c = ConfigLoader.parse("config.yaml", "ship:\n  destinations:\n    - " + destination.replace("\n", "\n      ") + "\n");
        DestinationConfig d = c.ship().destinations().get(0);
        assertEquals("kafka", d.type());
        return d.kafka().orElseThrow();
    }

    private static String refusal(String destination) {
        return assertThrows(InvalidInputException.class,
                () -> ConfigLoader.parse("config.yaml", "ship:\n  destinations:\n    - " + destination.replace("\n", "\n      ") + "\n")).getMessage();
    }

    @Test
    void theDefaultsAreZstdKeyedByAuditIdBelowTheBrokersMessageLimit() throws Exception {
        KafkaConfig k = kafka("name: bus\ntype: kafka\nbootstrapServers: [kafka-1:9092, kafka-2:9092]\ntopic: k8s-audit");
        assertEquals(new KafkaConfig("bus", List.of("kafka-1:9092", "kafka-2:9092"), "k8s-audit", KafkaConfig.Compression.ZSTD,
                KafkaConfig.KeyChoice.AUDIT_ID, false, "", "", "", KafkaConfig.Sasl.none(), Duration.ofSeconds(30), Map.of(), 1_000_000), k);
        assertTrue(!k.usesTls());
    }

    @Test
    void everySettingIsRead() throws Exception {
        KafkaConfig k = kafka("name: bus\ntype: kafka\nbootstrapServers: [\"a:9093\", \"b:9093\"]\ntopic: audit.v1\ncompression: lz4\nkey: none\n"
                + "caFile: /etc/ca.pem\nsasl: {mechanism: SCRAM-SHA-512, username: agent, passwordFile: /etc/pw}\nrequestTimeout: 5s\n"
                + "maxEventBytes: 512KiB\nproperties: {linger.ms: \"20\", client.id: node-a}");
        assertEquals(List.of("a:9093", "b:9093"), k.bootstrapServers());
        assertEquals(KafkaConfig.Compression.LZ4, k.compression());
        assertEquals(KafkaConfig.KeyChoice.NONE, k.key());
        assertTrue(k.usesTls());
        assertEquals(new KafkaConfig.Sasl(KafkaConfig.Mechanism.SCRAM_SHA_512, "agent", "/etc/pw"), k.sasl());
        assertEquals(Duration.ofSeconds(5), k.requestTimeout());
        assertEquals(512 * 1024, k.maxEventBytes());
        assertEquals(Map.of("linger.ms", "20", "client.id", "node-a"), k.properties());
    }

    @Test
    void whatTheClientOrBrokerWouldRefuseIsRefusedAtStartWithItsPlace() {
        String base = "name: bus\ntype: kafka\n";
        assertTrue(refusal(base + "topic: t").contains("bootstrapServers is required"));
        assertTrue(refusal(base + "bootstrapServers: [kafka-1]\ntopic: t").contains("each as host:port"));
        String m = refusal(base + "bootstrapServers: [k:9092]\ntopic: \"audit log\"");
        assertTrue(m.contains("config.yaml:6:14") && m.contains("must be a Kafka topic name"), m);
        assertTrue(refusal(base + "bootstrapServers: [k:9092]\ntopic: t\ncompression: snappy").contains("must be zstd or lz4 or gzip or none"));
        assertTrue(refusal(base + "bootstrapServers: [k:9092]\ntopic: t\ncertFile: /c.pem").contains("certFile and keyFile go together"));
        assertTrue(refusal(base + "bootstrapServers: [k:9092]\ntopic: t\nsasl: {mechanism: GSSAPI, username: a, passwordFile: /p}")
                .contains("must be none or PLAIN or SCRAM-SHA-256 or SCRAM-SHA-512"));
        assertTrue(refusal(base + "bootstrapServers: [k:9092]\ntopic: t\nsasl: {mechanism: PLAIN, username: a}").contains("needs username and passwordFile"));
        assertTrue(refusal(base + "bootstrapServers: [k:9092]\ntopic: t\nproperties: {acks: \"1\"}").contains("must not set what the agent owns"));
        assertTrue(refusal(base + "bootstrapServers: [k:9092]\ntopic: t\nproperties: {ssl.key.password: x}").contains("secret"));
        assertTrue(refusal(base + "bootstrapServers: [k:9092]\ntopic: t\nurl: http://x").contains("url"));
    }

    @Test
    void theProducerBufferIsAQuarterOfTheBudgetAtMostTheClientsDefault() {
        assertEquals(16L << 20, KafkaConfig.bufferBytes(64L << 20));
        assertEquals(32L << 20, KafkaConfig.bufferBytes(1L << 30));
    }
}
