package io.kubeaudit.ship.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.ship.sink.AuditFields;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class AuditIdKeyTest {

    private static final List<String> CORPUS = List.of(
            "real-kube-apiserver-v1.20.2-lab/audit.log",
            "real-kube-apiserver-v1.20.2-lab/audit-2026-11-26T12-26-59.812.log.gz",
            "elastic-integrations-test-audit-mixed-native-gke-aks-lines.log",
            "audit2rbac-demo-v1beta1-k8s1.8-raw.log",
            "falco-trace-create-privileged-pod-v1beta1-RequestResponse.json");

    @Test
    void theKeyIsTheTopLevelAuditIdOfEveryCorpusEvent() throws IOException {
        int events = 0;
        for (String name : CORPUS) {
            for (byte[] line : lines(name)) {
                String expected = AuditFields.read(line).auditID();
                byte[] key = AuditIdKey.of(line);
                if (expected.isEmpty()) {
                    assertNull(key, name);
                } else {
                    assertEquals(expected, new String(key, StandardCharsets.UTF_8), name);
                }
                events++;
            }
        }
        assertTrue(events > 1000, "corpus events read: " + events);
    }

    @Test
    void anAuditIdInsideAnObjectIsNotTheKey() {
        byte[] nested = "{\"kind\":\"Event\",\"requestObject\":{\"auditID\":\"inner\"},\"auditID\":\"outer\"}".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals("outer".getBytes(StandardCharsets.UTF_8), AuditIdKey.of(nested));
        assertNull(AuditIdKey.of("{\"kind\":\"Event\",\"requestObject\":{\"auditID\":\"inner\"}}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void noKeyForAnEmptyOrNonStringAuditId() {
        assertNull(AuditIdKey.of("{\"auditID\":\"\"}".getBytes(StandardCharsets.UTF_8)));
        assertNull(AuditIdKey.of("{\"auditID\":42}".getBytes(StandardCharsets.UTF_8)));
        assertNull(AuditIdKey.of("[\"auditID\"]".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anEscapedAuditIdIsDecoded() {
        assertArrayEquals("a\"b".getBytes(StandardCharsets.UTF_8), AuditIdKey.of("{\"auditID\":\"a\\\"b\"}".getBytes(StandardCharsets.UTF_8)));
    }

    private static List<byte[]> lines(String name) throws IOException {
        try (InputStream raw = AuditIdKeyTest.class.getResourceAsStream("/corpus/auditlogs/" + name)) {
            InputStream in = name.endsWith(".gz") ? new GZIPInputStream(raw) : raw;
            List<byte[]> lines = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    lines.add(line.getBytes(StandardCharsets.UTF_8));
                }
            }
            return lines;
        }
    }
}
