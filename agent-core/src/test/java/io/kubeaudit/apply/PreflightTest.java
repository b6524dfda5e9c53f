package io.kubeaudit.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.config.AgentConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreflightTest {

    @TempDir
    Path root;

    private static final DiskSpace PLENTY = p -> new DiskSpace.Usable(1L << 40, "/ (ext4)");

    @BeforeEach
    void node() throws Exception {
        Sandbox.node(root, Files.readAllBytes(Sandbox.corpus(Sandbox.PRISTINE)));
    }

    private Preflight preflight(AgentConfig config, DiskSpace disk) {
        return new Preflight(config, disk, command -> Optional.of(Path.of("/usr/bin", command)));
    }

    private List<String> refusal(Preflight p) {
        return assertThrows(SetupRefusedException.class, p::planSetup).problems();
    }

    @Test
    void aPristineKubeadmManifestGetsAPlan() throws Exception {
        SetupPlan plan = preflight(Sandbox.config(root), PLENTY).planSetup();
        assertTrue(plan.changesManifest());
        assertTrue(plan.changesPolicy());
        assertTrue(plan.after().flags().containsKey("--audit-policy-file"));
        assertTrue(plan.diff().contains("+    - --audit-log-path=/var/log/kubernetes/audit/audit.log"), plan.diff());
        assertTrue(plan.diff().contains("+++ /etc/kubernetes/audit-policy.yaml"), plan.diff());
    }

    @Test
    void rke2IsRefusedWithWhatToConfigureInstead() throws Exception {
        Files.createDirectories(root.resolve("etc/rancher/rke2"));
        String problem = refusal(preflight(Sandbox.config(root), PLENTY)).get(0);
        assertTrue(problem.contains("RKE2") && problem.contains("/etc/rancher/rke2/config.yaml")
                && problem.contains("audit-policy-file:") && problem.contains("kube-apiserver-arg"), problem);
    }

    @Test
    void k3sIsRefused() throws Exception {
        Files.createDirectories(root.resolve("var/lib/rancher/k3s"));
        String problem = refusal(preflight(Sandbox.config(root), PLENTY)).get(0);
        assertTrue(problem.contains("k3s") && problem.contains("/etc/rancher/k3s/config.yaml"), problem);
    }

    @Test
    void aSecondDeclarationInTheManifestsDirIsNamedButDotfilesAreIgnored() throws Exception {
        Path dir = root.resolve("etc/kubernetes/manifests");
        Files.copy(dir.resolve("kube-apiserver.yaml"), dir.resolve(".kube-apiserver.yaml.swp"));
        preflight(Sandbox.config(root), PLENTY).planSetup();
        Files.copy(dir.resolve("kube-apiserver.yaml"), dir.resolve("kube-apiserver.yaml.bak"));
        List<String> problems = refusal(preflight(Sandbox.config(root), PLENTY));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("/etc/kubernetes/manifests/kube-apiserver.yaml.bak also declares the kube-apiserver pod"),
                problems.get(0));
    }

    @Test
    void everyProblemIsReportedAtOnce() throws Exception {
        Files.delete(root.resolve("etc/kubernetes/admin.conf"));
        DiskSpace tiny = p -> new DiskSpace.Usable(10L * 1024 * 1024, "/var (xfs)");
        AgentConfig config = Sandbox.config(root);
        Preflight p = new Preflight(config, tiny, command -> Optional.empty());
        List<String> problems = refusal(p);
        assertEquals(3, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("not enough free space") && problems.get(0).contains("10MiB free")
                && problems.get(0).contains("audit.maxSize 100MB x (audit.maxBackup 10 + 1)"), problems.get(0));
        assertTrue(problems.get(1).contains("\"kubectl\" is not installed"), problems.get(1));
        assertTrue(problems.get(2).contains("kubeconfig /etc/kubernetes/admin.conf does not exist"), problems.get(2));
    }

    @Test
    void anInvalidPolicyIsRefusedNamingTheFile() throws Exception {
        Path policy = root.resolve("bad-policy.yaml");
        Files.writeString(policy, "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n  verb: [get]\n");
        AgentConfig config = Sandbox.config(root, "/bad-policy.yaml", Duration.ofSeconds(5), List.of("true"), "");
        String problem = refusal(preflight(config, PLENTY)).get(0);
        assertTrue(problem.startsWith("/bad-policy.yaml:5:3"), problem);
    }

    @Test
    void aHealthUrlThatIsNotABaseUrlIsRefusedBeforeItCouldCauseARollback() throws Exception {
        AgentConfig config = Sandbox.config(root, "recommended", Duration.ofSeconds(5), List.of("true"), "127.0.0.1:6443/livez");
        String problem = refusal(preflight(config, PLENTY)).get(0);
        assertTrue(problem.startsWith("apply.healthUrl \"127.0.0.1:6443/livez\" is not a base URL"), problem);
        preflight(Sandbox.config(root, "recommended", Duration.ofSeconds(5), List.of("true"), "https://[::1]:6443"), PLENTY).planSetup();
    }

    @Test
    void teardownOfAManifestWithoutAuditingChangesNothing() throws Exception {
        SetupPlan plan = preflight(Sandbox.config(root), PLENTY).planTeardown();
        assertFalse(plan.changesAnything());
    }

    private AgentConfig withPaths(String policyPath, String logPath) {
        AgentConfig c = Sandbox.config(root);
        io.kubeaudit.config.AuditConfig a = c.audit();
        return new AgentConfig(c.root(), new io.kubeaudit.config.AuditConfig(a.policy(), policyPath, logPath, a.maxAge(),
                a.maxBackup(), a.maxSize(), a.compress()), c.apply(), c.ship(), c.metrics(), c.setup());
    }

    @Test
    void aLogDirectoryThatIsAFileIsRefusedAsTheKubeletWouldRefuseItsMount() throws Exception {
        Files.createDirectories(root.resolve("var/log"));
        Files.writeString(root.resolve("var/log/x"), "not a directory");
        byte[] before = Files.readAllBytes(root.resolve("etc/kubernetes/manifests/kube-apiserver.yaml"));

        List<String> problems = refusal(preflight(withPaths("/etc/kubernetes/audit-policy.yaml", "/var/log/x/audit.log"), PLENTY));

        assertEquals(List.of("/var/log/x (" + root.resolve("var/log/x") + "): the kubelet would not start the new kube-apiserver"
                + " container: MountVolume.SetUp failed for volume \"audit-logs\" (hostPath type DirectoryOrCreate) : hostPath type"
                + " check failed: /var/log/x is not a directory (it is a regular file); move what is in the way, or set"
                + " audit.logPath to a file in a directory that can be created"), problems);
        assertEquals(List.of(), problems.stream().filter(p -> !p.startsWith("/var/log/x")).toList());
        org.junit.jupiter.api.Assertions.assertArrayEquals(before,
                Files.readAllBytes(root.resolve("etc/kubernetes/manifests/kube-apiserver.yaml")));
        assertFalse(Files.exists(root.resolve("etc/kubernetes/audit-policy.yaml")), "nothing written");
    }

    @Test
    void aLogDirectoryBelowAFileCannotBeCreated() throws Exception {
        Files.createDirectories(root.resolve("var/log"));
        Files.writeString(root.resolve("var/log/x"), "");
        String problem = refusal(preflight(withPaths("/etc/kubernetes/audit-policy.yaml", "/var/log/x/audit/audit.log"), PLENTY)).get(0);
        assertTrue(problem.contains("MountVolume.SetUp failed for volume \"audit-logs\" (hostPath type DirectoryOrCreate) : mkdir"
                + " /var/log/x: not a directory (it is a regular file)"), problem);
    }

    @Test
    void aPolicyPathThatIsADirectoryIsRefused() throws Exception {
        Files.createDirectories(root.resolve("etc/kubernetes/audit-policy.yaml"));
        String problem = refusal(preflight(Sandbox.config(root), PLENTY)).get(0);
        assertTrue(problem.startsWith("/etc/kubernetes/audit-policy.yaml (") && problem.contains("volume \"audit-policy\""
                + " (hostPath type File) : hostPath type check failed: /etc/kubernetes/audit-policy.yaml is not a file (it is a"
                + " directory); move what is at /etc/kubernetes/audit-policy.yaml out of the way, or set audit.policyPath"), problem);
    }

    @Test
    void aMountAlreadyThereIsCheckedToo() throws Exception {
        Files.createDirectories(root.resolve("etc/kubernetes/pki"));
        Path manifest = root.resolve("etc/kubernetes/manifests/kube-apiserver.yaml");
        String text = Files.readString(manifest);
        Files.writeString(manifest, text.replace("path: /etc/kubernetes/pki\n      type: DirectoryOrCreate",
                "path: /etc/kubernetes/pki\n      type: File"));
        String problem = refusal(preflight(Sandbox.config(root), PLENTY)).get(0);
        assertTrue(problem.contains("hostPath type check failed: /etc/kubernetes/pki is not a file (it is a directory); the volume"
                + " \"k8s-certs\" was already in the manifest"), problem);
    }
}
