package io.kubeaudit.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * One place events go to. Fields a destination type does not use are ignored by it.
 *
 * @param maxEventBytes larger events are trimmed the way the API server truncates (objects dropped)
 * @param kafka         the settings of a {@code type: kafka} destination (its HTTP fields are then unused)
 */
public record DestinationConfig(String name, String type, String url, boolean gzip, String caFile, String certFile,
                                String keyFile, String tokenFile, Map<String, String> headers, Duration connectTimeout,
                                Duration requestTimeout, long maxEventBytes, Optional<KafkaConfig> kafka) {

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
