package io.kubeaudit.daemon;

import io.kubeaudit.config.AgentConfig;
import io.kubeaudit.log.Log;
import java.io.IOException;
import java.time.InstantSource;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every {@link Daemon#CROSS_CHECK_INTERVAL}: the local API server's audit counters beside the lines
 * read ({@link AuditCrossCheck}); the finding is published, a mismatch logged. Timer thread only.
 */
final class CrossCheckSampler {

    private static final String PHASE = "daemon/crosscheck";

    private final Function<AgentConfig, Optional<ApiServerAuditMetrics>> auditMetrics;
    private final ShippingPort shipping;
    private final StatusPublisher status;
    private final Log log;
    private final InstantSource clock;
    private final AuditCrossCheck check = new AuditCrossCheck();

    /** @param auditMetrics the local API server's audit counters for a config; empty when setup.crossCheck is off */
    CrossCheckSampler(Function<AgentConfig, Optional<ApiServerAuditMetrics>> auditMetrics, ShippingPort shipping,
                      StatusPublisher status, Log log, InstantSource clock) {
        this.auditMetrics = auditMetrics;
        this.shipping = shipping;
        this.status = status;
        this.log = log;
        this.clock = clock;
    }

    void sample(AgentConfig config) {
        Optional<ApiServerAuditMetrics> source = auditMetrics.apply(config);
        if (source.isEmpty()) {
            return;
        }
        try {
            ApiServerAuditMetrics.Counters server = source.get().read();
            ShippingSnapshot read = shipping.snapshot();
            check.add(new AuditCrossCheck.Sample(clock.instant(), server.events(), server.errors(), read.eventsRead(), read.lagBytes()))
                    .ifPresent(result -> {
                        status.crossChecked(result);
                        if (!result.consistent()) {
                            log.warn(PHASE, "the API server's audit counters and the audit log disagree", "detail", result.detail(),
                                    "serverEvents", result.serverEvents(), "eventsRead", result.eventsRead(), "serverErrors", result.serverErrors());
                        }
                    });
        } catch (IOException e) {
            log.warn(PHASE, "cannot read the API server's audit counters", "error", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
