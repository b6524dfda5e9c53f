package io.kubeaudit.config;

import java.time.Duration;
import java.util.Map;

/**
 * One place events go to. Fields a destination type does not use are ignored by it.
 *
 * @param maxEventBytes larger events are trimmed the way the API server truncates (objects dropped)
 */
public record DestinationConfig(String name, String type, String url, boolean gzip, String caFile, String certFile,
                                String keyFile, String tokenFile, Map<String, String> headers, Duration connectTimeout,
                                Duration requestTimeout, long maxEventBytes) {

    public DestinationConfig {
        headers = Map.copyOf(headers);
    }

    /** The HTTP endpoint part. */
    public HttpEndpointConfig http() {
        return new HttpEndpointConfig(url, caFile, certFile, keyFile, tokenFile, "", "", headers, gzip, connectTimeout, requestTimeout);
    }
}
