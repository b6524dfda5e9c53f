package io.kubeaudit.ship.sink;

/**
 * A destination: encodes a batch in its wire format, sends it and says what became of it, for the
 * batch as a whole or per event ({@link Outcome}). Batching, retries, splitting, dead letters,
 * acknowledgement and checkpoints are the pipeline's, so a new destination is this class (composed of
 * shared steps such as {@code io.kubeaudit.ship.http}) plus its config type.
 *
 * <p>{@link #send} is called from several sender threads at once (up to the destination's
 * maxInFlight). It returns failures as outcomes; an exception it throws anyway is taken as a failed
 * attempt and retried, never as a reason to stop sending.
 */
public interface Sink extends AutoCloseable {

    /** One attempt. Interrupted: shutdown is forcing the attempt to end; the batch stays unacknowledged. */
    Outcome send(SinkBatch batch) throws InterruptedException;

    /**
     * Memory the destination's client holds beyond the events themselves (a Kafka producer's buffer), taken out of
     * ship.memoryBudget before the queue gets the rest.
     */
    default long reservedBytes() {
        return 0;
    }

    /** What logs call it: type and where, never a credential. */
    @Override
    String toString();

    @Override
    void close();
}
