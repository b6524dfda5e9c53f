package io.kubeaudit.config;

/**
 * Every destination type with a sink, and its table. Apart from {@link DestinationConfig} so that
 * loading a type's record never needs this list first (the tables refer to the shared settings there).
 */
public final class DestinationTypes {

    /** The built types; the planned ones are named so that a config using them is told why it cannot. */
    public static final Variants<DestinationConfig> TYPES = Variants.<DestinationConfig>of(DestinationConfig.TYPE)
            .with("webhook", WebhookConfig.TABLE)
            .with("kafka", KafkaConfig.TABLE)
            .planned("opensearch", "loki", "splunk", "file", "stdout");

    private DestinationTypes() {
    }
}
