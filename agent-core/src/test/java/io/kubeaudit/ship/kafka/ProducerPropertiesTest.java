package io.kubeaudit.ship.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.config.KafkaConfig;
import io.kubeaudit.node.NodePaths;
import io.kubeaudit.ship.sink.SinkSetupException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProducerPropertiesTest {

    @TempDir
    Path root;

    private static KafkaConfig config(boolean tls, KafkaConfig.Sasl sasl, Map<String, String> properties) {
        return new KafkaConfig("bus", List.of("k1:9093", "k2:9093"), "audit", KafkaConfig.Compression.LZ4, KafkaConfig.KeyChoice.AUDIT_ID,
                tls, "", "", "", sasl, Duration.ofSeconds(10), properties, 500_000);
    }

    @Test
    void deliveryIsIdempotentWithEveryReplicaAndBoundedInTime() throws Exception {
        Map<String, Object> p = ProducerProperties.of(config(false, KafkaConfig.Sasl.none(), Map.of("linger.ms", "20")), NodePaths.of(root.toString()), 8 << 20);
        assertEquals("k1:9093,k2:9093", p.get("bootstrap.servers"));
        assertEquals("all", p.get("acks"));
        assertEquals("true", p.get("enable.idempotence"));
        assertEquals("lz4", p.get("compression.type"));
        assertEquals(Long.toString(8 << 20), p.get("buffer.memory"));
        assertEquals("10000", p.get("request.timeout.ms"));
        assertEquals("10000", p.get("max.block.ms"));
        assertEquals("20020", p.get("delivery.timeout.ms"), "two requests and the linger");
        assertEquals(Long.toString(1024 * 1024), p.get("max.request.size"), "at least the client's default");
        assertEquals("PLAINTEXT", p.get("security.protocol"));
        assertEquals("20", p.get("linger.ms"));
    }

    @Test
    void theSaslPasswordComesFromItsFileQuotedForJaas() throws Exception {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/pw"), "s3\"cr\\et\n");
        KafkaConfig c = config(true, new KafkaConfig.Sasl(KafkaConfig.Mechanism.SCRAM_SHA_256, "agent", "/etc/pw"), Map.of());
        Map<String, Object> p = ProducerProperties.of(c, NodePaths.of(root.toString()), 8 << 20);
        assertEquals("SASL_SSL", p.get("security.protocol"));
        assertEquals("SCRAM-SHA-256", p.get("sasl.mechanism"));
        assertEquals("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"agent\" password=\"s3\\\"cr\\\\et\";",
                p.get("sasl.jaas.config"));
    }

    @Test
    void anUnreadableOrMultiLinePasswordFileIsNamedNeverShown() throws Exception {
        KafkaConfig missing = config(false, new KafkaConfig.Sasl(KafkaConfig.Mechanism.PLAIN, "agent", "/etc/none"), Map.of());
        String m = assertThrows(SinkSetupException.class, () -> ProducerProperties.of(missing, NodePaths.of(root.toString()), 1 << 20)).getMessage();
        assertTrue(m.contains("cannot read sasl.passwordFile") && m.contains("/etc/none"), m);
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/two"), "first-secret\nsecond\n");
        KafkaConfig twoLines = config(false, new KafkaConfig.Sasl(KafkaConfig.Mechanism.PLAIN, "agent", "/etc/two"), Map.of());
        m = assertThrows(SinkSetupException.class, () -> ProducerProperties.of(twoLines, NodePaths.of(root.toString()), 1 << 20)).getMessage();
        assertTrue(m.contains("one line"), m);
        assertFalse(m.contains("first-secret"), m);
    }
}
