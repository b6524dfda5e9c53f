package io.kubeaudit.ship;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The annotations the agent adds to every event, pre-encoded once as the inside of a JSON object
 * ({@code "k":"v","k2":"v2"}), plus the API server's truncation marker for trimmed events.
 */
final class Annotations {

    static final String NODE = "kube-audit-agent/node";
    static final String CLUSTER = "kube-audit-agent/cluster";
    /** The key and value the API server's own truncating backend adds. */
    static final String TRUNCATED = "audit.k8s.io/truncated";

    private final byte[] members;
    private final byte[] membersWhenTrimmed;

    private Annotations(Map<String, String> values) {
        this.members = encode(values);
        Map<String, String> trimmed = new LinkedHashMap<>(values);
        trimmed.put(TRUNCATED, "true");
        this.membersWhenTrimmed = encode(trimmed);
    }

    /** "Where was it observed": the node always, the cluster when configured. */
    static Annotations of(String nodeName, String clusterName) {
        Map<String, String> values = new LinkedHashMap<>();
        if (!nodeName.isEmpty()) {
            values.put(NODE, nodeName);
        }
        if (!clusterName.isEmpty()) {
            values.put(CLUSTER, clusterName);
        }
        return new Annotations(values);
    }

    /** The members to insert, without braces; empty when there is nothing to add. */
    byte[] members(boolean trimmed) {
        return trimmed ? membersWhenTrimmed : members;
    }

    private static byte[] encode(Map<String, String> values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonStringEncoder enc = JsonStringEncoder.getInstance();
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (out.size() > 0) {
                out.write(',');
            }
            out.write('"');
            out.writeBytes(enc.quoteAsUTF8(e.getKey()));
            out.writeBytes("\":\"".getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(enc.quoteAsUTF8(e.getValue()));
            out.write('"');
        }
        return out.toByteArray();
    }
}
