package io.kubeaudit.apply;

import io.kubeaudit.apply.health.HealthCommand;
import io.kubeaudit.config.AgentConfig;
import io.kubeaudit.config.AuditConfig;
import io.kubeaudit.config.Units;
import io.kubeaudit.manifest.ApiServerManifest;
import io.kubeaudit.manifest.AuditManifestEditor;
import io.kubeaudit.manifest.ManifestEdit;
import io.kubeaudit.manifest.ManifestPreflight;
import io.kubeaudit.node.AtomicFileWriter;
import io.kubeaudit.node.KubeVersion;
import io.kubeaudit.node.NoFollowFiles;
import io.kubeaudit.node.NodePaths;
import io.kubeaudit.policy.PolicyCatalog;
import io.kubeaudit.policy.PolicyDocument;
import io.kubeaudit.policy.PolicyValidator;
import io.kubeaudit.policy.ServerVersionTable;
import io.kubeaudit.yaml.InvalidInputException;
import io.kubeaudit.yaml.YamlDocuments;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Every reason not to touch the node, found before anything is touched. It reads only; on any problem
 * the run ends with nothing changed, and all problems found are reported at once so the operator
 * fixes them in one go. Its result is the plan the transaction carries out.
 */
final class Preflight {

    /** The kubelet reads at most this much of a manifest file; so do we. */
    private static final int MAX_MANIFEST_BYTES = 10 * 1024 * 1024;
    private static final long MEGABYTE = 1024L * 1024;

    private final AgentConfig config;
    private final NodePaths paths;
    private final DiskSpace disk;
    private final Function<String, Optional<Path>> executables;

    Preflight(AgentConfig config, DiskSpace disk, Function<String, Optional<Path>> executables) {
        this.config = config;
        this.paths = config.paths();
        this.disk = disk;
        this.executables = executables;
    }

    SetupPlan planSetup() throws SetupRefusedException {
        refuseRegeneratedManifests();
        Current current = readManifest();
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        AuditConfig audit = config.audit();
        Optional<PolicyDocument> policy = policy(current.manifest(), problems, warnings);
        Path policyFile = paths.resolve(audit.policyPath());
        linkProblem("audit.policyPath", audit.policyPath(), policyFile).ifPresent(problems::add);
        refuseInsideManifestsDir("audit.policyPath", audit.policyPath(), problems);
        refuseInsideManifestsDir("audit.logPath", audit.logPath(), problems);
        problems.addAll(otherDeclarations());
        freeSpace().ifPresent(problems::add);
        problems.addAll(healthCommand());
        Optional<ManifestEdit> edit = policy.isEmpty() ? Optional.empty()
                : edit(() -> AuditManifestEditor.enable(current.manifest(), audit, policy.get().sha256()), problems);
        Optional<ApiServerManifest> after = edit.isEmpty() ? Optional.empty() : parseAfter(edit.get(), problems);
        after.ifPresent(a -> problems.addAll(ManifestPreflight.unmountedPaths(a)));
        after.ifPresent(a -> problems.addAll(new HostPathPreflight(paths, new HostPathPreflight.Paths(
                Optional.of(audit.policyPath()), Optional.of(audit.logDir()))).problems(a)));
        if (!problems.isEmpty()) {
            throw new SetupRefusedException(problems);
        }
        byte[] content = policy.get().content();
        PolicyChange change = new PolicyChange(policyFile, audit.policyPath(), policy.get().name(), content,
                readIfExists(policyFile), upToDate(policyFile, content));
        if (!AtomicFileWriter.OWNER_READ_WRITE.containsAll(current.mode())) {
            warnings.add("the manifest " + config.apply().manifest() + " is mode " + PosixFilePermissions.toString(current.mode())
                    + "; the agent keeps its mode, CIS 1.1.1 asks for 0600 or stricter (chmod 600 " + config.apply().manifest() + ")");
        }
        return new SetupPlan(Operation.SETUP, current.file(), config.apply().manifest(), current.bytes(), current.mode(),
                current.manifest(), after.get(), edit.get(), Optional.of(change), warnings);
    }

    SetupPlan planTeardown() throws SetupRefusedException {
        refuseRegeneratedManifests();
        Current current = readManifest();
        List<String> problems = new ArrayList<>(otherDeclarations());
        problems.addAll(healthCommand());
        Optional<ManifestEdit> edit = edit(() -> AuditManifestEditor.disable(current.manifest()), problems);
        Optional<ApiServerManifest> after = edit.isEmpty() ? Optional.empty() : parseAfter(edit.get(), problems);
        after.ifPresent(a -> problems.addAll(new HostPathPreflight(paths, new HostPathPreflight.Paths(Optional.empty(),
                Optional.empty())).problems(a)));
        if (!problems.isEmpty()) {
            throw new SetupRefusedException(problems);
        }
        return new SetupPlan(Operation.TEARDOWN, current.file(), config.apply().manifest(), current.bytes(), current.mode(),
                current.manifest(), after.get(), edit.get(), Optional.empty(), List.of());
    }

    /** The manifest as it is now. */
    private record Current(Path file, byte[] bytes, Set<PosixFilePermission> mode, ApiServerManifest manifest) {
    }

