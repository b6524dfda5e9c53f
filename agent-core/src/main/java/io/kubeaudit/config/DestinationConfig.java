package io.kubeaudit.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * One place events go to. Each destination type contributes its own settings table to {@link DestinationTypes#TYPES}
 * (sharing the settings every destination has: {@link #NAME}, {@link #TYPE}, {@link #MAX_EVENT_BYTES});
 * today all types read the webhook's table, and {@code ship} refuses every type but webhook.
 *
 * @param maxEventBytes larger events are trimmed the way the API server truncates (objects dropped)
 * @param kafka         the settings of a {@code type: kafka} destination (its HTTP fields are then unused)
 */
public record DestinationConfig(String name, String type, String url, boolean gzip, String caFile, String certFile,
                                String keyFile, String tokenFile, Map<String, String> headers, Duration connectTimeout,
                                Duration requestTimeout, long maxEventBytes, Optional<KafkaConfig> kafka) {

    public static final Setting<String> NAME = Setting.required("name", Types.STRING,
                    "names the destination in logs, metrics and status, and its checkpoint and dead-letter files")
            .checkNaming(name -> name.matches("[A-Za-z0-9][A-Za-z0-9_.-]*"), "may hold only letters, digits, '.', '_' and '-'");
    public static final Setting<String> TYPE = Setting.required("type", Types.STRING, "the kind of destination; selects its table below");
    public static final Setting<Long> MAX_EVENT_BYTES = Setting.of("maxEventBytes", Types.SIZE, 3L * 1024 * 1024,
                    "a larger event is trimmed the API server's way (requestObject and responseObject dropped); one still too"
                            + " large goes to the dead-letter file")
            .check(bytes -> bytes >= 1024, "must be at least 1KiB (an audit event is rarely smaller)");

    static final Setting<String> URL = Setting.required("url", Types.STRING,
            "http:// or https://; no credentials in it (use tokenFile or headers)");
    static final Setting<Boolean> GZIP = Setting.of("gzip", Types.BOOLEAN, false,
            "Content-Encoding: gzip, level 1, compressed on the sending threads");
    static final Setting<String> CA_FILE = Setting.of("caFile", Types.STRING, "",
            "PEM CA bundle for the server certificate (https:// only)").shownAs("the JDK trust store");
    static final Setting<String> CERT_FILE = Setting.of("certFile", Types.STRING, "",
            "PEM client certificate chain (with keyFile: both or neither)").shownAs("none");
    static final Setting<String> KEY_FILE = Setting.of("keyFile", Types.STRING, "",
            "PEM client key, not encrypted (protect the file with 0600): PKCS#8 (RSA, EC, Ed25519), PKCS#1 (what kubeadm"
                    + " writes) or SEC1").shownAs("none");
    static final Setting<String> TOKEN_FILE = Setting.of("tokenFile", Types.STRING, "",
            "sent as Authorization: Bearer <token>; read again whenever it changes, so a rotated token needs no restart;"
                    + " never logged").shownAs("none");
    static final Setting<Map<String, String>> HEADERS = Setting.of("headers", Types.STRING_MAP, Map.of(),
            "extra request headers (values are never logged)");
    static final Setting<Duration> CONNECT_TIMEOUT = Setting.of("connectTimeout", Types.DURATION, Duration.ofSeconds(10),
            "how long connecting may take before the attempt is retried");
    static final Setting<Duration> REQUEST_TIMEOUT = Setting.of("requestTimeout", Types.DURATION, Duration.ofSeconds(30),
            "a request still running this long (also one stuck writing the body) is cut off and retried");

    /** The webhook's table: the kube-apiserver webhook backend's body, over HTTP(S). */
    static final Section<DestinationConfig> WEBHOOK = Section.of("ship.destinations[]",
            "A webhook: batches POSTed as the kube-apiserver's webhook backend sends them (an EventList). The other types"
                    + " read the same settings until their own sinks are built; `ship` refuses them by name.",
            v -> new DestinationConfig(v.get(NAME), v.get(TYPE), v.get(URL), v.get(GZIP), v.get(CA_FILE), v.get(CERT_FILE),
                    v.get(KEY_FILE), v.get(TOKEN_FILE), v.get(HEADERS), v.get(CONNECT_TIMEOUT), v.get(REQUEST_TIMEOUT),
                    v.get(MAX_EVENT_BYTES)),
            NAME, TYPE, URL, GZIP, CA_FILE, CERT_FILE, KEY_FILE, TOKEN_FILE, HEADERS, CONNECT_TIMEOUT, REQUEST_TIMEOUT,
            MAX_EVENT_BYTES);

    public DestinationConfig {
        headers = Map.copyOf(headers);
    }

    /** An HTTP destination. */
    public DestinationConfig(String name, String type, String url, boolean gzip, String caFile, String certFile, String keyFile,
                             String tokenFile, Map<String, String> headers, Duration connectTimeout, Duration requestTimeout,
                             long maxEventBytes) {
        this(name, type, url, gzip, caFile, certFile, keyFile, tokenFile, headers, connectTimeout, requestTimeout, maxEventBytes,
                Optional.empty());
    }

    /** A Kafka topic. */
    public static DestinationConfig of(KafkaConfig k) {
        return new DestinationConfig(k.name(), "kafka", "", false, "", "", "", "", Map.of(), k.requestTimeout(), k.requestTimeout(),
                k.maxEventBytes(), Optional.of(k));
    }

    /** The HTTP endpoint part. */
    public HttpEndpointConfig http() {
        return new HttpEndpointConfig(url, caFile, certFile, keyFile, tokenFile, "", "", headers, gzip, connectTimeout, requestTimeout);
    }
}
