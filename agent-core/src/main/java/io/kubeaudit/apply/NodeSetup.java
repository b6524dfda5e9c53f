package io.kubeaudit.apply;

import io.kubeaudit.apply.health.HealthWaiter;
import io.kubeaudit.apply.observe.FailureDiagnostics;
import io.kubeaudit.apply.observe.ProcessTableWatch;
import io.kubeaudit.config.AgentConfig;
import io.kubeaudit.log.Progress;
import io.kubeaudit.node.NodePaths;
import io.kubeaudit.process.Executables;
import io.kubeaudit.process.ProcessRunner;
import io.kubeaudit.time.WaitClock;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * Entry point for the CLI: builds a {@link ManifestTransaction} from the configuration with the
 * node's real files, processes and clock, and runs it.
 */
public final class NodeSetup {

    private static final String LOCK_FILE = "setup.lock";

    private final AgentConfig config;
    private final PrintStream out;
    private final TransactionFiles files;
    private final ProcessRunner runner;
    private final WaitClock clock;
    private final HealthWaiter.Settings health;
    private final RestartPermit permit;

    NodeSetup(AgentConfig config, PrintStream out, TransactionFiles files, ProcessRunner runner, WaitClock clock,
              HealthWaiter.Settings health) {
        this(config, out, files, runner, clock, health, RestartPermit.NONE);
    }

    private NodeSetup(AgentConfig config, PrintStream out, TransactionFiles files, ProcessRunner runner, WaitClock clock,
                      HealthWaiter.Settings health, RestartPermit permit) {
        this.config = config;
        this.out = out;
        this.files = files;
        this.runner = runner;
        this.clock = clock;
        this.health = health;
        this.permit = permit;
    }

    /** The real node under {@code config.root()}; progress lines go to {@code out}. */
    public static NodeSetup forConfig(AgentConfig config, PrintStream out) {
        WaitClock clock = WaitClock.system();
        return new NodeSetup(config, out, nodeFiles(config, clock), ProcessRunner.system(), clock,
                HealthWaiter.Settings.standard(config.apply().healthTimeout()));
    }

    /** The same setup, asking {@code permit} before it restarts the API server (the CLI's cluster-wide lease). */
    public NodeSetup withRestartPermit(RestartPermit permit) {
        return new NodeSetup(config, out, files, runner, clock, health, permit);
    }

    /** The same setup with its files wrapped, e.g. by one that fails or interferes at a step (the demo's). */
    public NodeSetup withFiles(UnaryOperator<TransactionFiles> wrap) {
        return new NodeSetup(config, out, wrap.apply(files), runner, clock, health, permit);
    }

    static NodeFiles nodeFiles(AgentConfig config, WaitClock clock) {
        NodePaths paths = config.paths();
        return new NodeFiles(new ManifestBackup(paths.resolve(config.apply().backupDir()),
                paths.resolve(config.ship().stateDir()).resolve("backups"), clock));
    }

    public SetupOutcome setup(boolean dryRun) throws InterruptedException {
        return run(Operation.SETUP, dryRun);
    }

    public SetupOutcome teardown(boolean dryRun) throws InterruptedException {
        return run(Operation.TEARDOWN, dryRun);
    }

    /** What setup would change: the manifest's diff, and the policy's (whole, or rules and levels before and after). */
    public SetupOutcome setupDryRun(boolean fullPolicyDiff) {
        return transaction(Operation.SETUP).dryRun(fullPolicyDiff);
    }

    private SetupOutcome run(Operation operation, boolean dryRun) throws InterruptedException {
        ManifestTransaction transaction = transaction(operation);
        return dryRun ? transaction.dryRun(true) : transaction.run();
    }

    ManifestTransaction transaction(Operation operation) {
        NodePaths paths = config.paths();
        Progress progress = new Progress(out, operation.command());
        // In a sandbox the host's journal and containers belong to another node (or none).
        boolean realNode = !paths.isSandboxed();
        FailureDiagnostics diagnostics = new FailureDiagnostics(paths.resolve("/var/log/kubelet.log"), runner, realNode, Executables::find);
        NodeProbes probes = new LocalNodeProbes(config, runner, ProcessTableWatch.oshi(paths.root()), diagnostics);
        Preflight preflight = new Preflight(config, DiskSpace.system(), Executables::find);
        Path lockFile = paths.resolve(config.ship().stateDir()).resolve(LOCK_FILE);
        return new ManifestTransaction(operation, preflight, files, probes, new HealthWaiter(clock, progress, health), lockFile,
                progress, clock, permit);
    }
}