    /**
     * RKE2 and k3s write kube-apiserver's configuration themselves on every start, so an edited
     * manifest would be lost (RKE2) or there is no static pod at all (k3s): say what to configure instead.
     */
    private void refuseRegeneratedManifests() throws SetupRefusedException {
        AuditConfig a = config.audit();
        String args = "audit-log-path=" + a.logPath() + ", audit-log-maxage=" + a.maxAge() + ", audit-log-maxbackup="
                + a.maxBackup() + ", audit-log-maxsize=" + a.maxSize();
        if (Files.isDirectory(paths.resolve("/etc/rancher/rke2")) || config.apply().manifest().startsWith("/var/lib/rancher/rke2/")) {
            throw new SetupRefusedException("this is an RKE2 node: RKE2 rewrites kube-apiserver.yaml from /etc/rancher/rke2/config.yaml"
                    + " on every start, so an edited manifest would be lost. Configure auditing there instead: write the policy with"
                    + " `kube-audit-agent policy show " + a.policy() + " > /etc/rancher/rke2/audit-policy.yaml`, set"
                    + " `audit-policy-file: /etc/rancher/rke2/audit-policy.yaml` and `kube-apiserver-arg: [" + args + "]`"
                    + " (a log outside /var/lib/rancher/rke2/server/logs also needs kube-apiserver-extra-mount), then restart rke2-server");
        }
        if (Files.isDirectory(paths.resolve("/etc/rancher/k3s")) || Files.isDirectory(paths.resolve("/var/lib/rancher/k3s"))) {
            throw new SetupRefusedException("this is a k3s node: k3s runs the API server inside its own process, there is no"
                    + " static pod manifest to edit. Configure auditing in /etc/rancher/k3s/config.yaml instead:"
                    + " `kube-apiserver-arg: [audit-policy-file=<policy file>, " + args + "]`, then restart k3s");
        }
    }

