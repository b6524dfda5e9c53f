package io.kubeaudit.ship;

import io.kubeaudit.config.Units;
import io.kubeaudit.log.Log;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The progress lines of {@code ship} and {@code run}: one per destination at a steady pace while shipping (rate,
 * acknowledged, lag), and at once when something changes (a destination stalls, has its credentials refused or
 * recovers; the reader falls behind the log or catches up), instead of silence after "file opened".
 */
final class ShippingProgress {

    /** How often a line comes while nothing changes. */
    static final Duration INTERVAL = Duration.ofSeconds(30);

    private final Log log;
    private final InstantSource clock;
    private final Map<String, String> problems = new HashMap<>();
    private final Map<String, Long> acknowledgedAtLastLine = new HashMap<>();
    private Instant lastLine;
    private long readAtLastLine;
    /** Whether the reader was behind the log at the last look; null before the first. */
    private Boolean behind;

    ShippingProgress(Log log, InstantSource clock) {
        this.log = log;
        this.clock = clock;
        this.lastLine = clock.instant();
    }

    /** Called often (every second); logs what changed at once and the steady line when its time has come. */
    synchronized void observe(ShipperStatus status) {
        Instant now = clock.instant();
        long unreadBytes = status.unreadBytes();
        for (ShipperStatus.Destination d : status.destinations()) {
            String before = problems.getOrDefault(d.name(), "");
            if (!d.problem().equals(before)) {
                if (d.problem().isEmpty()) {
                    log.info("ship/progress", "destination recovered", "destination", d.name(), "was", before);
                } else {
                    log.warn("ship/progress", "destination unhealthy", "destination", d.name(), "problem", d.problem(),
                            "lag", Units.humanSize(d.lagBytes()));
                }
                problems.put(d.name(), d.problem());
            }
        }
        boolean nowBehind = unreadBytes > 0;
        if (behind == null || nowBehind != behind) {
            if (nowBehind) {
                log.info("ship/progress", "reading behind the audit log", "backlog", Units.humanSize(unreadBytes));
            } else {
                log.info("ship/progress", "caught up with the audit log", "eventsRead", status.eventsRead());
            }
            behind = nowBehind;
        }
        Duration since = Duration.between(lastLine, now);
        if (since.compareTo(INTERVAL) < 0) {
            return;
        }
        double seconds = since.toMillis() / 1000.0;
        log.info("ship/progress", "reading", "eventsRead", status.eventsRead(),
                "rate", rate(status.eventsRead() - readAtLastLine, seconds), "backlog", Units.humanSize(unreadBytes));
        for (ShipperStatus.Destination d : status.destinations()) {
            long before = acknowledgedAtLastLine.getOrDefault(d.name(), 0L);
            log.info("ship/progress", "shipping", "destination", d.name(), "acknowledged", d.eventsAcknowledged(),
                    "rate", rate(d.eventsAcknowledged() - before, seconds), "lag", Units.humanSize(d.lagBytes()),
                    "state", d.problem().isEmpty() ? "ok" : d.problem());
            acknowledgedAtLastLine.put(d.name(), d.eventsAcknowledged());
        }
        readAtLastLine = status.eventsRead();
        lastLine = now;
    }

    private static String rate(long events, double seconds) {
        return String.format(Locale.ROOT, "%.1f/s", seconds <= 0 ? 0 : events / seconds);
    }
}
