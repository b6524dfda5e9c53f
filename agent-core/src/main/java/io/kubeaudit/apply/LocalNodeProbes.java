package io.kubeaudit.apply;

import io.kubeaudit.apply.health.AuditEventCheck;
import io.kubeaudit.apply.health.CommandHealthCheck;
import io.kubeaudit.apply.health.EndpointHealthCheck;
import io.kubeaudit.apply.health.HealthCheck;
import io.kubeaudit.apply.health.HealthCommand;
import io.kubeaudit.apply.observe.AnyRestartWatch;
import io.kubeaudit.apply.observe.ContainerLogWatch;
import io.kubeaudit.apply.observe.Diagnosis;
import io.kubeaudit.apply.observe.FailureDiagnostics;
import io.kubeaudit.apply.observe.ProcessTableWatch;
import io.kubeaudit.config.AgentConfig;
import io.kubeaudit.manifest.ApiServerManifest;
import io.kubeaudit.node.NodePaths;
import io.kubeaudit.process.ProcessRunner;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The node's own evidence: the kubelet's container logs and the process table for restarts, the
 * configured health command and the local endpoints for answers, the audit log for events, and the
 * container log or kubelet journal for a diagnosis.
 */
final class LocalNodeProbes implements NodeProbes {

    private static final String AUDIT_LOG_FLAG = "--audit-log-path";

    private final NodePaths paths;
    private final HealthCommand healthCommand;
    private final String healthUrl;
    private final ProcessRunner runner;
    private final Supplier<List<ProcessTableWatch.ServerProcess>> processTable;
    private final FailureDiagnostics diagnostics;

    /** @param processTable this node's processes, where a new server shows up */
    LocalNodeProbes(AgentConfig config, ProcessRunner runner, Supplier<List<ProcessTableWatch.ServerProcess>> processTable,
                    FailureDiagnostics diagnostics) {
        this.paths = config.paths();
        this.healthCommand = new HealthCommand(config.apply().healthCommand());
        this.healthUrl = config.apply().healthUrl();
        this.runner = runner;
        this.processTable = processTable;
        this.diagnostics = diagnostics;
    }

    @Override
    public ServerWatch watch(ApiServerManifest target, ApiServerManifest replaced) throws IOException {
        ContainerLogWatch logs = ContainerLogWatch.start(podsDir());
        Map<String, String> mustHave = new LinkedHashMap<>(target.flags());
        mustHave.entrySet().removeAll(replaced.flags().entrySet());
        Set<String> mustLack = new HashSet<>(replaced.flags().keySet());
        mustLack.removeAll(target.flags().keySet());
        // The kubelet may reuse a pod's log file when a manifest comes back to an earlier content (same
        // pod UID); the process table still shows the new server.
        AnyRestartWatch any = new AnyRestartWatch(List.of(logs, ProcessTableWatch.start(processTable, mustHave, mustLack)));
        long kubeletLogMark = diagnostics.kubeletLogMark();
        return new ServerWatch() {
            @Override
            public long kubeletLogMark() {
                return kubeletLogMark;
            }

            @Override
            public Restarts poll() throws IOException {
                return any.poll();
            }

            @Override
            public List<Path> newContainerLogs() throws IOException {
                return logs.newLogs();
            }
        };
    }

    @Override
    public List<HealthCheck> answers(ApiServerManifest target) {
        String base = localUrl(target);
        return List.of(new CommandHealthCheck(runner, healthCommand.forHost(paths), healthCommand.toString()),
                new EndpointHealthCheck(URI.create(base + "/livez")),
                new EndpointHealthCheck(URI.create(base + "/readyz")));
    }

    /** apply.healthUrl, else HTTPS on the secure port at the address the server binds (loopback when it binds all). */
    private String localUrl(ApiServerManifest target) {
        String base = healthUrl;
        if (base.isEmpty()) {
            String bind = target.flags().getOrDefault("--bind-address", "");
            String host = bind.isEmpty() || bind.equals("0.0.0.0") || bind.equals("::") ? "127.0.0.1" : bind;
            base = "https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + target.securePort();
        }
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    @Override
    public Optional<HealthCheck> auditEvent(SetupPlan plan, Instant since) {
        // The flag and its mount were checked by preflight: the pod writes the log under the same node path.
        return plan.after().flag(AUDIT_LOG_FLAG).filter(p -> p.startsWith("/")).map(log ->
                new AuditEventCheck(paths.resolve(plan.after().mountedHostPathFor(log).orElse(log)), log, since));
    }

    @Override
    public List<Diagnosis> diagnose(ServerWatch watch, Instant since) throws InterruptedException {
        List<Diagnosis> found = new ArrayList<>();
        List<Path> logs = List.of();
        try {
            logs = watch.newContainerLogs();
        } catch (IOException e) {
            found.add(new Diagnosis("/var/log/pods", List.of("(cannot list the container logs: " + e.getMessage() + ")")));
        }
        found.addAll(diagnostics.collect(logs, since, watch.kubeletLogMark()));
        return found;
    }

    private Path podsDir() {
        return paths.resolve("/var/log/pods");
    }
}
