package io.kubeaudit.ship;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A snapshot of the pipeline for {@code status} and the systemd STATUS line.
 *
 * @param eventsRead  lines read from the audit log since start
 * @param unreadBytes audit log on disk not read yet (the backlog)
 */
public record ShipperStatus(long eventsRead, long unreadBytes, List<Destination> destinations) {

    public ShipperStatus {
        destinations = List.copyOf(destinations);
    }

    /**
     * @param lastAck    when the acknowledged prefix last advanced (since start); null if never
     * @param errors     retried requests plus dead-lettered batches since start
     * @param problem    why the destination is unhealthy (stalled, credentials refused); "" when healthy
     * @param checkpoint the acknowledged position, {@code path@offset}; "" before the first
     */
    public record Destination(String name, long eventsAcknowledged, Instant lastAck, long lagBytes, long errors,
                              String problem, String checkpoint) {
    }

    static ShipperStatus of(ShipPipeline pipeline) {
        List<String> problems = pipeline.health().problems();
        List<Destination> out = new ArrayList<>();
        for (DestinationPipeline d : pipeline.destinations()) {
            DestinationMetrics m = d.metrics();
            long advanced = d.lastAdvanceMillis();
            String problem = problems.stream().filter(p -> p.startsWith("destination " + d.name() + ":")).findFirst()
                    .orElse(Health.holding(m).isEmpty() ? "" : "destination " + d.name() + ":" + Health.holding(m).substring(1));
            String checkpoint = d.tracker().position().map(p -> p.checkpoint().path() + "@" + p.checkpoint().offset()).orElse("");
            out.add(new Destination(d.name(), m.eventsShipped.value(),
                    m.eventsShipped.value() == 0 || advanced <= 0 ? null : Instant.ofEpochMilli(advanced), pipeline.lagBytes(d),
                    m.retries() + m.batchesDeadLettered.value(), problem, checkpoint));
        }
        return new ShipperStatus(pipeline.eventsRead(), pipeline.unreadBytes(), out);
    }
}
