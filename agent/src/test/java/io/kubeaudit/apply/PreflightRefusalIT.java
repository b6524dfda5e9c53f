package io.kubeaudit.apply;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.config.AgentConfig;
import io.kubeaudit.config.AuditConfig;
import io.kubeaudit.sim.SimulatedNode;
import io.kubeaudit.sim.StaticPodStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three mistakes of issue 8, each of which took a real v1.20.2 API server down until the rollback, against
 * a simulated node running v1.20.2: each is refused before anything changes (the manifest byte for byte, no
 * restart of the running server, no policy written).
 */
class PreflightRefusalIT {

    @TempDir
    Path root;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream progress = new PrintStream(printed, true, StandardCharsets.UTF_8);

    /** The node's server, moved to v1.20.2 through its image tag (the stand-in reads its version from there). */
    private SimulatedNode nodeAt1202() throws Exception {
        SimulatedNode node = SimulatedNode.create(root).start();
        String uid = node.kubelet().podUid().orElseThrow();
        Files.writeString(node.manifest(), Files.readString(node.manifest()).replace("kube-apiserver:v1.29.0", "kube-apiserver:v1.20.2"));
        node.kubelet().awaitApiServer("running v1.20.2", s -> !s.uid().equals(uid) && s.isRunning(), SimulatedNode.START_TIMEOUT);
        node.awaitReady(SimulatedNode.START_TIMEOUT);
        return node;
    }

    private AgentConfig config(String policy, String logPath) {
        AgentConfig c = Sandbox.config(root, policy, Duration.ofSeconds(30), Sandbox.KUBECTL_GET_NODES, "");
        AuditConfig a = c.audit();
        return new AgentConfig(c.root(), new AuditConfig(a.policy(), a.policyPath(), logPath, a.maxAge(), a.maxBackup(),
                a.maxSize(), a.compress()), c.apply(), c.ship(), c.metrics(), c.setup());
    }

    /** Runs setup, expects a refusal, and checks that nothing on the node moved. */
    private List<String> refused(SimulatedNode node, AgentConfig config) throws Exception {
        byte[] manifest = Files.readAllBytes(node.manifest());
        StaticPodStatus before = node.kubelet().apiServer();

        SetupOutcome outcome = NodeSetup.forConfig(config, progress).setup(false);

        SetupOutcome.Refused r = assertInstanceOf(SetupOutcome.Refused.class, outcome, printed.toString());
        assertArrayEquals(manifest, Files.readAllBytes(node.manifest()), "the manifest is byte-identical");
        assertFalse(Files.exists(root.resolve("etc/kubernetes/audit-policy.yaml")), "no policy was written");
        node.kubelet().awaitRelist(Duration.ofSeconds(30));
        StaticPodStatus after = node.kubelet().apiServer();
        assertEquals(before.uid(), after.uid(), "the same pod");
        assertEquals(before.pid(), after.pid(), "the same server process: no restart");
        assertEquals(before.restartCount(), after.restartCount());
        return r.problems();
    }

    @Test
    void aPolicyTheServerCannotDecodeIsRefused() throws Exception {
        try (SimulatedNode node = nodeAt1202()) {
            Files.writeString(root.resolve("policy.yaml"), "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n"
                    + "- level: None\n  namespaces: [y]\n- level: None\n  users: [n]\n- level: Metadata\n  namespaces: [0o17]\n");
            List<String> problems = refused(node, config("/policy.yaml", "/var/log/kubernetes/audit/audit.log"));
            String all = String.join("\n", problems);
            assertTrue(all.contains("/policy.yaml:5:16: rules[0].namespaces[0] is y, which kube-apiserver v1.20.2 reads as the"
                    + " boolean true"), all);
            assertTrue(all.contains("/policy.yaml:7:11: rules[1].users[0] is n, which kube-apiserver v1.20.2 reads as the boolean"
                    + " false"), all);
            assertTrue(all.contains("/policy.yaml:9:16: rules[2].namespaces[0] is 0o17, which kube-apiserver v1.20.2 reads as the"
                    + " integer 15"), all);
        }
    }

    @Test
    void omitManagedFieldsIsRefusedOnAServerThatDropsIt() throws Exception {
        try (SimulatedNode node = nodeAt1202()) {
            List<String> problems = refused(node, config("forensic", "/var/log/kubernetes/audit/audit.log"));
            assertTrue(problems.get(0).contains("forensic.yaml:22:1: omitManagedFields is not a field of kube-apiserver v1.20.2's"
                    + " audit.k8s.io/v1 Policy (it arrived in 1.23): that server drops it without a word"), problems.toString());
        }
    }

    @Test
    void aLogDirectoryThatIsAFileIsRefusedAsTheKubeletWouldRefuseTheMount() throws Exception {
        try (SimulatedNode node = nodeAt1202()) {
            Files.writeString(root.resolve("var/log/x"), "a file where the log directory would go\n");
            List<String> problems = refused(node, config("recommended", "/var/log/x/audit.log"));
            assertEquals(1, problems.size(), problems.toString());
            assertTrue(problems.get(0).startsWith("/var/log/x (" + root.resolve("var/log/x") + "): the kubelet would not start the"
                    + " new kube-apiserver container: MountVolume.SetUp failed for volume \"audit-logs\" (hostPath type"
                    + " DirectoryOrCreate) : hostPath type check failed: /var/log/x is not a directory (it is a regular file);"
                    + " move what is in the way, or set audit.logPath"), problems.get(0));
        }
    }
}
