package io.kubeaudit.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A Kafka topic as a destination ({@code type: kafka}): every event one record, value the event's JSON as the
 * webhook sends it, key its auditID. File settings are node paths ("" when not set).
 *
 * @param bootstrapServers {@code host:port} of some brokers; the client finds the rest
 * @param caFile           TLS: trust these CAs (PEM) instead of the JVM's; setting it (or {@code tls}) turns TLS on
 * @param certFile         TLS client certificate (PEM), with {@code keyFile}
 * @param sasl             SASL authentication, if the listener asks for it
 * @param requestTimeout   one produce request's bound; a send that has not completed after twice this is retried
 * @param properties       further producer properties passed to the client as they are (e.g. {@code linger.ms},
 *                         {@code client.id}); those the agent owns and any that would hold a secret are refused
 * @param maxEventBytes    larger events are trimmed (objects dropped) to stay below the broker's message limit
 */
public record KafkaConfig(String name, List<String> bootstrapServers, String topic, Compression compression, KeyChoice key,
                          boolean tls, String caFile, String certFile, String keyFile, Optional<Sasl> sasl,
                          Duration requestTimeout, Map<String, String> properties, long maxEventBytes) {

    /** Below the brokers' default {@code message.max.bytes} (1 MiB) with room for the record's key and headers. */
    public static final long DEFAULT_MAX_EVENT_BYTES = 1_000_000;

    public KafkaConfig {
        bootstrapServers = List.copyOf(bootstrapServers);
        properties = Map.copyOf(properties);
    }

    /**
     * Producer properties the agent sets itself: the delivery guarantees, the serialisers, the memory it counts
     * against ship.memoryBudget, and the security settings that come from the files.
     */
    static final Set<String> OWNED_PROPERTIES = Set.of("bootstrap.servers", "acks", "enable.idempotence", "transactional.id",
            "key.serializer", "value.serializer", "buffer.memory", "max.block.ms", "request.timeout.ms", "delivery.timeout.ms",
            "compression.type", "security.protocol", "sasl.mechanism", "sasl.jaas.config");

    /** Null when {@code key} may be set in {@code properties}, else why not. */
    static String propertyRefusal(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        if (OWNED_PROPERTIES.contains(k)) {
            return "is set by the agent";
        }
        if (k.contains("password") || k.contains("jaas") || k.startsWith("ssl.keystore") || k.startsWith("ssl.truststore")
                || k.startsWith("sasl.login") || k.startsWith("sasl.oauthbearer")) {
            return "would put a secret or a key store into the configuration; use caFile/certFile/keyFile and sasl.passwordFile";
        }
        return null;
    }

    /**
     * The producer's {@code buffer.memory}, taken from ship.memoryBudget: a quarter of it, at most the client's
     * default of 32 MiB; that holds several pipeline batches compressed, which is all one destination has in flight.
     */
    public static long bufferBytes(long memoryBudget) {
        return Math.min(32L << 20, memoryBudget / 4);
    }

    /** TLS is on when asked for or when any TLS file is set. */
    public boolean usesTls() {
        return tls || !caFile.isEmpty() || !certFile.isEmpty() || !keyFile.isEmpty();
    }

    /** Record batch compression; zstd keeps a long audit trail smallest on the brokers' disks. */
    public enum Compression {
        ZSTD("zstd"), LZ4("lz4"), GZIP("gzip"), NONE("none");

        private final String clientName;

        Compression(String clientName) {
            this.clientName = clientName;
        }

        /** The value of the client's {@code compression.type}. */
        public String clientName() {
            return clientName;
        }
    }

    /** The record key. */
    public enum KeyChoice {
        /** All stages of one request in one partition, in order. */
        AUDIT_ID,
        /** No key: records spread over partitions in sticky batches (no order between stages). */
        NONE
    }

    /**
     * SASL user and mechanism; the password is read from {@code passwordFile} each time the producer is made
     * (at start and after credentials were refused), so a rotated password needs no restart.
     */
    public record Sasl(Mechanism mechanism, String username, String passwordFile) {
    }

    public enum Mechanism {
        PLAIN("PLAIN", "org.apache.kafka.common.security.plain.PlainLoginModule"),
        SCRAM_SHA_256("SCRAM-SHA-256", "org.apache.kafka.common.security.scram.ScramLoginModule"),
        SCRAM_SHA_512("SCRAM-SHA-512", "org.apache.kafka.common.security.scram.ScramLoginModule");

        private final String clientName;
        private final String loginModule;

        Mechanism(String clientName, String loginModule) {
            this.clientName = clientName;
            this.loginModule = loginModule;
        }

        /** The value of {@code sasl.mechanism} (also what the config file says). */
        public String clientName() {
            return clientName;
        }

        public String loginModule() {
            return loginModule;
        }
    }
}
