package io.kubeaudit.ship.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

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

    private static final ObjectMapper JSON = new ObjectMapper();
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

    /** The whole template body for these index patterns. */
    public static ObjectNode body(List<String> indexPatterns, OpenEndedObjects objects) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode patterns = body.putArray("index_patterns");
        indexPatterns.forEach(patterns::add);
        body.put("priority", PRIORITY);
        body.put("version", VERSION);
        body.putObject("template").set("mappings", mappings(objects));
        body.putObject("_meta").put("managed_by", "kube-audit-agent").put("open_ended_objects", objects.name());
        return body;
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
