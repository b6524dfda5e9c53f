package io.kubeaudit.daemon;

import io.kubeaudit.config.AgentConfig;
import io.kubeaudit.log.Log;
import io.kubeaudit.yaml.InvalidInputException;
import io.kubeaudit.yaml.SourceLocation;
import java.time.InstantSource;

/**
 * Takes up a changed config file (SIGHUP, or a file changed without one): loads and validates it,
 * refuses changes that need a restart, switches shipping to the new destinations; or keeps the
 * running config and says why. Main loop only.
 */
final class ConfigReload {

    /** What a reload did. */
    sealed interface Outcome {
        /** The daemon runs {@code config} now instead of {@code previous}. */
        record Applied(AgentConfig previous, AgentConfig config) implements Outcome {
        }

        /** The running config stays. */
        record Rejected(String why) implements Outcome {
        }
    }

    private static final String PHASE = "daemon";

    private final ConfigSource source;
    private final ShippingPort shipping;
    private final DaemonCounters counters;
    private final StatusPublisher status;
    private final Log log;
    private final InstantSource clock;
    private String fingerprint;
    /** The bytes of the last file refused, so an unchanged bad file is not reloaded before every reconcile. */
    private String rejectedFingerprint = "";

    ConfigReload(ConfigSource source, ConfigSource.Loaded initial, ShippingPort shipping, DaemonCounters counters,
                 StatusPublisher status, Log log, InstantSource clock) {
        this.source = source;
        this.fingerprint = initial.fingerprint();
        this.shipping = shipping;
        this.counters = counters;
        this.status = status;
        this.log = log;
        this.clock = clock;
    }

    /**
     * Whether the file changed since it was loaded (an Ansible run templates it and then runs setup
     * itself, without a SIGHUP) and is not the one refused last: then it is taken up before judging
     * drift, or the daemon would undo the new setup with the old config.
     */
    boolean fileChanged() {
        try {
            return source.changedSince(fingerprint) && source.changedSince(rejectedFingerprint);
        } catch (InvalidInputException e) {
            log.warn(PHASE, "cannot read the config file; keeping the running config", "error", e);
            return false;
        }
    }

    Outcome reload(AgentConfig running) throws InterruptedException {
        try {
            ConfigSource.Loaded loaded = source.load();
            refuseRestartOnlyChanges(running, loaded.config());
            shipping.reconfigure(loaded.config());
            fingerprint = loaded.fingerprint();
            counters.reloads.incrementAndGet();
            status.reloaded("applied at " + clock.instant());
            log.info(PHASE, "config reloaded", "config", source.file(), "destinations", loaded.config().ship().destinations().size(),
                    "setup", loaded.config().setup().enabled() ? "enabled" : "disabled");
            return new Outcome.Applied(running, loaded.config());
        } catch (InvalidInputException e) {
            counters.reloadsRejected.incrementAndGet();
            status.reloaded("rejected at " + clock.instant() + ": " + e.getMessage());
            try {
                rejectedFingerprint = source.load().fingerprint();
            } catch (InvalidInputException again) {
                rejectedFingerprint = "";
            }
            log.error(PHASE, "config rejected; the running config stays", "config", source.file(), "error", e);
            return new Outcome.Rejected(e.getMessage());
        }
    }

    /** Settings the running pipeline is built around; changing them needs a restart. */
    private static void refuseRestartOnlyChanges(AgentConfig running, AgentConfig next) throws InvalidInputException {
        String restart = " cannot change while running: restart the service (systemctl restart kube-audit-agent) to apply it";
        if (!running.root().equals(next.root())) {
            throw new InvalidInputException(new SourceLocation("config", 0, 0), "root" + restart);
        }
        if (!running.ship().stateDir().equals(next.ship().stateDir())) {
            throw new InvalidInputException(new SourceLocation("config", 0, 0), "ship.stateDir" + restart);
        }
        if (!running.metrics().listen().equals(next.metrics().listen())) {
            throw new InvalidInputException(new SourceLocation("config", 0, 0), "metrics.listen" + restart);
        }
    }
}
