package io.kubeaudit.check;

import io.kubeaudit.apply.observe.RunningApiServers;
import io.kubeaudit.config.AgentConfig;
import io.kubeaudit.manifest.ApiServerManifest;
import io.kubeaudit.node.NodePaths;
import io.kubeaudit.policy.AuditPolicy;
import io.kubeaudit.policy.PolicyValidator;
import io.kubeaudit.yaml.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the audit items look at on this node: the manifest (its flags, mode and owner), the running
 * kube-apiservers' flags, the policy file the server is told to read, and the log's folder.
 *
 * @param manifestFlags  the manifest's {@code --audit-*} flags; empty when it cannot be read ({@code manifestProblem} says why)
 * @param policy         the policy the effective {@code --audit-policy-file} names, parsed; empty when absent or invalid
 * @param policyProblem  why there is no policy ("" when there is one)
 */
record NodeFacts(String manifestPath, Optional<FileFacts> manifestFile, Optional<Map<String, String>> manifestFlags,
                 String manifestProblem, List<RunningApiServers.RunningApiServer> running, Optional<FileFacts> policyFile,
                 Optional<AuditPolicy> policy, String policyProblem, Optional<FileFacts> logDirectory) {

    static final String AUDIT_FLAGS = "--audit-";

    /** The flags that decide: the running server's (the first one's), else the manifest's. */
    Map<String, String> effectiveFlags() {
        return running.isEmpty() ? manifestFlags.orElse(Map.of()) : running.get(0).flags();
    }

    static NodeFacts gather(AgentConfig config, List<RunningApiServers.RunningApiServer> running) throws IOException {
        NodePaths paths = config.paths();
        String manifest = config.apply().manifest();
        Path manifestFile = paths.resolve(manifest);
        Optional<Map<String, String>> flags = Optional.empty();
        String manifestProblem = "";
        if (!Files.isRegularFile(manifestFile)) {
            manifestProblem = "no manifest at " + manifest;
        } else {
            try {
                Map<String, String> audit = new TreeMap<>();
                ApiServerManifest.parse(manifest, Files.readString(manifestFile)).flags().forEach((k, v) -> {
                    if (k.startsWith(AUDIT_FLAGS)) {
                        audit.put(k, v);
                    }
                });
                flags = Optional.of(audit);
            } catch (InvalidInputException e) {
                manifestProblem = "the manifest cannot be read: " + e.getMessage();
            }
        }
        Map<String, String> effective = running.isEmpty() ? flags.orElse(Map.of()) : running.get(0).flags();
        Optional<FileFacts> policyFile = Optional.empty();
        Optional<AuditPolicy> policy = Optional.empty();
        String policyProblem = "no --audit-policy-file";
        String policyPath = effective.get("--audit-policy-file");
        if (policyPath != null) {
            policyFile = FileFacts.of(policyPath, paths.resolve(policyPath));
            policyProblem = policyFile.isEmpty() ? "no file at " + policyPath : "";
            if (policyFile.isPresent()) {
                try {
                    policy = Optional.of(PolicyValidator.validate(policyPath, Files.readString(paths.resolve(policyPath))));
                } catch (InvalidInputException e) {
                    policyProblem = "the policy is not valid: " + e.getMessage();
                }
            }
        }
        String logPath = effective.get("--audit-log-path");
        Optional<FileFacts> logDirectory = Optional.empty();
        if (logPath != null && !logPath.equals("-") && Path.of(logPath).getParent() != null) {
            String dir = Path.of(logPath).getParent().toString();
            logDirectory = FileFacts.of(dir, paths.resolve(dir));
        }
        return new NodeFacts(manifest, FileFacts.of(manifest, manifestFile), flags, manifestProblem, running, policyFile, policy,
                policyProblem, logDirectory);
    }
}
