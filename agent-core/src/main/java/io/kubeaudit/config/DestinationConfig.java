package io.kubeaudit.config;

import java.util.Map;

/**
 * One place events go to: one record per destination type, each with its own settings table in
 * {@link DestinationTypes#TYPES}, sharing the settings every destination has ({@link #NAME}, {@link #TYPE},
 * {@link #MAX_EVENT_BYTES}, {@link #FILTER}). HTTP types embed {@link HttpEndpointConfig}. Types the
 * agent has no sink for yet are refused at load, by name.
 */
public sealed interface DestinationConfig permits WebhookConfig, KafkaConfig {

    Setting<String> NAME = Setting.required("name", Types.STRING,
                    "names the destination in logs, metrics and status, and its checkpoint and dead-letter files")
            .checkNaming(name -> name.matches("[A-Za-z0-9][A-Za-z0-9_.-]*"), "may hold only letters, digits, '.', '_' and '-'");
    Setting<String> TYPE = Setting.required("type", Types.STRING, "the kind of destination; selects its table below");
    Setting<Long> MAX_EVENT_BYTES = Setting.of("maxEventBytes", Types.SIZE, 3L * 1024 * 1024,
                    "a larger event is trimmed the API server's way (requestObject and responseObject dropped); one still too"
                            + " large goes to the dead-letter file")
            .check(bytes -> bytes >= 1024, "must be at least 1KiB (an audit event is rarely smaller)");
    Setting<FilterConfig> FILTER = Setting.section("filter", FilterConfig.SETTINGS);

    String name();

    /** The value of {@code type}. */
    String type();

    /** Events larger than this are trimmed the way the API server truncates (objects dropped). */
    long maxEventBytes();

    /** Which events this destination gets. */
    FilterConfig filter();

    /** The files holding this destination's secrets (keys, tokens, passwords), by setting name: node paths, only those set. */
    Map<String, String> secretFiles();
}
