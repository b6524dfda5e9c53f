package io.kubeaudit.ship.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * How the index template maps {@code requestObject}, {@code responseObject}, {@code annotations} and
 * {@code user.extra}: one field each, whatever keys they hold, in the type the server has for that.
 */
public enum OpenEndedObjects {

    /** OpenSearch 2.7+: every leaf searchable by its dotted path; no parameters (2.19 has no ignore_above). */
    FLAT_OBJECT("{\"type\":\"flat_object\"}"),
    /**
     * Elasticsearch 7.3+ (not the OSS build): leaves as keywords. ignore_above keeps a long value (a
     * last-applied-configuration annotation) from refusing the event at Lucene's 32766-byte term limit; the
     * default depth limit of 20 is below a CustomResourceDefinition's schema.
     */
    FLATTENED("{\"type\":\"flattened\",\"ignore_above\":8191,\"depth_limit\":1000}"),
    /** Servers with neither: kept whole in _source, not searchable, never a mapping. */
    STORED_ONLY("{\"type\":\"object\",\"enabled\":false}");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String mapping;

    OpenEndedObjects(String mapping) {
        this.mapping = mapping;
    }

    ObjectNode mapping() {
        try {
            return (ObjectNode) JSON.readTree(mapping);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("mapping constant is not JSON: " + mapping, e);
        }
    }

    /**
     * From the answer to {@code GET /}: {@code version.distribution} is "opensearch" on OpenSearch and absent on
     * Elasticsearch, whose OSS builds say {@code build_flavor: oss}.
     */
    public static OpenEndedObjects forServer(JsonNode root) {
        JsonNode version = root.path("version");
        int[] number = majorMinor(version.path("number").asText(""));
        if ("opensearch".equals(version.path("distribution").asText())) {
            // 7.10.2 here is compatibility.override_main_response_version hiding the real version: assume nothing.
            return number[0] == 2 && number[1] >= 7 || number[0] >= 3 && number[0] < 7 ? FLAT_OBJECT : STORED_ONLY;
        }
        boolean flattened = number[0] > 7 || number[0] == 7 && number[1] >= 3;
        return flattened && !"oss".equals(version.path("build_flavor").asText()) ? FLATTENED : STORED_ONLY;
    }

    private static int[] majorMinor(String number) {
        String[] parts = number.split("[.-]");
        try {
            return new int[] {Integer.parseInt(parts[0]), parts.length > 1 ? Integer.parseInt(parts[1]) : 0};
        } catch (NumberFormatException e) {
            return new int[] {0, 0};
        }
    }
}
