package io.kubeaudit.config;

import io.kubeaudit.yaml.InvalidInputException;
import io.kubeaudit.yaml.YamlMapping;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Reads a {@code type: kafka} destination, refusing what the client or the broker would refuse later (a server
 * without a port, a topic name Kafka does not allow, a property the agent owns), with the file, line and column.
 */
final class KafkaConfigReader {

    /** Kafka's own rule for topic names (Topic.validate): ASCII letters, digits, '.', '_' and '-', at most 249. */
    private static final String TOPIC = "[a-zA-Z0-9._-]{1,249}";

    private KafkaConfigReader() {
    }

    static KafkaConfig read(YamlMapping m, String name) throws InvalidInputException {
        List<String> servers = bootstrapServers(m);
        String topic = m.string("topic").orElseThrow(() -> m.error(m.node(), m.path() + ".topic is required"));
        if (!topic.matches(TOPIC) || topic.equals(".") || topic.equals("..")) {
            throw m.error(m.value("topic").orElseThrow(), m.child("topic") + " \"" + topic
                    + "\" is not a Kafka topic name: up to 249 of the letters a-z and A-Z, digits, '.', '_' and '-'");
        }
        KafkaConfig.Compression compression = choice(m, "compression", KafkaConfig.Compression.ZSTD, KafkaConfig.Compression.values());
        KafkaConfig.KeyChoice key = m.string("key").map(k -> k.equals("auditID") ? KafkaConfig.KeyChoice.AUDIT_ID
                : k.equals("none") ? KafkaConfig.KeyChoice.NONE : null).orElse(KafkaConfig.KeyChoice.AUDIT_ID);
        if (key == null) {
            throw m.error(m.value("key").orElseThrow(), m.child("key") + " must be auditID or none");
        }
        String caFile = m.string("caFile").orElse("");
        String certFile = m.string("certFile").orElse("");
        String keyFile = m.string("keyFile").orElse("");
        if (certFile.isEmpty() != keyFile.isEmpty()) {
            throw m.error(m.node(), m.path() + ": certFile and keyFile go together (a client certificate and its key)");
        }
        Duration requestTimeout = ConfigLoader.duration(m, "requestTimeout", Duration.ofSeconds(30));
        if (requestTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw m.error(m.value("requestTimeout").orElseThrow(), m.child("requestTimeout") + " must be at least 1s");
        }
        long maxEventBytes = ConfigLoader.size(m, "maxEventBytes", KafkaConfig.DEFAULT_MAX_EVENT_BYTES);
        if (maxEventBytes < 1024) {
            throw m.error(m.value("maxEventBytes").orElseThrow(), m.child("maxEventBytes") + " must be at least 1KiB (an audit event is rarely smaller)");
        }
        KafkaConfig c = new KafkaConfig(name, servers, topic, compression, key, m.bool("tls").orElse(false), caFile, certFile, keyFile,
                sasl(m), requestTimeout, properties(m), maxEventBytes);
        m.finish();
        return c;
    }

    /** A list of {@code host:port}, or one string of them separated by commas (as the client's property takes them). */
    private static List<String> bootstrapServers(YamlMapping m) throws InvalidInputException {
        Node node = m.value("bootstrapServers").orElseThrow(() -> m.error(m.node(), m.path() + ".bootstrapServers is required"));
        List<String> servers = new ArrayList<>();
        if (node instanceof ScalarNode s && !YamlMapping.isNull(node)) {
            for (String part : s.getValue().split(",")) {
                servers.add(part.trim());
            }
        } else {
            servers.addAll(m.strings("bootstrapServers").orElseThrow());
        }
        for (String server : servers) {
            int colon = server.lastIndexOf(':');
            String port = colon < 0 ? "" : server.substring(colon + 1);
            if (colon <= 0 || !port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
                throw m.error(node, m.child("bootstrapServers") + ": \"" + server + "\" is not host:port (e.g. kafka-1.example:9093)");
            }
        }
        if (servers.isEmpty()) {
            throw m.error(node, m.child("bootstrapServers") + " must name at least one broker");
        }
        return servers;
    }

    private static Optional<KafkaConfig.Sasl> sasl(YamlMapping parent) throws InvalidInputException {
        Optional<YamlMapping> s = parent.mapping("sasl");
        if (s.isEmpty()) {
            return Optional.empty();
        }
        YamlMapping m = s.get();
        String mechanism = m.string("mechanism").orElseThrow(() -> m.error(m.node(), m.path() + ".mechanism is required (PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512)"));
        KafkaConfig.Mechanism found = null;
        for (KafkaConfig.Mechanism candidate : KafkaConfig.Mechanism.values()) {
            if (candidate.clientName().equals(mechanism)) {
                found = candidate;
            }
        }
        if (found == null) {
            throw m.error(m.value("mechanism").orElseThrow(), m.child("mechanism") + " must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512, found \"" + mechanism + "\"");
        }
        String username = m.string("username").orElseThrow(() -> m.error(m.node(), m.path() + ".username is required"));
        String passwordFile = m.string("passwordFile").orElseThrow(() -> m.error(m.node(), m.path()
                + ".passwordFile is required (the password on one line; never in this file)"));
        m.finish();
        return Optional.of(new KafkaConfig.Sasl(found, username, passwordFile));
    }

    private static Map<String, String> properties(YamlMapping parent) throws InvalidInputException {
        Optional<YamlMapping> p = parent.mapping("properties");
        Map<String, String> out = new LinkedHashMap<>();
        if (p.isEmpty()) {
            return out;
        }
        YamlMapping m = p.get();
        for (String key : m.keys()) {
            String refusal = KafkaConfig.propertyRefusal(key);
            if (refusal != null) {
                throw m.error(m.keyNode(key), m.child(key) + " " + refusal);
            }
            out.put(key, m.string(key).orElseThrow(() -> m.error(m.keyNode(key), m.child(key) + " needs a value")));
        }
        String linger = out.get("linger.ms");
        if (linger != null && !linger.matches("[0-9]{1,9}")) {
            throw m.error(m.value("linger.ms").orElseThrow(), m.child("linger.ms") + " must be a number of milliseconds");
        }
        m.finish();
        return out;
    }

    private static <E extends Enum<E>> E choice(YamlMapping m, String key, E def, E[] values) throws InvalidInputException {
        Optional<String> v = m.string(key);
        if (v.isEmpty()) {
            return def;
        }
        for (E e : values) {
            if (e.name().toLowerCase(Locale.ROOT).equals(v.get())) {
                return e;
            }
        }
        List<String> names = new ArrayList<>();
        for (E e : values) {
            names.add(e.name().toLowerCase(Locale.ROOT));
        }
        throw m.error(m.value(key).orElseThrow(), m.child(key) + " must be one of " + String.join(", ", names) + ", found \"" + v.get() + "\"");
    }
}
