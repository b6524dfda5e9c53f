package io.kubeaudit.ship.opensearch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The composable index template ({@code PUT _index_template/NAME}, OpenSearch 1+ and Elasticsearch 7.8+) the
 * OpenSearch destination installs, from {@code opensearch/mappings.json}.
 *
 * <p>Mapping explosion is how audit trails break in a search engine: {@code requestObject} and
 * {@code responseObject} carry whole Kubernetes objects, so dynamic mapping adds a field per key (a ConfigMap's
 * data keys, managedFields' {@code "."} keys, which are refused outright) and meets type conflicts ({@code status}
 * is a string in a Status and an object in a Pod). The template therefore maps the event's own fields explicitly
 * (keywords, dates, IPs, the response code as a number, each with {@code ignore_above} or {@code ignore_malformed}
 * so that no value of theirs can refuse an event) and the four open-ended objects as one field each; anything else
 * is kept in {@code _source} unindexed ({@code dynamic: false}), so no event can add a mapping.
 */
public final class IndexTemplate {

    /** Raised whenever the mapping changes, so that an agent upgrade replaces a template it installed itself. */
    public static final int VERSION = 1;
    /**
     * Above the built-in templates (Elasticsearch's {@code logs-*-*} has 100) so that ours wins for its patterns;
     * an operator's template for the same patterns needs another priority (both servers refuse two at one priority).
     */
    public static final int PRIORITY = 200;

    static final String MANAGED_BY = "managed_by";
    static final String AGENT = "kube-audit-agent";
    static final String FINGERPRINT = "fingerprint";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper SORTED = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    private static final String OPEN_ENDED = "open-ended";
    private static final ObjectNode MAPPINGS = load();

    private IndexTemplate() {
    }

    /** The mappings alone, with the open-ended objects as {@code objects} maps them. */
    public static ObjectNode mappings(OpenEndedObjects objects) {
        ObjectNode mappings = MAPPINGS.deepCopy();
        replaceOpenEnded(mappings, objects.mapping());
        return mappings;
    }

    /**
     * The whole template body for these index patterns; {@code _meta} marks it as ours and carries the
     * fingerprint of the rest, by which {@link TemplateCheck} later tells whether anyone changed it.
     *
     * @param dataStreamTimestamp the data stream's timestamp field (OpenSearch), or empty for indexes
     */
    public static ObjectNode body(List<String> indexPatterns, OpenEndedObjects objects, Optional<String> dataStreamTimestamp) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode patterns = body.putArray("index_patterns");
        indexPatterns.forEach(patterns::add);
        body.put("priority", PRIORITY);
        body.put("version", VERSION);
        dataStreamTimestamp.ifPresent(field -> body.putObject("data_stream").putObject("timestamp_field").put("name", field));
        body.putObject("template").set("mappings", mappings(objects));
        body.putObject("_meta")
                .put(MANAGED_BY, AGENT)
                .put(FINGERPRINT, fingerprint(body))
                .put("open_ended_objects", objects.name())
                .put("about", "installed by kube-audit-agent; change it and the agent leaves it alone (and says so)");
        return body;
    }

    /**
     * SHA-256 of the template without {@code _meta}, its keys sorted: the server hands a template back as it was
     * put, plus an empty {@code composed_of}, which is dropped, so an untouched template has the fingerprint its
     * {@code _meta} recorded.
     */
    static String fingerprint(JsonNode template) {
        Map<String, Object> tree = new TreeMap<>(JSON.convertValue(template, new TypeReference<Map<String, Object>>() { }));
        tree.remove("_meta");
        if (tree.get("composed_of") instanceof List<?> l && l.isEmpty()) {
            tree.remove("composed_of");
        }
        try {
            byte[] canonical = SORTED.writeValueAsBytes(tree);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot fingerprint a JSON tree", e);
        }
    }

    private static void replaceOpenEnded(JsonNode node, JsonNode replacement) {
        if (!node.isObject()) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode value = field.getValue();
            if (value.isObject() && OPEN_ENDED.equals(value.path("type").asText())) {
                field.setValue(replacement.deepCopy());
            } else {
                replaceOpenEnded(value, replacement);
            }
        }
    }

    private static ObjectNode load() {
        String resource = "/opensearch/mappings.json";
        try (InputStream in = IndexTemplate.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks " + resource);
            }
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