    private Current readManifest() throws SetupRefusedException {
        String nodePath = config.apply().manifest();
        Path file = paths.resolve(nodePath);
        Optional<String> link = linkProblem("apply.manifest", nodePath, file);
        if (link.isPresent()) {
            throw new SetupRefusedException(link.get());
        }
        if (!Files.isRegularFile(file)) {
            throw new SetupRefusedException("no kube-apiserver manifest at " + nodePath + (paths.isSandboxed() ? " (" + file + ")" : "")
                    + ": is this a control-plane node set up by kubeadm? (setting: apply.manifest)");
        }
        try {
            byte[] bytes = NoFollowFiles.readIfExists(file, MAX_MANIFEST_BYTES).orElseThrow();
            ApiServerManifest manifest = ApiServerManifest.parse(nodePath, YamlDocuments.decode(nodePath, bytes));
            return new Current(file, bytes, Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS), manifest);
        } catch (InvalidInputException e) {
            throw new SetupRefusedException(e.getMessage());
        } catch (IOException e) {
            throw new SetupRefusedException("cannot read " + nodePath + ": " + e.getMessage());
        }
    }

    /**
     * A link where setup reads and replaces a file would be read through (its target shown in the dry
     * run's diff) and then replaced by a regular file: refused, saying where it points.
     */
    private Optional<String> linkProblem(String setting, String nodePath, Path file) {
        try {
            NoFollowFiles.refuseLink(file);
            return Optional.empty();
        } catch (NoFollowFiles.LinkRefusedException e) {
            return Optional.of(setting + " " + nodePath + " is a symbolic link to " + e.target() + "; setup never reads or replaces"
                    + " a file through a link (it would show the target's content and then put a regular file in the link's place):"
                    + " point " + setting + " at the file itself, or replace the link by the file");
        } catch (IOException e) {
            return Optional.of("cannot inspect " + setting + " " + nodePath + ": " + e.getMessage());
        }
    }

    /** The policy, validated and checked against the server's version; empty (with the problem recorded) when it fails. */
    private Optional<PolicyDocument> policy(ApiServerManifest manifest, List<String> problems, List<String> warnings) {
        try {
            PolicyDocument doc = PolicyCatalog.resolve(config.audit().policy(), paths);
            Optional<KubeVersion> server = manifest.serverVersion();
            PolicyValidator.validate(doc, server);
            if (server.isEmpty()) {
                warnings.add("the kube-apiserver image \"" + manifest.image() + "\" carries no version tag, so the policy could not be"
                        + " checked against the server's version (it was checked against the newest, "
                        + ServerVersionTable.NEWEST + "); a server older than 1.12 would refuse audit.k8s.io/v1");
            }
            return Optional.of(doc);
        } catch (InvalidInputException e) {
            problems.add(e.getMessage());
            return Optional.empty();
        }
    }

    private interface EditStep {
        ManifestEdit run() throws InvalidInputException;
    }

    /** The edit, or empty with the reason recorded: a manifest the editor cannot change safely. */
    private static Optional<ManifestEdit> edit(EditStep step, List<String> problems) {
        try {
            return Optional.of(step.run());
        } catch (InvalidInputException e) {
            problems.add(e.getMessage());
            return Optional.empty();
        }
    }

    private Optional<ApiServerManifest> parseAfter(ManifestEdit edit, List<String> problems) {
        try {
            return Optional.of(ApiServerManifest.parse(config.apply().manifest(), edit.after()));
        } catch (InvalidInputException e) {
            // The editor produced something it cannot read back: never write that to the kubelet.
            problems.add("the edited manifest would not parse (" + e.getMessage() + "); please report this with the manifest");
            return Optional.empty();
        }
    }

    /** Anything in the manifests directory is run by the kubelet; a policy or log there would be parsed as a pod. */
    private void refuseInsideManifestsDir(String setting, String nodePath, List<String> problems) {
        String dir = config.apply().manifestDir();
        if (nodePath.startsWith(dir.endsWith("/") ? dir : dir + "/")) {
            problems.add(setting + " " + nodePath + " is inside the kubelet's manifests directory " + dir
                    + ", where the kubelet would try to run it as a pod; choose a path outside it");
        }
    }

    /** Another non-dot file declaring the kube-apiserver pod would be run by the kubelet as well, or instead. */
    private List<String> otherDeclarations() throws SetupRefusedException {
        Path manifest = paths.resolve(config.apply().manifest());
        Path dir = manifest.getParent();
        List<String> problems = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "[!.]*")) {
            for (Path p : entries) {
                if (p.equals(manifest) || !Files.isRegularFile(p)) {
                    continue;
                }
                String text = new String(readCapped(p), StandardCharsets.UTF_8);
                if (ApiServerManifest.declaresKubeApiServer(text)) {
                    String nodePath = paths.toNodePath(p);
                    problems.add(nodePath + " also declares the kube-apiserver pod; the kubelet runs every file in "
                            + paths.toNodePath(dir) + " whose name does not start with a dot, so it would run that copy too or"
                            + " instead. Move it out of the directory (a backup belongs elsewhere), then run again");
                }
            }
        } catch (IOException e) {
            throw new SetupRefusedException("cannot list " + paths.toNodePath(dir) + ": " + e.getMessage());
        }
        return problems;
    }

    /** Rotated logs take up to maxSize x (maxBackup + 1), plus the configured headroom. */
    private Optional<String> freeSpace() throws SetupRefusedException {
        AuditConfig a = config.audit();
        long needed = Math.addExact(Math.multiplyExact(a.maxSize() * MEGABYTE, a.maxBackup() + 1L), config.apply().minFreeBytes());
        Path logDir = paths.resolve(a.logDir());
        try {
            DiskSpace.Usable free = disk.usable(logDir);
            if (free.bytes() < needed) {
                return Optional.of("not enough free space for the audit logs on " + free.filesystem() + " (holding " + a.logDir()
                        + "): " + Units.formatSize(free.bytes()) + " free, " + Units.formatSize(needed) + " needed (audit.maxSize "
                        + a.maxSize() + "MB x (audit.maxBackup " + a.maxBackup() + " + 1) + apply.minFreeSpace "
                        + Units.formatSize(config.apply().minFreeBytes()) + "); lower those settings or free space");
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new SetupRefusedException("cannot tell the free space for " + a.logDir() + ": " + e.getMessage());
        }
    }

    private List<String> healthCommand() {
        HealthCommand command = new HealthCommand(config.apply().healthCommand());
        List<String> problems = new ArrayList<>();
        if (executables.apply(command.executable()).isEmpty()) {
            problems.add("the health command's program \"" + command.executable() + "\" is not installed (not found on PATH);"
                    + " install it (Debian: kubernetes-client) or change apply.healthCommand");
        }
        String url = config.apply().healthUrl();
        if (!url.isEmpty() && !url.matches("https?://[^/\\s?#]+/?")) {
            problems.add("apply.healthUrl \"" + url + "\" is not a base URL such as https://127.0.0.1:6443 (scheme, host and"
                    + " port only; /livez and /readyz are added)");
        }
        Optional<Path> kubeconfig = command.kubeconfigHostPath(paths);
        if (kubeconfig.isPresent() && !Files.isRegularFile(kubeconfig.get())) {
            problems.add("the health command's kubeconfig " + command.kubeconfig().orElseThrow() + " does not exist"
                    + (paths.isSandboxed() ? " (" + kubeconfig.get() + ")" : "") + "; change apply.healthCommand");
        }
        return problems;
    }

    private static byte[] readCapped(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(MAX_MANIFEST_BYTES);
        }
    }

    private static Optional<byte[]> readIfExists(Path file) throws SetupRefusedException {
        try {
            return NoFollowFiles.readIfExists(file);
        } catch (IOException e) {
            throw new SetupRefusedException("cannot read the installed policy " + file + ": " + e.getMessage());
        }
    }

    private static boolean upToDate(Path file, byte[] content) throws SetupRefusedException {
        try {
            return AtomicFileWriter.hasContent(file, content, AtomicFileWriter.OWNER_READ_WRITE);
        } catch (IOException e) {
            throw new SetupRefusedException("cannot read the installed policy " + file + ": " + e.getMessage());
        }
    }
}
