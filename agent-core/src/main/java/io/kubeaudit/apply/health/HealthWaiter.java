package io.kubeaudit.apply.health;

import io.kubeaudit.apply.observe.RestartWatch;
import io.kubeaudit.config.Units;
import io.kubeaudit.log.Progress;
import io.kubeaudit.time.WaitClock;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Waits until the API server has really taken the new configuration, in three stages: a new server
 * instance appeared (an old server still answering proves nothing); the local server answers every
 * check several times in a row with no further restart; and, when auditing was turned on, it recorded
 * an audit event. All within one deadline.
 */
public final class HealthWaiter {

    /**
     * @param timeout     the whole wait (apply.healthTimeout)
     * @param interval    pause between polls
     * @param consecutive answers in a row needed; one answer can come from a server about to crash
     * @param crashLoop   starts after the first one that count as a crash loop, ending the wait early
     */
    public record Settings(Duration timeout, Duration interval, int consecutive, int crashLoop) {
        public Settings {
            Objects.requireNonNull(timeout, "timeout");
            Objects.requireNonNull(interval, "interval");
            if (consecutive < 1 || crashLoop < 1) {
                throw new IllegalArgumentException("consecutive and crashLoop must be at least 1");
            }
        }

        /**
         * Three answers half a second apart, as kubeadm polls. Two restarts after the first start is a
         * crash loop: a server that failed three times with the same configuration will not recover by
         * itself, and the kubelet's back-off would only make the operator wait longer for the rollback.
         */
        public static Settings standard(Duration timeout) {
            return new Settings(timeout, Duration.ofMillis(500), 3, 2);
        }
    }

    /** Whether the server must be seen restarting before its answers count. */
    public enum Restart {
        /** The manifest changed: only a server started after the change proves it runs. */
        REQUIRED,
        /** No restart may come (the old server never stopped): its answers count as they are. */
        NOT_REQUIRED
    }

    /**
     * What to wait for.
     *
     * @param what       the configuration waited for, for progress lines ("the new configuration")
     * @param restarts   watch started before the change
     * @param restart    whether a restart must be seen first
     * @param checks     questions the local server must answer
     * @param auditEvent present when an audit event must appear
     */
    public record Expectation(String what, RestartWatch restarts, Restart restart, List<HealthCheck> checks,
                       Optional<HealthCheck> auditEvent) {
        public Expectation {
            checks = List.copyOf(checks);
        }
    }

    /** Each check gets at most this long per attempt, so one hung kubectl cannot eat the whole wait. */
    private static final Duration MAX_CHECK_TIME = Duration.ofSeconds(10);
    /** How often a long wait says where it stands, as kubeadm's waits do. */
    static final Duration HEARTBEAT = Duration.ofSeconds(5);

    private final WaitClock clock;
    private final Progress progress;
    private final Settings settings;

    public HealthWaiter(WaitClock clock, Progress progress, Settings settings) {
        this.clock = clock;
        this.progress = progress;
        this.settings = settings;
    }

