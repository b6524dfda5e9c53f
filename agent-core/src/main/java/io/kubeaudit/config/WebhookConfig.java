package io.kubeaudit.config;

import java.util.Map;

/**
 * {@code type: webhook}: batches POSTed as the kube-apiserver's webhook backend sends them (an
 * {@code EventList}), so Falco and SIEM collectors built for the API server take them unchanged.
 */
public record WebhookConfig(String name, HttpEndpointConfig http, long maxEventBytes, FilterConfig filter) implements DestinationConfig {

    static final Section<DestinationConfig> TABLE = HttpEndpointConfig.table("webhook",
            "A webhook: batches POSTed as the kube-apiserver's webhook backend sends them (an EventList).",
            v -> new WebhookConfig(v.get(DestinationConfig.NAME), HttpEndpointConfig.from(v), v.get(DestinationConfig.MAX_EVENT_BYTES),
                    v.get(DestinationConfig.FILTER)));

    @Override
    public Map<String, String> secretFiles() {
        return http.secretFiles();
    }

    @Override
    public String type() {
        return "webhook";
    }
}
