package io.kubeaudit.ship;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** Numbered audit events shaped like the API server writes them (annotations last), so receivers can count auditIDs. */
final class AuditLines {

    private AuditLines() {
    }

    static String id(int n) {
        return String.format("00000000-0000-4000-8000-%012d", n);
    }

    /** A Metadata ResponseComplete event (~700 bytes) whose last member is annotations. */
    static byte[] event(int n) {
        return ("{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Metadata\",\"auditID\":\"" + id(n) + "\","
                + "\"stage\":\"ResponseComplete\",\"requestURI\":\"/api/v1/namespaces/default/configmaps/cm-" + n + "\",\"verb\":\"get\","
                + "\"user\":{\"username\":\"system:serviceaccount:kube-system:generic-garbage-collector\",\"uid\":\"5f0c5c4a-2d7e-4c59-9d6b-7a1e0c2b3d4e\","
                + "\"groups\":[\"system:serviceaccounts\",\"system:serviceaccounts:kube-system\",\"system:authenticated\"]},"
                + "\"sourceIPs\":[\"10.0.0.12\"],\"userAgent\":\"kube-controller-manager/v1.29.2 (linux/amd64) kubernetes/4b8e819/system:serviceaccount:kube-system:generic-garbage-collector\","
                + "\"objectRef\":{\"resource\":\"configmaps\",\"namespace\":\"default\",\"name\":\"cm-" + n + "\",\"apiVersion\":\"v1\"},"
                + "\"responseStatus\":{\"metadata\":{},\"code\":200},\"requestReceivedTimestamp\":\"2026-11-26T12:00:00.000001Z\","
                + "\"stageTimestamp\":\"2026-11-26T12:00:00.001234Z\",\"annotations\":{\"authorization.k8s.io/decision\":\"allow\","
                + "\"authorization.k8s.io/reason\":\"RBAC: allowed by ClusterRoleBinding \\\"system:controller:generic-garbage-collector\\\"\"}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** A RequestReceived event: no annotations member at all. */
    static byte[] eventWithoutAnnotations(int n) {
        return ("{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Metadata\",\"auditID\":\"" + id(n) + "\","
                + "\"stage\":\"RequestReceived\",\"requestURI\":\"/api/v1/pods\",\"verb\":\"list\",\"user\":{\"username\":\"admin\"},"
                + "\"requestReceivedTimestamp\":\"2026-11-26T12:00:00.000001Z\",\"stageTimestamp\":\"2026-11-26T12:00:00.000001Z\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** A RequestResponse event whose request and response objects carry {@code objectBytes} of data each. */
    static byte[] largeEvent(int n, int objectBytes) {
        String data = "x".repeat(objectBytes);
        return ("{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"RequestResponse\",\"auditID\":\"" + id(n) + "\","
                + "\"stage\":\"ResponseComplete\",\"requestURI\":\"/api/v1/namespaces/default/configmaps\",\"verb\":\"create\","
                + "\"user\":{\"username\":\"admin\"},\"objectRef\":{\"resource\":\"configmaps\",\"namespace\":\"default\",\"name\":\"big\"},"
                + "\"responseStatus\":{\"metadata\":{},\"code\":201},"
                + "\"requestObject\":{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"big\",\"annotations\":{\"a\":\"b\"}},\"data\":{\"blob\":\"" + data + "\"}},"
                + "\"responseObject\":{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"big\"},\"data\":{\"blob\":\"" + data + "\"}},"
                + "\"requestReceivedTimestamp\":\"2026-11-26T12:00:00.000001Z\",\"stageTimestamp\":\"2026-11-26T12:00:00.001234Z\","
                + "\"annotations\":{\"authorization.k8s.io/decision\":\"allow\"}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    static List<byte[]> events(int from, int count) {
        List<byte[]> lines = new ArrayList<>(count);
        for (int i = from; i < from + count; i++) {
            lines.add(i % 10 == 0 ? eventWithoutAnnotations(i) : event(i));
        }
        return lines;
    }

    static void append(Path file, List<byte[]> lines) throws IOException {
        StringBuilder text = new StringBuilder();
        for (byte[] l : lines) {
            text.append(new String(l, StandardCharsets.UTF_8)).append('\n');
        }
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
