package io.kubeaudit.apply.health;

import io.kubeaudit.process.ProcessResult;
import io.kubeaudit.process.ProcessRunner;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/** The configured health command (default {@code kubectl --kubeconfig /etc/kubernetes/admin.conf get nodes}) must exit 0. */
public final class CommandHealthCheck implements HealthCheck {

    private final ProcessRunner runner;
    private final List<String> hostCommand;
    private final String name;

    /**
     * @param hostCommand the command with node paths (the kubeconfig) already resolved under the root
     * @param name        the command as configured, for messages
     */
    public CommandHealthCheck(ProcessRunner runner, List<String> hostCommand, String name) {
        this.runner = runner;
        this.hostCommand = List.copyOf(hostCommand);
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Result check(Duration timeout) throws InterruptedException {
        try {
            ProcessResult r = runner.run(hostCommand, timeout);
            return r.succeeded() ? Result.ok(name + ": ok") : Result.failed(name + ": " + r.summary());
        } catch (IOException e) {
            return Result.failed(name + ": cannot run: " + e.getMessage());
        }
    }
}
