package io.kubeaudit.config;

/**
 * Every destination type and its table. Apart from {@link DestinationConfig} because the types' tables
 * refer to the shared settings there: with the list in DestinationConfig, loading a type's class first
 * (KafkaConfig) initialised DestinationConfig while the type's table was still null.
 */
public final class DestinationTypes {

    /** The types without their own sink yet read the webhook's table; {@code ship} refuses them by name. */
    public static final Variants<DestinationConfig> TYPES = Variants.<DestinationConfig>of(DestinationConfig.TYPE)
            .with("webhook", DestinationConfig.WEBHOOK)
            .with("opensearch", DestinationConfig.WEBHOOK)
            .with("kafka", KafkaConfig.TABLE)
            .with("loki", DestinationConfig.WEBHOOK)
            .with("splunk", DestinationConfig.WEBHOOK);

    private DestinationTypes() {
    }
}
