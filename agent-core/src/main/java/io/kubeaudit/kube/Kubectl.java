package io.kubeaudit.kube;

import io.kubeaudit.node.PrivateDirectory;
import io.kubeaudit.process.ProcessCall;
import io.kubeaudit.process.ProcessResult;
import io.kubeaudit.process.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Raw API calls through the real kubectl ({@code get|create|replace --raw}): no discovery, so they work
 * against any API server the kubeconfig reaches, including a load balancer in front of the other
 * control-plane nodes while this node's server restarts. Run through a {@link ProcessRunner}, so tests
 * can put a fake in its place.
 */
public final class Kubectl {

    /** How a call ended: stdout (the object) apart from stderr (kubectl's error line). */
    public record Result(int exitCode, String out, String err) {
        public boolean ok() {
            return exitCode == 0;
        }

        /** kubectl prints "Error from server (NotFound): ..." for a 404 with a Status body. */
        public boolean says(String reason) {
            return err.contains("(" + reason + ")");
        }
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** An API server's /metrics is a few MiB; a Lease or ConfigMap far less. */
    static final int MAX_OUTPUT_BYTES = 32 << 20;

    private final ProcessRunner runner;
    private final String executable;
    private final Path kubeconfig;
    private final List<String> connection;
    private final Path scratch;

    /**
     * @param connection extra connection flags ({@code --server}, {@code --tls-server-name}) to reach one
     *                   particular server instead of the kubeconfig's endpoint
     * @param scratch    a private directory for request bodies (kubectl reads them with -f)
     */
    public Kubectl(ProcessRunner runner, String executable, Path kubeconfig, List<String> connection, Path scratch) {
        this.runner = runner;
        this.executable = executable;
        this.kubeconfig = kubeconfig;
        this.connection = List.copyOf(connection);
        this.scratch = scratch;
    }

    /** The real {@code executable} as a child process. */
    public Kubectl(String executable, Path kubeconfig, List<String> connection, Path scratch) {
        this(ProcessRunner.system(), executable, kubeconfig, connection, scratch);
    }

    public Result get(String uri) throws IOException, InterruptedException {
        return run(List.of("get", "--raw", uri), null);
    }

    public Result create(String uri, String body) throws IOException, InterruptedException {
        return run(List.of("create", "--raw", uri), body);
    }

    public Result replace(String uri, String body) throws IOException, InterruptedException {
        return run(List.of("replace", "--raw", uri), body);
    }

    private Result run(List<String> args, String body) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(executable, "--kubeconfig", kubeconfig.toString(), "--request-timeout", "20s"));
        command.addAll(connection);
        command.addAll(args);
        Path bodyFile = null;
        try {
            if (body != null) {
                PrivateDirectory.ensure(scratch);
                bodyFile = Files.createTempFile(scratch, ".kubectl-body", ".json");
                Files.writeString(bodyFile, body);
                command.addAll(List.of("-f", bodyFile.toString()));
            }
            ProcessResult r = runner.run(ProcessCall.data(command, TIMEOUT, MAX_OUTPUT_BYTES));
            if (r.timedOut()) {
                return new Result(-1, "", "kubectl " + args.get(0) + " timed out after " + TIMEOUT.toSeconds() + "s");
            }
            return new Result(r.exitCode(), r.output(), r.errors().strip());
        } finally {
            if (bodyFile != null) {
                Files.deleteIfExists(bodyFile);
            }
        }
    }
}
