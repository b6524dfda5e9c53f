package io.kubeaudit.ship.kafka;

import io.kubeaudit.ship.sink.SinkSetupException;
import java.time.Duration;
import org.apache.kafka.clients.producer.Producer;

/**
 * The destination's producer, made again after it was discarded: an idempotent producer whose authentication
 * or authorisation failed stays failed (its transaction manager's fatal state), and a new one reads the
 * password file again. Sender threads share the current one; the client is thread-safe.
 */
final class Producers implements AutoCloseable {

    /** How long closing waits for records still in the producer when the pipeline stops. */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    /** Makes a producer from the destination's settings (and files); a failure names the setting or file. */
    interface Factory {
        Producer<byte[], byte[]> create() throws SinkSetupException;
    }

    private final Factory factory;
    /** Guarded by {@code this}; null after a discard until the next {@link #current}. */
    private Producer<byte[], byte[]> current;

    /** Makes the first producer now, so a setting the client refuses stops the agent at start. */
    Producers(Factory factory) throws SinkSetupException {
        this.factory = factory;
        this.current = factory.create();
    }

    synchronized Producer<byte[], byte[]> current() throws SinkSetupException {
        if (current == null) {
            current = factory.create();
        }
        return current;
    }

    /** Replaces {@code producer} with a new one at the next {@link #current}; its unfinished records fail (and are retried). */
    void discard(Producer<byte[], byte[]> producer) {
        synchronized (this) {
            if (current != producer) {
                return; // another sender thread discarded it already
            }
            current = null;
        }
        producer.close(Duration.ZERO);
    }

    @Override
    public void close() {
        Producer<byte[], byte[]> last;
        synchronized (this) {
            last = current;
            current = null;
        }
        if (last != null) {
            last.close(CLOSE_TIMEOUT);
        }
    }
}
