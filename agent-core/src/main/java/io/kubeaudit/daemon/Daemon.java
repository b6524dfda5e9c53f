package io.kubeaudit.daemon;

import io.kubeaudit.config.AgentConfig;
import io.kubeaudit.config.SetupConfig;
import io.kubeaudit.config.Units;
import io.kubeaudit.kubeadm.KubeadmWriteThrough;
import io.kubeaudit.kubeadm.WriteThroughReport;
import io.kubeaudit.log.Log;
import io.kubeaudit.yaml.InvalidInputException;
import io.kubeaudit.yaml.SourceLocation;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
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
 * {@code kube-audit-agent run}: applies the audit setup, then ships, and keeps both going.
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
    private final SetupPort setup;
    private final ShippingPort shipping;
    private final SystemdNotifier notifier;
    private final Log log;
    private final InstantSource clock;
    private final Reconciler reconciler;
    private final BlockingQueue<DaemonEvent> events = new LinkedBlockingQueue<>();
    private final ExecutorService setupWorker = Executors.newSingleThreadExecutor(r -> thread(r, "setup-worker"));
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> thread(r, "daemon-timers"));
    private final Instant startedAt;
    private final DaemonCounters counters;
    private final Function<AgentConfig, Optional<ApiServerAuditMetrics>> auditMetrics;
    /** Timer thread only. */
    private final AuditCrossCheck crossCheck = new AuditCrossCheck();

    // Written by the main loop only; volatile so the timer thread reads current values.
    private volatile AgentConfig config;
    private volatile String fingerprint;
    private volatile String state = "starting";
    private volatile ReconcileResult lastReconcile;
    private volatile String lastReload;
    private volatile CrossCheckResult lastCrossCheck;
    /** The last write-through to kubeadm-config; kept across passes that did not run one, dropped when it is turned off. */
    private volatile WriteThroughReport lastKubeadmConfig;
    private volatile long heartbeatNanos = System.nanoTime();
    /** When the running reconcile pass started (System.nanoTime), 0 while idle. Written by the setup worker. */
    private volatile long reconcileStartedNanos;

    // Main loop only.
    private String rejectedFingerprint = "";
    private boolean reconcileRunning;
    private ReconcileResult.Trigger reconcilePending;
    private boolean shippingStarted;
    private ScheduledFuture<?> periodic;
    private SetupFileWatcher watcher;
    private StatusFile statusFile;

    /**
     * @param locks         the cluster-wide setup lock for a config; empty when setup.lease is off
     * @param kubeadmConfig the write-through to kubeadm's ClusterConfiguration for a config; empty when setup.kubeadmConfig is off
     * @param auditMetrics  the local API server's audit counters for a config; empty when setup.crossCheck is off
     */
    Daemon(ConfigSource source, ConfigSource.Loaded initial, SetupPort setup, Function<AgentConfig, Optional<ClusterLock>> locks,
           Function<AgentConfig, Optional<KubeadmWriteThrough>> kubeadmConfig, Function<AgentConfig, Optional<ApiServerAuditMetrics>> auditMetrics, ShippingPort shipping, DaemonCounters counters,
           SystemdNotifier notifier, Log log, InstantSource clock) {
        this.auditMetrics = auditMetrics;
        this.counters = counters;
        this.source = source;
        this.config = initial.config();
        this.fingerprint = initial.fingerprint();
        this.setup = setup;
        this.shipping = shipping;
        this.notifier = notifier;
        this.log = log;
        this.clock = clock;
        this.reconciler = new Reconciler(setup, locks, kubeadmConfig, counters, log, clock);
        this.startedAt = clock.instant();
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
        statusFile = new StatusFile(config.paths().resolve(config.ship().stateDir()));
        log.info(PHASE, "starting", "config", source.file(), "root", config.root(), "setup", config.setup().enabled() ? "enabled" : "disabled",
                "destinations", config.ship().destinations().size(), "status", statusFile.path());
        startWatcher();
        schedulePeriodic();
        timers.scheduleWithFixedDelay(this::publishQuietly, STATUS_INTERVAL.toMillis(), STATUS_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        timers.scheduleWithFixedDelay(this::crossCheck, CROSS_CHECK_INTERVAL.toMillis(), CROSS_CHECK_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        notifier.watchdogPingInterval().ifPresent(every -> timers.scheduleAtFixedRate(this::watchdog, 0, every.toMillis(), TimeUnit.MILLISECONDS));
        if (config.setup().enabled()) {
            requestReconcile(ReconcileResult.Trigger.START);
        } else if (!startShipping()) {
            return shutdown(1);
        }
        while (true) {
            heartbeatNanos = System.nanoTime();
            DaemonEvent event = events.poll(1, TimeUnit.SECONDS);
            if (event instanceof DaemonEvent.ReconcileRequested r) {
                reloadIfTheFileChanged();
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
            reconcileStartedNanos = System.nanoTime();
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
                        e.getClass().getSimpleName() + ": " + e.getMessage(), null, null, null);
            } finally {
                reconcileStartedNanos = 0;
            }
            post(new DaemonEvent.ReconcileDone(result));
        });
    }

    /** @return false when shipping could not start (the daemon then exits non-zero and systemd restarts it) */
    private boolean reconcileDone(ReconcileResult result) {
        reconcileRunning = false;
        lastReconcile = result;
        if (result.kubeadmConfig() != null) {
            lastKubeadmConfig = result.kubeadmConfig();
        } else if (config.setup().kubeadmConfig() == SetupConfig.KubeadmConfig.OFF) {
            lastKubeadmConfig = null;
        }
        if (result.kind() == ReconcileResult.Kind.IN_SYNC || result.kind() == ReconcileResult.Kind.DISABLED) {
            log.debug("daemon/reconcile", "in sync", "trigger", result.trigger());
        }
        if (!shippingStarted && !startShipping()) {
            return false;
        }
        publishQuietly();
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
        state = "running";
        notifier.ready(statusLine());
        publishQuietly();
        log.info(PHASE, "ready", "destinations", config.ship().destinations().size());
        return true;
    }

    /**
     * The config file was changed without a SIGHUP (an Ansible run templates it and then runs setup
     * itself): take it up before judging drift, or the daemon would undo the new setup with the old config.
     */
    private void reloadIfTheFileChanged() throws InterruptedException {
        try {
            if (source.changedSince(fingerprint) && source.changedSince(rejectedFingerprint)) {
                log.info(PHASE, "the config file changed since it was loaded; reloading it before reconciling");
                reload();
            }
        } catch (InvalidInputException e) {
            log.warn(PHASE, "cannot read the config file; keeping the running config", "error", e);
        }
    }

    private void reload() throws InterruptedException {
        state = "reloading";
        notifier.reloading("reloading " + source.file());
        try {
            ConfigSource.Loaded loaded = source.load();
            refuseRestartOnlyChanges(config, loaded.config());
            shipping.reconfigure(loaded.config());
            AgentConfig old = config;
            config = loaded.config();
            fingerprint = loaded.fingerprint();
            counters.reloads.incrementAndGet();
            lastReload = "applied at " + clock.instant();
            if (!old.setup().reconcileInterval().equals(config.setup().reconcileInterval())) {
                schedulePeriodic();
            }
            if (!old.apply().manifest().equals(config.apply().manifest()) || !old.audit().policyPath().equals(config.audit().policyPath())) {
                startWatcher();
            }
            log.info(PHASE, "config reloaded", "config", source.file(), "destinations", config.ship().destinations().size(),
                    "setup", config.setup().enabled() ? "enabled" : "disabled");
            requestReconcile(ReconcileResult.Trigger.RELOAD);
        } catch (InvalidInputException e) {
            counters.reloadsRejected.incrementAndGet();
            lastReload = "rejected at " + clock.instant() + ": " + e.getMessage();
            try {
                rejectedFingerprint = source.load().fingerprint();
            } catch (InvalidInputException again) {
                rejectedFingerprint = "";
            }
            log.error(PHASE, "config rejected; the running config stays", "config", source.file(), "error", e);
        }
        state = shippingStarted ? "running" : "starting";
        notifier.ready(lastReload.startsWith("rejected") ? "config rejected, running config kept: " + statusLine() : statusLine());
        publishQuietly();
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

    /**
     * Pings only while the daemon is really working: the main loop turned within the last half minute
     * and a running transaction is within its own time limits (two health waits and a margin).
     */
    private void watchdog() {
        long now = System.nanoTime();
        boolean loopAlive = now - heartbeatNanos < Duration.ofSeconds(30).toNanos();
        long started = reconcileStartedNanos;
        Duration transactionLimit = config.apply().healthTimeout().multipliedBy(2).plusMinutes(2);
        boolean setupAlive = started == 0 || now - started < transactionLimit.toNanos();
        if (loopAlive && setupAlive) {
            notifier.watchdog();
        } else {
            log.error(PHASE, "withholding the watchdog ping: the daemon is stuck", "mainLoopAlive", loopAlive, "setupWithinLimit", setupAlive);
        }
    }

    /** Samples the API server's audit counters and the lines read; logs a mismatch (see {@link AuditCrossCheck}). */
    private void crossCheck() {
        Optional<ApiServerAuditMetrics> source = auditMetrics.apply(config);
        if (source.isEmpty() || !shippingStarted) {
            return;
        }
        try {
            ApiServerAuditMetrics.Counters server = source.get().read();
            ShippingSnapshot read = shipping.snapshot();
            crossCheck.add(new AuditCrossCheck.Sample(clock.instant(), server.events(), server.errors(), read.eventsRead(), read.lagBytes()))
                    .ifPresent(result -> {
                        lastCrossCheck = result;
                        if (!result.consistent()) {
                            log.warn("daemon/crosscheck", "the API server's audit counters and the audit log disagree", "detail", result.detail(),
                                    "serverEvents", result.serverEvents(), "eventsRead", result.eventsRead(), "serverErrors", result.serverErrors());
                        }
                    });
        } catch (IOException e) {
            log.warn("daemon/crosscheck", "cannot read the API server's audit counters", "error", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private int shutdown(int exitCode) throws InterruptedException {
        state = "stopping";
        notifier.stopping("stopping: finishing the running setup, flushing in-flight batches");
        publishQuietly();
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
        state = "stopped";
        publishQuietly();
        log.info(PHASE, "stopped", "exitCode", exitCode);
        return exitCode;
    }

    private synchronized void publishQuietly() {
        if (shippingStarted && !"stopping".equals(state)) {
            shipping.failure().ifPresent(why -> post(new DaemonEvent.ShippingFailed(why)));
        }
        ShippingSnapshot snapshot = shippingStarted ? shipping.snapshot() : ShippingSnapshot.idle();
        DaemonStatus status = new DaemonStatus(ProcessHandle.current().pid(), startedAt, clock.instant(), state, source.file().toString(),
                lastReconcile, counters.snapshot(), snapshot, lastReload, lastCrossCheck, lastKubeadmConfig);
        try {
            statusFile.write(status);
        } catch (IOException e) {
            log.warn(PHASE, "cannot write the status file", "file", statusFile.path(), "error", e);
        }
        if ("running".equals(state)) {
            notifier.status(statusLine(snapshot));
        }
    }

    private String statusLine() {
        return statusLine(shippingStarted ? shipping.snapshot() : ShippingSnapshot.idle());
    }

    /** The systemd STATUS line: rate and lag first (what an operator checks), then the setup. */
    static String statusLine(ShippingSnapshot s, ReconcileResult last) {
        String setupPart = last == null ? "setup: not checked yet"
                : "setup: " + last.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ') + " (" + last.at() + ")";
        return String.format(Locale.ROOT, "shipping %.1f events/s, lag %s, %d acknowledged; %s", s.eventsPerSecond(),
                Units.formatSize(s.lagBytes()), s.eventsAcknowledged(), setupPart);
    }

    private String statusLine(ShippingSnapshot s) {
        return statusLine(s, lastReconcile);
    }
}
