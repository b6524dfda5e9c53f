package io.kubeaudit.daemon;

import java.time.Instant;
import java.util.List;

/**
 * Shipping as {@code status} and the systemd STATUS line show it.
 *
 * @param eventsPerSecond acknowledged events per second over the last minute or so
 * @param lagBytes        audit-log bytes written by the API server but not yet acknowledged by every destination
 */
public record ShippingSnapshot(long eventsRead, long eventsAcknowledged, double eventsPerSecond, long lagBytes,
                               List<Destination> destinations) {

    public ShippingSnapshot {
        destinations = List.copyOf(destinations);
    }

    public static ShippingSnapshot idle() {
        return new ShippingSnapshot(0, 0, 0, 0, List.of());
    }

    /**
     * @param checkpoint the position acknowledged and written (file and offset), "" before the first
     * @param lastAck    when this destination last acknowledged a batch; null if never
     * @param lastError  the newest send error (redacted), "" when none
     */
    public record Destination(String name, String type, long eventsAcknowledged, Instant lastAck, long lagBytes, long errors,
                              String lastError, String checkpoint) {
    }
}
