package io.kubeaudit.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
                          boolean tls, String caFile, String certFile, String keyFile, Sasl sasl,
                          Duration requestTimeout, Map<String, String> properties, long maxEventBytes) {

    /** Below the brokers' default {@code message.max.bytes} (1 MiB) with room for the record's key and headers. */
    public static final long DEFAULT_MAX_EVENT_BYTES = 1_000_000;
    /** Kafka's own rule for topic names (Topic.validate): ASCII letters, digits, '.', '_' and '-', at most 249. */
    private static final String TOPIC_NAME = "[a-zA-Z0-9._-]{1,249}";
    /**
     * Producer properties the agent sets itself: the delivery guarantees, the serialisers, the memory it counts
     * against ship.memoryBudget, and the security settings that come from the files.
     */
    static final Set<String> OWNED_PROPERTIES = Set.of("bootstrap.servers", "acks", "enable.idempotence", "transactional.id",
            "key.serializer", "value.serializer", "buffer.memory", "max.block.ms", "request.timeout.ms", "delivery.timeout.ms",
            "compression.type", "security.protocol", "sasl.mechanism", "sasl.jaas.config");

    static final Setting<List<String>> BOOTSTRAP_SERVERS = Setting.required("bootstrapServers", Types.STRING_LIST,
                    "host:port of some brokers; the client finds the others")
            .check(servers -> !servers.isEmpty() && servers.stream().allMatch(KafkaConfig::isHostPort),
                    "must name at least one broker, each as host:port (e.g. kafka-1.example:9093)");
    static final Setting<String> TOPIC = Setting.required("topic", Types.STRING, "the topic every event goes to, one record each")
            .check(t -> t.matches(TOPIC_NAME) && !t.equals(".") && !t.equals(".."),
                    "must be a Kafka topic name: up to 249 of the letters a-z and A-Z, digits, '.', '_' and '-'");
    static final Setting<Compression> COMPRESSION = Setting.of("compression", Types.lowerCaseEnum(Compression.class), Compression.ZSTD,
            "record batch compression: zstd keeps a long audit trail smallest on the brokers' disks, lz4 costs the least CPU");
    static final Setting<KeyChoice> KEY = Setting.of("key", Types.choice(k -> k == KeyChoice.AUDIT_ID ? "auditID" : "none",
                    Types.Matching.EXACT, KeyChoice.values()), KeyChoice.AUDIT_ID,
            "auditID: every stage of one request in one partition, in order; none: records spread without a key");
    static final Setting<Boolean> TLS = Setting.of("tls", Types.BOOLEAN, false,
            "TLS with the JVM's trusted CAs; caFile, certFile and keyFile turn it on too");
    static final Setting<String> CA_FILE = Setting.of("caFile", Types.STRING, "", "PEM CA bundle for the brokers' certificates")
            .shownAs("the JDK trust store");
    static final Setting<String> CERT_FILE = Setting.of("certFile", Types.STRING, "",
            "PEM client certificate chain (with keyFile: both or neither)").shownAs("none");
    static final Setting<String> KEY_FILE = Setting.of("keyFile", Types.STRING, "",
            "PEM client key, not encrypted: PKCS#8, PKCS#1 or SEC1, as for the HTTP destinations").shownAs("none");
    static final Setting<Sasl> SASL = Setting.section("sasl", Sasl.SETTINGS);
    static final Setting<Duration> REQUEST_TIMEOUT = Setting.of("requestTimeout", Types.DURATION, Duration.ofSeconds(30),
                    "one produce request's bound; a record not completed after twice this goes back through the shared backoff")
            .check(d -> d.compareTo(Duration.ofSeconds(1)) >= 0, "must be at least 1s");
    static final Setting<Long> MAX_EVENT_BYTES = Setting.of("maxEventBytes", Types.SIZE, DEFAULT_MAX_EVENT_BYTES,
                    "a larger event is trimmed the API server's way; below the brokers' default message.max.bytes (1 MiB)")
            .check(bytes -> bytes >= 1024, "must be at least 1KiB (an audit event is rarely smaller)");
    static final Setting<Map<String, String>> PROPERTIES = Setting.of("properties", Types.STRING_MAP, Map.of(),
                    "further producer properties passed to the client as they are (linger.ms, client.id, ...)")
            .check(p -> p.keySet().stream().allMatch(k -> propertyRefusal(k) == null) && p.getOrDefault("linger.ms", "5").matches("[0-9]{1,9}"),
                    "must not set what the agent owns (" + String.join(", ", new java.util.TreeSet<>(OWNED_PROPERTIES))
                            + ") or anything holding a secret (passwords, JAAS, key stores); linger.ms a number");

    /** The {@code type: kafka} table. */
    static final Section<DestinationConfig> TABLE = Section.of("ship.destinations[] (type: kafka)",
                    "A Kafka topic: one record per event, value the event as the webhook sends it, key its auditID (docs/kafka.md).",
                    v -> DestinationConfig.of(new KafkaConfig(v.get(DestinationConfig.NAME), v.get(BOOTSTRAP_SERVERS), v.get(TOPIC),
                            v.get(COMPRESSION), v.get(KEY), v.get(TLS), v.get(CA_FILE), v.get(CERT_FILE), v.get(KEY_FILE), v.get(SASL),
                            v.get(REQUEST_TIMEOUT), v.get(PROPERTIES), v.get(MAX_EVENT_BYTES))),
                    DestinationConfig.NAME, DestinationConfig.TYPE, BOOTSTRAP_SERVERS, TOPIC, COMPRESSION, KEY, TLS, CA_FILE, CERT_FILE,
                    KEY_FILE, SASL, REQUEST_TIMEOUT, MAX_EVENT_BYTES, PROPERTIES)
            .rule(v -> v.get(CERT_FILE).isEmpty() == v.get(KEY_FILE).isEmpty(), CERT_FILE, "certFile and keyFile go together",
                    (path, v) -> path + ": certFile and keyFile go together (a client certificate and its key)");

    private static boolean isHostPort(String server) {
        int colon = server.lastIndexOf(':');
        String port = colon < 0 ? "" : server.substring(colon + 1);
        return colon > 0 && port.matches("[0-9]{1,5}") && Integer.parseInt(port) >= 1 && Integer.parseInt(port) <= 65535;
    }

    public KafkaConfig {
        bootstrapServers = List.copyOf(bootstrapServers);
        properties = Map.copyOf(properties);
    }


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
     * SASL user and mechanism ({@link Mechanism#NONE}: no SASL); the password is read from {@code passwordFile} each
     * time the producer is made (at start and after credentials were refused), so a rotated password needs no restart.
     */
    public record Sasl(Mechanism mechanism, String username, String passwordFile) {

        static final Setting<Mechanism> MECHANISM = Setting.of("mechanism", Types.choice(Mechanism::clientName, Types.Matching.EXACT,
                Mechanism.values()), Mechanism.NONE, "PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 (none: the listener wants no SASL)");
        static final Setting<String> USERNAME = Setting.of("username", Types.STRING, "", "the SASL user");
        static final Setting<String> PASSWORD_FILE = Setting.of("passwordFile", Types.STRING, "",
                "the password on one line (never in the config file); read again each time the producer is made");
        static final Section<Sasl> SETTINGS = Section.of("ship.destinations[].sasl", "SASL authentication of a kafka destination.",
                        v -> new Sasl(v.get(MECHANISM), v.get(USERNAME), v.get(PASSWORD_FILE)), MECHANISM, USERNAME, PASSWORD_FILE)
                .rule(v -> v.get(MECHANISM) == Mechanism.NONE || !v.get(USERNAME).isEmpty() && !v.get(PASSWORD_FILE).isEmpty(),
                        "username and passwordFile come with a mechanism",
                        (path, v) -> path + ": a SASL mechanism needs username and passwordFile");

        public static Sasl none() {
            return new Sasl(Mechanism.NONE, "", "");
        }

        public boolean isOn() {
            return mechanism != Mechanism.NONE;
        }
    }

    public enum Mechanism {
        NONE("none", ""),
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
