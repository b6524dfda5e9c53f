package io.kubeaudit.node.sim;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        p.getOutputStream().close();
        var out = p.getInputStream();
        var err = p.getErrorStream();
        var errText = new StringBuilder();
        Thread errPump = new Thread(() -> {
            try {
                errText.append(new String(err.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                errText.append(e);
            }
        });
        errPump.start();
        String stdout = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("kubectl " + List.of(args) + " did not finish within 60s");
        }
        errPump.join(5000);
        return new Result(p.exitValue(), stdout, errText.toString());
    }
}
