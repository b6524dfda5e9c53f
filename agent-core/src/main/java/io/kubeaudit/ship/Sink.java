package io.kubeaudit.ship;

/**
 * A destination: encodes a batch in its wire format, sends it and classifies the answer. Batching,
 * retries, acknowledgement and dead letters are the pipeline's, so a new destination type is only this.
 * {@link #send} is called from several sender threads at once (up to the destination's maxInFlight).
 */
interface Sink extends AutoCloseable {

    /** One attempt; an I/O failure is a {@link DeliveryOutcome.Retry}, not an exception. */
    DeliveryOutcome send(Batch batch) throws InterruptedException;

    @Override
    void close();
}
