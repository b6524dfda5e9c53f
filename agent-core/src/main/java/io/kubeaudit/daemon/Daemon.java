package io.kubeaudit.daemon;

import io.kubeaudit.config.AgentConfig;
import io.kubeaudit.config.SetupConfig;
import io.kubeaudit.log.Log;
import io.kubeaudit.setup.SetupRun;
import java.io.IOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * {@code kube-audit-agent run}: applies the audit setup, then ships, and keeps both going. This class
 * is the event loop; {@link ConfigReload} takes up a changed config, {@link Watchdog} decides the
 * systemd pings, {@link StatusPublisher} writes what {@code status} shows, {@link CrossCheckSampler}
 * compares the API server's audit counters with the lines read.
 *
 * <p>Threads: the main loop owns all state changes and handles one {@link DaemonEvent} at a time;
 * the setup worker runs reconcile passes (the transaction can wait minutes for the API server, and the
 * loop must stay free for SIGTERM and SIGHUP meanwhile); a timer thread posts periodic reconciles,
 * publishes the status and pings the systemd watchdog; the file watcher posts on manifest or policy change.
 *
 * <p>Stop (SIGTERM): stop accepting reconciles, let a running transaction finish (it restores the
 * backup on failure; systemd is asked for more stop time meanwhile), stop reading, flush in-flight
 * batches until ship.shutdownTimeout, write the checkpoint, exit 0.
 */
public final class Daemon {

    static final Duration STATUS_INTERVAL = Duration.ofSeconds(10);
    /** How often the API server's audit counters are compared with the lines read: a cheap scrape, a minute's worth of events. */
    static final Duration CROSS_CHECK_INTERVAL = Duration.ofMinutes(1);
    private static final String PHASE = "daemon";

