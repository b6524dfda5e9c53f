package io.kubeaudit.daemon;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.kubeaudit.apply.observe.RunningApiServers;
import io.kubeaudit.config.AgentConfig;
import io.kubeaudit.kubeadm.WriteThroughReport;
import io.kubeaudit.manifest.ApiServerManifest;
import io.kubeaudit.manifest.AuditManifestEditor;
import io.kubeaudit.node.KubeVersion;
import io.kubeaudit.node.NodePaths;
import io.kubeaudit.policy.PolicyCatalog;
import io.kubeaudit.yaml.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What {@code status} reports: the node's audit setup as found on disk and in the process table, and
 * the daemon's own status file (shipping per destination, last reconcile). Reads only.
 *
 * @param problems what an operator should look at, one line each (empty when all is well)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeStatus(Setup setup, Daemon daemon, List<String> problems) {

    private static final String AUDIT_FLAG_PREFIX = "--audit-";

    /**
     * @param policyInstalledSha256  sha256 of the installed policy file; null when there is none
     * @param policyConfiguredSha256 sha256 of the policy the config names; null when it cannot be read
     * @param manifestFound          there is a manifest at the configured path
     * @param manifestAuditFlags     the {@code --audit-*} flags in the manifest
     * @param manifestPolicySha256   the policy hash the agent recorded in the manifest's annotations
     * @param manifestManaged        the manifest carries what setup added (its annotation): teardown has something to remove
     * @param runningApiServers      kube-apiserver processes (under the root, for a sandbox) and their audit flags
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Setup(boolean enabled, String policyPath, String policy, String policyInstalledSha256, String policyConfiguredSha256,
                        String manifest, boolean manifestFound, Map<String, String> manifestAuditFlags, String manifestPolicySha256, boolean manifestManaged,
                        List<RunningApiServers.RunningApiServer> runningApiServers) {
    }

    /** @param running whether the process that wrote the status file is still alive */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Daemon(boolean running, String statusFile, DaemonStatus last) {
    }

    /**
     * Gathers the status for {@code config}'s node; {@code servers} is its process table. {@code shipperAnswers}: a
     * shipper (a foreground {@code ship}) answers on metrics.listen, so without a daemon only the setup goes unwatched.
     */
    public static NodeStatus gather(AgentConfig config, RunningApiServers servers, boolean shipperAnswers) throws IOException {
        NodePaths paths = config.paths();
        List<String> problems = new ArrayList<>();

        Path policyFile = paths.resolve(config.audit().policyPath());
        String installed = Files.isRegularFile(policyFile) ? sha256(Files.readAllBytes(policyFile)) : null;
        String configured = null;
        try {
            configured = PolicyCatalog.resolve(config.audit().policy(), paths).sha256();
        } catch (InvalidInputException e) {
            problems.add("the configured policy cannot be read: " + e.getMessage());
        }
        Path manifestFile = paths.resolve(config.apply().manifest());
        Map<String, String> flags = new TreeMap<>();
        String recordedPolicy = null;
        boolean managed = false;
        Optional<KubeVersion> version = Optional.empty();
        boolean manifestFound = Files.isRegularFile(manifestFile);
        if (!manifestFound) {
            problems.add("no manifest at " + config.apply().manifest());
        } else {
            try {
                ApiServerManifest m = ApiServerManifest.parse(config.apply().manifest(), Files.readString(manifestFile));
                m.flags().forEach((k, v) -> {
                    if (k.startsWith(AUDIT_FLAG_PREFIX)) {
                        flags.put(k, v);
                    }
                });
                recordedPolicy = m.annotation(AuditManifestEditor.POLICY_HASH_ANNOTATION).orElse(null);
                managed = m.annotation(AuditManifestEditor.MANAGED_ANNOTATION).isPresent();
                version = m.serverVersion();
            } catch (InvalidInputException e) {
                problems.add("the manifest cannot be read: " + e.getMessage());
            }
        }
        List<RunningApiServers.RunningApiServer> running = servers.list(AUDIT_FLAG_PREFIX);
        if (config.setup().enabled()) {
            setupProblems(config, installed, configured, manifestFound ? Optional.of(flags) : Optional.empty(), version, running, problems);
        }

        StatusFile statusFile = new StatusFile(paths.resolve(config.ship().stateDir()));
        Optional<DaemonStatus> last = statusFile.read();
        boolean alive = last.isPresent() && !DaemonState.STOPPED.text().equals(last.get().state())
                && ProcessHandle.of(last.get().pid()).map(ProcessHandle::isAlive).orElse(false);
        if (!alive && shipperAnswers) {
            if (config.setup().enabled()) {
                problems.add("no daemon is running: a shipper answers (a foreground ship?), but nothing keeps the audit setup as configured"
                        + " (setup.enabled: true; start the daemon: systemctl start kube-audit-agent)");
            }
        } else if (!alive) {
            problems.add(last.isEmpty() ? "no daemon has run with this state directory " + statusFile.path().getParent() + " (start it: systemctl start kube-audit-agent)"
                    : "the daemon is not running (last state " + last.get().state() + " at " + last.get().updatedAt() + ")");
        }
        last.map(DaemonStatus::lastReconcile).filter(r -> r.kind().isProblem())
                .ifPresent(r -> problems.add("last reconcile: " + r.kind() + ": " + r.detail()));
        last.map(DaemonStatus::crossCheck).filter(c -> !c.consistent()).ifPresent(c -> problems.add("cross-check: " + c.detail()));
        last.map(DaemonStatus::kubeadmConfig).filter(WriteThroughReport::problem)
                .ifPresent(k -> problems.add("kubeadm-config write-through " + k.outcome() + ": " + k.detail()));
        last.map(DaemonStatus::shipping).ifPresent(s -> s.destinations().stream().filter(d -> !d.lastError().isEmpty())
                .forEach(d -> problems.add("destination " + d.name() + ": " + d.lastError())));

        return new NodeStatus(new Setup(config.setup().enabled(), config.audit().policyPath(), config.audit().policy(), installed, configured,
                config.apply().manifest(), manifestFound, flags, recordedPolicy, managed, running),
                new Daemon(alive, statusFile.path().toString(), last.orElse(null)), problems);
    }

    /**
     * What differs from what setup would make of the config: the policy file, then every audit setting (policy, log
     * path, size, backups, age, format, compress) in the manifest and on each running server.
     */
    private static void setupProblems(AgentConfig config, String installed, String configured, Optional<Map<String, String>> manifestFlags,
                                      Optional<KubeVersion> version, List<RunningApiServers.RunningApiServer> running, List<String> problems) {
        if (installed == null) {
            problems.add("no audit policy at " + config.audit().policyPath());
        } else if (configured != null && !configured.equals(installed)) {
            problems.add("the installed policy differs from audit.policy \"" + config.audit().policy() + "\"");
        }
        if (manifestFlags.isPresent()) {
            if (!manifestFlags.get().containsKey("--audit-policy-file")) {
                problems.add("the manifest has no --audit-policy-file: auditing is off");
            } else {
                AuditManifestEditor.settingDifferences(config.audit(), version, manifestFlags.get()).forEach(d -> problems.add("manifest: " + d));
            }
        }
        if (running.isEmpty()) {
            problems.add("no kube-apiserver process is running on this node");
        }
        for (RunningApiServers.RunningApiServer r : running) {
            List<String> differences = AuditManifestEditor.settingDifferences(config.audit(), version, r.flags());
            differences.forEach(d -> problems.add("running kube-apiserver pid " + r.pid() + ": " + d));
            if (differences.isEmpty() && manifestFlags.isPresent() && !r.flags().equals(manifestFlags.get())) {
                problems.add("the running kube-apiserver pid " + r.pid() + "'s audit flags differ from the manifest (kubelet has not restarted it yet?)");
            }
        }
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
