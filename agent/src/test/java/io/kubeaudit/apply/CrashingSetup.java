package io.kubeaudit.apply;

import io.kubeaudit.apply.health.HealthWaiter;
import io.kubeaudit.config.AgentConfig;
import io.kubeaudit.process.ProcessRunner;
import io.kubeaudit.time.WaitClock;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Set;

/**
 * Child-JVM main for the crash tests: runs the real setup against a node root, and when it reaches the
 * named step says {@code REACHED <step>} and stops there, for the parent to kill -9 it. Step "none" runs
 * through (the parent kills it at a random moment instead).
 */
final class CrashingSetup {

    private CrashingSetup() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        String stop = args[1];
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        AgentConfig config = Sandbox.config(root, "recommended", Duration.ofSeconds(60), Sandbox.KUBECTL_GET_NODES, "");
        WaitClock clock = WaitClock.system();
        TransactionFiles files = new ForwardingFiles(NodeSetup.nodeFiles(config, clock)) {
            @Override
            public BackupLocation backup(SetupPlan plan) throws IOException {
                reach("backup");
                return super.backup(plan);
            }

            @Override
            public boolean installPolicy(PolicyChange policy) throws IOException {
                reach("installPolicy");
                return super.installPolicy(policy);
            }

            @Override
            public void writeManifest(Path manifest, byte[] content, Set<PosixFilePermission> mode) throws IOException {
                reach("writeManifest");
                super.writeManifest(manifest, content, mode);
            }

            private void reach(String step) {
                if (step.equals(stop)) {
                    halt(out, step);
                }
            }
        };
        ProcessRunner runner = call -> {
            if (stop.equals("health")) {
                halt(out, "health");
            }
            return ProcessRunner.system().run(call);
        };
        SetupOutcome outcome = new NodeSetup(config, out, files, runner, clock, HealthWaiter.Settings.standard(Duration.ofSeconds(60)))
                .setup(false);
        out.println("DONE " + outcome.getClass().getSimpleName());
    }

    /** Says where it stopped and waits there to be killed. */
    private static void halt(PrintStream out, String step) {
        out.println("REACHED " + step);
        while (true) {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
