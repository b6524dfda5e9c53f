package io.kubeaudit.daemon;

import io.kubeaudit.config.AgentConfig;
import io.kubeaudit.yaml.InvalidInputException;
import java.time.Duration;
import java.util.Optional;

/** The daemon's view of the shipping pipeline (tail, batch, send, checkpoint). */
interface ShippingPort {

    /** Starts following the audit log and sending to the configured destinations. */
    void start() throws Exception;

    /**
     * Switches to {@code config}'s destinations without losing events (unacknowledged events are sent
     * again to the new set). Throws, and keeps the running destinations, when the new ones are unusable.
     */
    void reconfigure(AgentConfig config) throws InvalidInputException, InterruptedException;

    ShippingSnapshot snapshot();

    /** Why shipping stopped on its own (the audit log could not be read, ...); empty while it runs or after a requested stop. */
    Optional<String> failure();

    /**
     * Stops reading, sends what is in flight until acknowledged or until {@code deadline}, writes the
     * checkpoint (the last acknowledged position: anything later is read again on the next start).
     */
    StopReport stop(Duration deadline) throws InterruptedException;

    /** @param unacknowledged events read but not acknowledged when the deadline passed (re-sent after a restart) */
    record StopReport(long acknowledged, long unacknowledged, boolean checkpointWritten) {
    }
}
