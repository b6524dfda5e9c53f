package io.kubeaudit.sim;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kubeaudit.process.ProcessCall;
import io.kubeaudit.process.ProcessResult;
import io.kubeaudit.process.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Runs the installed kubectl (Debian's kubernetes-client in CI) against a simulated node. */
final class Kubectl {

    record Result(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }

    private Kubectl() {
    }

    static Path binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(dir, "kubectl");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        assumeTrue(false, "kubectl is not installed (CI installs Debian's kubernetes-client); skipping the kubectl check");
        throw new IllegalStateException("unreachable");
    }

    /** kubectl --kubeconfig NODE/etc/kubernetes/admin.conf ARGS, with its discovery cache inside the sandbox. */
    static Result run(SimulatedNode node, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(binary().toString(), "--kubeconfig", node.adminKubeconfig().toString(),
                "--cache-dir", node.root().resolve("kubectl-cache").toString(), "--request-timeout", "20s"));
        cmd.addAll(List.of(args));
        ProcessResult r = ProcessRunner.system().run(ProcessCall.data(cmd, Duration.ofSeconds(60), 1 << 20));
        if (r.timedOut()) {
            throw new IllegalStateException("kubectl " + List.of(args) + " did not finish within 60s");
        }
        return new Result(r.exitCode(), r.output(), r.errors());
    }
}
