package io.kubeaudit.config;

import java.time.Duration;
import java.util.Map;

/**
 * Where and how an HTTP destination is reached: the part every HTTP destination type embeds. File
 * settings are node paths ("" when not set); at most one of the three credential files is set.
 *
 * @param tokenFile     {@code Authorization: Bearer <token>}
 * @param basicAuthFile {@code user:password} on one line: {@code Authorization: Basic ...}
 * @param apiKeyFile    an encoded Elasticsearch/OpenSearch API key: {@code Authorization: ApiKey ...}
 * @param headers       extra request headers (values never logged)
 * @param gzip          {@code Content-Encoding: gzip}
 */
public record HttpEndpointConfig(String url, String caFile, String certFile, String keyFile, String tokenFile, String basicAuthFile,
                                 String apiKeyFile, Map<String, String> headers, boolean gzip, Duration connectTimeout,
                                 Duration requestTimeout) {

    public HttpEndpointConfig {
        headers = Map.copyOf(headers);
    }
}
