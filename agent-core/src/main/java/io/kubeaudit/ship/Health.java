package io.kubeaudit.ship;

import io.kubeaudit.ship.sink.Outcome.HoldCause;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Shipping has stalled when a destination has had a line waiting longer than the threshold and its
 * acknowledged prefix has not moved for as long: a backlog that is being worked off is not a stall,
 * and an idle pipeline is not one either.
 */
final class Health {

    private final Duration threshold;
    private final InstantSource clock;
    private final List<DestinationPipeline> destinations;
    private final ReadClock readClock;

    Health(Duration threshold, InstantSource clock, List<DestinationPipeline> destinations, ReadClock readClock) {
        this.threshold = threshold;
        this.clock = clock;
        this.destinations = List.copyOf(destinations);
        this.readClock = readClock;
    }

    /** Empty when healthy; otherwise one line per stalled destination. */
    List<String> problems() {
        long now = clock.millis();
        List<String> problems = new ArrayList<>();
        for (DestinationPipeline d : destinations) {
            double lag = readClock.lagSeconds(d.tracker().nextUnacknowledged(), now);
            long sinceAdvance = now - d.lastAdvanceMillis();
            if (lag > threshold.toSeconds() && sinceAdvance > threshold.toMillis()) {
                problems.add("destination " + d.name() + ": nothing acknowledged for " + sinceAdvance / 1000 + "s while events wait (oldest "
                        + (long) lag + "s)" + holding(d.metrics()));
            }
        }
        return problems;
    }

    /** Why the destination holds, when it does ("" otherwise). */
    static String holding(DestinationMetrics m) {
        if (m.isHolding(HoldCause.CREDENTIALS)) {
            return "; credentials refused (401/403)";
        }
        return m.isHolding(HoldCause.BLOCKED) ? "; the destination refuses writes" : "";
    }
}
