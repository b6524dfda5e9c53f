package io.kubeaudit.kube;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Raw API calls through the real kubectl ({@code get|create|replace --raw}): no discovery, so they work
 * against any API server the kubeconfig reaches, including a load balancer in front of the other
 * control-plane nodes while this node's server restarts.
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

    private final String executable;
    private final Path kubeconfig;
    private final List<String> connection;
    private final Path scratch;

    /**
     * @param connection extra connection flags ({@code --server}, {@code --tls-server-name}) to reach one
     *                   particular server instead of the kubeconfig's endpoint
     * @param scratch    a private directory for request bodies (kubectl reads them with -f)
     */
    public Kubectl(String executable, Path kubeconfig, List<String> connection, Path scratch) {
        this.executable = executable;
        this.kubeconfig = kubeconfig;
        this.connection = List.copyOf(connection);
        this.scratch = scratch;
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
        Files.createDirectories(scratch);
        Path out = Files.createTempFile(scratch, ".kubectl-out", "");
        Path err = Files.createTempFile(scratch, ".kubectl-err", "");
        try {
            if (body != null) {
                bodyFile = Files.createTempFile(scratch, ".kubectl-body", ".json");
                Files.writeString(bodyFile, body);
                command.addAll(List.of("-f", bodyFile.toString()));
            }
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                return new Result(-1, "", "kubectl " + args.get(0) + " timed out after " + TIMEOUT.toSeconds() + "s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8).strip());
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            if (bodyFile != null) {
                Files.deleteIfExists(bodyFile);
            }
        }
    }
}