    private final ConfigSource source;
    private final ShippingPort shipping;
    private final SystemdNotifier notifier;
    private final Log log;
    private final InstantSource clock;
    private final Reconciler reconciler;
    private final ConfigReload reloads;
    private final StatusPublisher status;
    private final Watchdog watchdog;
    private final CrossCheckSampler crossCheck;
    private final BlockingQueue<DaemonEvent> events = new LinkedBlockingQueue<>();
    private final ExecutorService setupWorker = Executors.newSingleThreadExecutor(r -> thread(r, "setup-worker"));
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> thread(r, "daemon-timers"));

    // Written by the main loop only; volatile so the timer thread reads current values.
    private volatile AgentConfig config;
    private volatile boolean shippingStarted;

    // Main loop only.
    private boolean reconcileRunning;
    private ReconcileResult.Trigger reconcilePending;
    private ScheduledFuture<?> periodic;
    private SetupFileWatcher watcher;

    /**
     * @param setupRuns    the setup run for a config (transaction, restart permit, write-through), as {@code setup} runs it
     * @param auditMetrics the local API server's audit counters for a config; empty when setup.crossCheck is off
     */
    Daemon(ConfigSource source, ConfigSource.Loaded initial, Function<AgentConfig, SetupRun> setupRuns,
           Function<AgentConfig, Optional<ApiServerAuditMetrics>> auditMetrics, ShippingPort shipping, DaemonCounters counters,
           SystemdNotifier notifier, Log log, InstantSource clock) {
        this.source = source;
        this.config = initial.config();
        this.shipping = shipping;
        this.notifier = notifier;
        this.log = log;
        this.clock = clock;
        this.reconciler = new Reconciler(setupRuns, counters, log, clock);
        this.status = new StatusPublisher(new StatusFile(config.paths().resolve(config.ship().stateDir())), source.file().toString(),
                counters, notifier, log, clock);
        this.reloads = new ConfigReload(source, initial, shipping, counters, status, log, clock);
        this.watchdog = new Watchdog(notifier, log, System::nanoTime);
        this.crossCheck = new CrossCheckSampler(auditMetrics, shipping, status, log, clock);
    }

    private static Thread thread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    void post(DaemonEvent event) {
        events.add(Objects.requireNonNull(event));
    }

    /** Runs until stopped; returns the process exit code (0 after an orderly stop). */
    int run() throws InterruptedException {
        log.info(PHASE, "starting", "config", source.file(), "root", config.root(), "setup", config.setup().enabled() ? "enabled" : "disabled",
                "destinations", config.ship().destinations().size(), "status", status.file().path());
        startWatcher();
        schedulePeriodic();
        timers.scheduleWithFixedDelay(this::publish, STATUS_INTERVAL.toMillis(), STATUS_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        timers.scheduleWithFixedDelay(this::sampleCrossCheck, CROSS_CHECK_INTERVAL.toMillis(), CROSS_CHECK_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
        notifier.watchdogPingInterval().ifPresent(every -> timers.scheduleAtFixedRate(() -> watchdog.check(config.apply().healthTimeout()),
                0, every.toMillis(), TimeUnit.MILLISECONDS));
        if (config.setup().enabled()) {
            requestReconcile(ReconcileResult.Trigger.START);
        } else if (!startShipping()) {
            return shutdown(1);
        }
        while (true) {
            watchdog.loopTurned();
            DaemonEvent event = events.poll(1, TimeUnit.SECONDS);
            if (event instanceof DaemonEvent.ReconcileRequested r) {
                if (reloads.fileChanged()) {
                    log.info(PHASE, "the config file changed since it was loaded; reloading it before reconciling");
                    reload();
                }
                requestReconcile(r.trigger());
            } else if (event instanceof DaemonEvent.ReconcileDone done) {
                if (!reconcileDone(done.result())) {
                    return shutdown(1);
                }
            } else if (event instanceof DaemonEvent.ReloadRequested) {
                reload();
            } else if (event instanceof DaemonEvent.StopRequested stop) {
                log.info(PHASE, "stopping", "signal", stop.why());
                return shutdown(0);
            } else if (event instanceof DaemonEvent.ShippingFailed failed) {
                // Exit non-zero: systemd restarts the agent (Restart=on-failure), which resumes from the checkpoint.
                log.error(PHASE, "shipping stopped on its own; exiting so systemd restarts the agent", "reason", failed.why());
                return shutdown(1);
            }
        }
    }

    private void requestReconcile(ReconcileResult.Trigger trigger) {
        if (reconcileRunning) {
            // One pass at a time; a request meanwhile runs once afterwards (several coalesce).
            reconcilePending = reconcilePending == null ? trigger : reconcilePending;
            return;
        }
        reconcileRunning = true;
        AgentConfig current = config;
        setupWorker.execute(() -> {
            watchdog.reconcileStarted();
            ReconcileResult result;
            try {
                result = reconciler.reconcile(current, trigger);
            } catch (InterruptedException e) {
                // Only the JVM's exit interrupts this worker; there is nobody left to report to.
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("daemon/reconcile", "reconcile pass failed unexpectedly", "error", e);
                result = new ReconcileResult(clock.instant(), trigger, ReconcileResult.Kind.CHECK_FAILED, List.of(),
                        e.getClass().getSimpleName() + ": " + e.getMessage(), null, null, null, null);
            } finally {
                watchdog.reconcileEnded();
            }
            post(new DaemonEvent.ReconcileDone(result));
        });
    }

    /** @return false when shipping could not start (the daemon then exits non-zero and systemd restarts it) */
    private boolean reconcileDone(ReconcileResult result) {
        reconcileRunning = false;
        status.reconciled(result, config.setup().kubeadmConfig() == SetupConfig.KubeadmConfig.OFF);
        if (result.kind() == ReconcileResult.Kind.IN_SYNC || result.kind() == ReconcileResult.Kind.DISABLED) {
            log.debug("daemon/reconcile", "in sync", "trigger", result.trigger());
        }
        if (!shippingStarted && !startShipping()) {
            return false;
        }
        publish();
        if (reconcilePending != null) {
            ReconcileResult.Trigger next = reconcilePending;
            reconcilePending = null;
            requestReconcile(next);
        }
        return true;
    }

    private boolean startShipping() {
        try {
            shipping.start();
        } catch (Exception e) {
            log.error(PHASE, "cannot start shipping", "error", e);
            return false;
        }
        shippingStarted = true;
        status.state(DaemonState.RUNNING);
        notifier.ready(statusLine());
        publish();
        log.info(PHASE, "ready", "destinations", config.ship().destinations().size());
        return true;
    }

    private void reload() throws InterruptedException {
        status.state(DaemonState.RELOADING);
        notifier.reloading("reloading " + source.file());
        ConfigReload.Outcome outcome = reloads.reload(config);
        if (outcome instanceof ConfigReload.Outcome.Applied applied) {
            AgentConfig old = applied.previous();
            config = applied.config();
            if (!old.setup().reconcileInterval().equals(config.setup().reconcileInterval())) {
                schedulePeriodic();
            }
            if (!old.apply().manifest().equals(config.apply().manifest()) || !old.audit().policyPath().equals(config.audit().policyPath())) {
                startWatcher();
            }
            requestReconcile(ReconcileResult.Trigger.RELOAD);
        }
        status.state(shippingStarted ? DaemonState.RUNNING : DaemonState.STARTING);
        notifier.ready(outcome instanceof ConfigReload.Outcome.Rejected ? "config rejected, running config kept: " + statusLine() : statusLine());
        publish();
    }

    private void schedulePeriodic() {
        if (periodic != null) {
            periodic.cancel(false);
        }
        long every = config.setup().reconcileInterval().toMillis();
        periodic = timers.scheduleWithFixedDelay(() -> post(new DaemonEvent.ReconcileRequested(ReconcileResult.Trigger.PERIODIC)),
                every, every, TimeUnit.MILLISECONDS);
    }

    private void startWatcher() {
        try {
            if (watcher != null) {
                watcher.close();
            }
            watcher = new SetupFileWatcher(List.of(config.paths().resolve(config.apply().manifest()),
                    config.paths().resolve(config.audit().policyPath())),
                    () -> post(new DaemonEvent.ReconcileRequested(ReconcileResult.Trigger.FILE_CHANGE)), log);
        } catch (IOException e) {
            log.warn("daemon/watch", "cannot watch the manifest and policy; relying on the periodic reconcile", "error", e);
            watcher = null;
        }
    }

    private void sampleCrossCheck() {
        if (shippingStarted) {
            crossCheck.sample(config);
        }
    }

    private int shutdown(int exitCode) throws InterruptedException {
        status.state(DaemonState.STOPPING);
        notifier.stopping("stopping: finishing the running setup, flushing in-flight batches");
        publish();
        if (periodic != null) {
            periodic.cancel(false);
        }
        try {
            if (watcher != null) {
                watcher.close();
            }
        } catch (IOException e) {
            log.warn(PHASE, "cannot close the file watcher", "error", e);
        }
        setupWorker.shutdown();
        while (!setupWorker.awaitTermination(10, TimeUnit.SECONDS)) {
            // Killing the transaction mid-swap could leave a broken API server without its rollback.
            log.info(PHASE, "waiting for the running setup transaction to finish before stopping");
            notifier.extendTimeout(Duration.ofSeconds(30));
        }
        if (shippingStarted) {
            Duration deadline = config.ship().shutdownTimeout();
            ShippingPort.StopReport report = shipping.stop(deadline);
            if (report.unacknowledged() > 0) {
                log.warn(PHASE, "stopped with events not yet acknowledged; they are read and sent again on the next start",
                        "unacknowledged", report.unacknowledged(), "deadline", deadline);
            }
            log.info(PHASE, "shipping stopped", "acknowledged", report.acknowledged(), "checkpointWritten", report.checkpointWritten());
        }
        timers.shutdownNow();
        status.state(DaemonState.STOPPED);
        publish();
        log.info(PHASE, "stopped", "exitCode", exitCode);
        return exitCode;
    }

    /** Publishes the status; on the way, notices shipping that stopped on its own (the loop then exits for systemd to restart it). */
    private void publish() {
        if (shippingStarted && status.state() != DaemonState.STOPPING) {
            shipping.failure().ifPresent(why -> post(new DaemonEvent.ShippingFailed(why)));
        }
        status.publish(shippingStarted ? shipping.snapshot() : ShippingSnapshot.idle());
    }

    private String statusLine() {
        return status.statusLine(shippingStarted ? shipping.snapshot() : ShippingSnapshot.idle());
    }
}
