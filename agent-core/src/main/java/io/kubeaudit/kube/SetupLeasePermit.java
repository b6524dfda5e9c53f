package io.kubeaudit.kube;

import io.kubeaudit.apply.RestartPermit;
import io.kubeaudit.config.AgentConfig;
import io.kubeaudit.config.Units;
import io.kubeaudit.time.WaitClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The cluster-wide setup Lease as the permit of every setup run ({@code setup} and {@code teardown}, what
 * Ansible runs, and the daemon's reconciler): taken only when the change restarts this node's API server,
 * waited for while another node holds it (at most {@code maxWait}: {@code --lease-wait} for a command, none
 * for the daemon, which tries again at its next pass), given back once the restart is over, healthy or
 * rolled back. An API that cannot be asked means no restart; skipping the lease ({@code --no-lease},
 * {@code setup.lease.enabled: false}) is the operator's call, for a single control-plane node or an API that
 * is down on purpose. What happened is kept for the command's result ({@link #report()}).
 */
public final class SetupLeasePermit implements RestartPermit {

    public static final String LEASE = SetupLease.NAMESPACE + "/" + SetupLease.NAME;
    /** Polls at least this often while waiting: the holder may release early, and clocks of nodes differ. */
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(5);
    private static final Duration SHORTEST_PAUSE = Duration.ofMillis(500);

    private final Optional<ClusterLock> lock;
    private final String identity;
    private final Duration maxWait;
    private final WaitClock clock;
    /** What happened; the permit is used by one transaction on one thread. */
    private final Map<String, Object> report = new LinkedHashMap<>();

    SetupLeasePermit(Optional<ClusterLock> lock, String identity, Duration maxWait, WaitClock clock, String notTaken) {
        this.lock = lock;
        this.identity = identity;
        this.maxWait = maxWait;
        this.clock = clock;
        report.put("lease", LEASE);
        report.put("taken", false);
        report.put("why", notTaken);
    }

    /**
     * The lease {@code config} describes (setup.lease: kubeconfig, duration; the identity is ship.nodeName or
     * the host name), waited for at most {@code maxWait}; not used when setup.lease.enabled is false.
     */
    public static SetupLeasePermit forConfig(AgentConfig config, Duration maxWait) {
        WaitClock clock = WaitClock.system();
        Optional<ClusterLock> lock = SetupLease.forConfig(config, clock);
        return new SetupLeasePermit(lock, SetupLease.identity(config), maxWait, clock, lock.isPresent()
                ? "the API server was not restarted" : "not used: setup.lease.enabled is false");
    }

    /** No lease at all, for the stated reason (a dry run, --no-lease). */
    public static SetupLeasePermit notUsed(String why) {
        return new SetupLeasePermit(Optional.empty(), "", Duration.ZERO, WaitClock.system(), why);
    }

    @Override
    public Optional<Refusal> acquire(Consumer<String> progress) throws InterruptedException {
        if (lock.isEmpty()) {
            return Optional.empty();
        }
        Instant start = clock.instant();
        Instant deadline = start.plus(maxWait);
        List<String> waitedFor = new ArrayList<>();
        while (true) {
            SetupLease.Outcome outcome = lock.get().acquire();
            Instant now = clock.instant();
            Duration waited = Duration.ofSeconds(Duration.between(start, now).toSeconds());
            if (!waitedFor.isEmpty()) {
                report.put("waited", Units.formatDuration(waited));
                report.put("waitedFor", List.copyOf(waitedFor));
            }
            if (outcome instanceof SetupLease.Outcome.Acquired) {
                report.put("taken", true);
                report.remove("why");
                report.put("holder", identity);
                progress.accept("took the setup lease " + LEASE + " as " + identity);
                return Optional.empty();
            }
            if (outcome instanceof SetupLease.Outcome.Unavailable unavailable) {
                return refuse(new Refusal.Unavailable(unavailable.reason(), "no setup lease, so no restart: " + unavailable.reason()
                        + ". Pass --no-lease where no other control-plane node needs protecting (a single node) or the API is down"
                        + " on purpose; nothing was changed"));
            }
            SetupLease.Outcome.HeldBy held = (SetupLease.Outcome.HeldBy) outcome;
            if (!now.isBefore(deadline)) {
                return refuse(new Refusal.Busy(held.holder(), held.until(), "the setup lease " + LEASE + " is held by " + held.holder()
                        + " until " + held.until() + ": another node is restarting its API server. Waited "
                        + Units.formatDuration(waited) + " (--lease-wait); try again later. Nothing was changed"));
            }
            if (!waitedFor.contains(held.holder())) {
                waitedFor.add(held.holder());
                progress.accept("the setup lease " + LEASE + " is held by " + held.holder() + " until " + held.until()
                        + "; waiting for it (at most until " + deadline + ")");
            }
            clock.sleep(pause(now, held.until(), deadline));
        }
    }

    /** Until the holder's expiry, but looking again at least every few seconds and not past the deadline. */
    private static Duration pause(Instant now, Instant until, Instant deadline) {
        Duration toExpiry = Duration.between(now, until);
        Duration pause = toExpiry.compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE
                : toExpiry.compareTo(SHORTEST_PAUSE) < 0 ? SHORTEST_PAUSE : toExpiry;
        Duration toDeadline = Duration.between(now, deadline);
        return toDeadline.compareTo(pause) < 0 ? toDeadline : pause;
    }

    private Optional<Refusal> refuse(Refusal refusal) {
        report.put("why", refusal.message());
        return Optional.of(refusal);
    }

    @Override
    public void release(Consumer<String> progress) throws InterruptedException {
        if (lock.isEmpty()) {
            return;
        }
        Optional<String> failed = lock.get().release();
        report.put("released", failed.isEmpty());
        if (failed.isPresent()) {
            report.put("releaseError", failed.get());
            progress.accept("could not give the setup lease back (" + failed.get() + "); it frees itself at its expiry");
        } else {
            progress.accept("gave the setup lease " + LEASE + " back");
        }
    }

    /**
     * For the command's result: {@code lease}, {@code taken}, and {@code why} not (dry run, no restart,
     * skipped, held elsewhere, unreachable) or {@code holder} and {@code released}; {@code waited} and
     * {@code waitedFor} when another node held it first.
     */
    public Map<String, Object> report() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(report));
    }

    /** Set when the lease was taken but could not be given back (it then frees itself at its expiry). */
    public Optional<String> releaseError() {
        return Optional.ofNullable((String) report.get("releaseError"));
    }
}