    public HealthVerdict await(Expectation e) throws InterruptedException {
        Instant start = clock.instant();
        Instant deadline = start.plus(settings.timeout());
        Instant nextHeartbeat = start.plus(HEARTBEAT);
        progress.say("health", "waiting up to " + Units.formatDuration(settings.timeout()) + " for the API server to "
                + (e.restart() == Restart.REQUIRED ? "restart with " + e.what() + ", then " : "")
                + "answer " + settings.consecutive() + " times in a row"
                + (e.auditEvent().isPresent() ? " and record an audit event" : ""));
        RestartWatch.Restarts seen = RestartWatch.Restarts.NONE;
        int answers = 0;
        boolean eventSeen = false;
        String lastProblem = "";
        String lastAnswerEvidence = "";
        String lastProbe = "none yet";
        while (true) {
            RestartWatch.Restarts now = poll(e.restarts());
            if (now.count() > seen.count()) {
                progress.say("health", (seen.count() == 0 ? "restart seen: " : "restarted again: ") + now.latest());
                if (now.count() - 1 >= settings.crashLoop()) {
                    return new HealthVerdict.Unhealthy(HealthVerdict.Stage.CRASH_LOOP, "the new API server keeps exiting: it started "
                            + now.count() + " times since the change (" + now.latest() + ")", true);
                }
                answers = 0;
                eventSeen = false;
                seen = now;
            }
            boolean restarted = seen.count() > 0;
            if (restarted || e.restart() == Restart.NOT_REQUIRED) {
                if (answers < settings.consecutive()) {
                    Optional<String> failure = askAll(e.checks(), deadline);
                    lastProbe = failure.orElse("answered");
                    if (failure.isEmpty()) {
                        answers++;
                        if (answers == settings.consecutive()) {
                            lastAnswerEvidence = "answered " + answers + " times in a row: " + names(e.checks());
                            progress.say("health", "local API server " + lastAnswerEvidence);
                        }
                    } else {
                        answers = 0;
                        lastProblem = sayIfNew(lastProblem, failure.get());
                    }
                } else if (e.auditEvent().isPresent() && !eventSeen) {
                    HealthCheck.Result r = e.auditEvent().get().check(checkTime(deadline));
                    lastProbe = r.detail();
                    if (r.ok()) {
                        eventSeen = true;
                        progress.say("health", r.detail());
                    } else {
                        lastProblem = sayIfNew(lastProblem, r.detail());
                    }
                }
                if (answers >= settings.consecutive() && (e.auditEvent().isEmpty() || eventSeen)) {
                    String how = restarted ? seen.latest() : "no restart expected";
                    return new HealthVerdict.Healthy(how + "; " + lastAnswerEvidence, restarted);
                }
            }
            if (!clock.instant().isBefore(deadline)) {
                return timedOut(e, seen, answers, lastProblem);
            }
            if (!clock.instant().isBefore(nextHeartbeat)) {
                progress.say("health", "still waiting (" + Units.formatDuration(Duration.between(start, clock.instant())) + " of "
                        + Units.formatDuration(settings.timeout()) + ") for " + waitingFor(e, seen.count() > 0, answers, eventSeen)
                        + "; last probe: " + lastProbe);
                nextHeartbeat = nextHeartbeat.plus(HEARTBEAT);
            }
            clock.sleep(min(settings.interval(), Duration.between(clock.instant(), deadline)));
        }
    }

    private String waitingFor(Expectation e, boolean restarted, int answers, boolean eventSeen) {
        if (e.restart() == Restart.REQUIRED && !restarted) {
            return "a new kube-apiserver (container log or process with the new flags)";
        }
        if (answers < settings.consecutive()) {
            return settings.consecutive() + " answers in a row from " + names(e.checks()) + " (" + answers + " so far)";
        }
        return eventSeen ? "the end of the wait" : "an audit event in the audit log";
    }

    private HealthVerdict timedOut(Expectation e, RestartWatch.Restarts seen, int answers, String lastProblem) {
        String within = " within " + Units.formatDuration(settings.timeout());
        boolean restarted = seen.count() > 0;
        if (e.restart() == Restart.REQUIRED && !restarted) {
            return new HealthVerdict.Unhealthy(HealthVerdict.Stage.NOT_RESTARTED, "the API server did not restart" + within
                    + ": no new kube-apiserver container log under /var/log/pods and no new kube-apiserver process with the new flags",
                    false);
        }
        if (answers < settings.consecutive()) {
            return new HealthVerdict.Unhealthy(HealthVerdict.Stage.NOT_ANSWERING, "the "
                    + (restarted ? "restarted " : "") + "API server did not answer " + settings.consecutive() + " times in a row"
                    + within + (lastProblem.isEmpty() ? "" : "; last failure: " + lastProblem), restarted);
        }
        return new HealthVerdict.Unhealthy(HealthVerdict.Stage.NO_AUDIT_EVENT, "the API server answers but recorded no audit event"
                + within + " (" + lastProblem + "); check that the policy records requests such as the health command's", restarted);
    }

    private RestartWatch.Restarts poll(RestartWatch watch) {
        try {
            return watch.poll();
        } catch (IOException ex) {
            progress.say("health", "cannot look for a restart this time: " + ex.getMessage());
            return RestartWatch.Restarts.NONE;
        }
    }

    /** Asks every check; the first failure ends the round, since one failing check resets the count anyway. */
    private Optional<String> askAll(List<HealthCheck> checks, Instant deadline) throws InterruptedException {
        for (HealthCheck c : checks) {
            HealthCheck.Result r = c.check(checkTime(deadline));
            if (!r.ok()) {
                return Optional.of(r.detail());
            }
        }
        return Optional.empty();
    }

    private Duration checkTime(Instant deadline) {
        Duration left = Duration.between(clock.instant(), deadline);
        return min(MAX_CHECK_TIME, left.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : left);
    }

    /** Progress shows a problem once, not on every poll. */
    private String sayIfNew(String previous, String problem) {
        if (!problem.equals(previous)) {
            progress.say("health", "not yet: " + problem);
        }
        return problem;
    }

    private static String names(List<HealthCheck> checks) {
        return String.join(", ", checks.stream().map(HealthCheck::name).toList());
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
