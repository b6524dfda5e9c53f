package io.kubeaudit.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.node.AtomicFileWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The setup-side failure modes of the research (3, 6, 17), as the kubelet emulator shows them. */
class KubeletFailureModesIT {

    @Test
    void aPolicyTheServerCannotLoadCrashLoopsAndTheContainerLogSaysWhy(@TempDir Path root) throws Exception {
        try (SimulatedNode node = SimulatedNode.create(root).start()) {
            String oldUid = node.kubelet().apiServer().uid();
            // v1beta1 was removed in 1.24; the simulated server is v1.29.
            NodeFixtures.writePolicy(node, "apiVersion: audit.k8s.io/v1beta1\nkind: Policy\nrules:\n- level: Metadata\n");
            NodeFixtures.swapManifest(node, NodeFixtures.audited(node));

            StaticPodStatus crashing = node.kubelet().awaitApiServer("restarted after crashing",
                    s -> !s.uid().equals(oldUid) && s.restartCount() >= 1, NodeFixtures.WAIT);
            Path podLogs = crashing.containerLog().orElseThrow().getParent();
            assertEquals(root.resolve("var/log/pods/kube-system_kube-apiserver-" + node.nodeName() + "_" + crashing.uid()
                    + "/kube-apiserver"), podLogs);
            String firstRun = Files.readString(podLogs.resolve("0.log"));
            assertTrue(firstRun.matches("(?s).*\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z stderr F Error: loading audit "
                    + "policy file: failed decoding: no kind \"Policy\" is registered for version \"audit.k8s.io/v1beta1\".*"
                    + ": from file /etc/kubernetes/audit-policy.yaml\n.*"), firstRun);
            assertTrue(Files.readString(node.kubelet().journal()).contains("CrashLoopBackOff"));
        }
    }

    @Test
    void aMissingFileHostPathLeavesNoContainerUntilTheFileAppears(@TempDir Path root) throws Exception {
        try (SimulatedNode node = SimulatedNode.create(root).start()) {
            String oldUid = node.kubelet().apiServer().uid();
            long oldPid = node.kubelet().containerPid().orElseThrow();
            NodeFixtures.swapManifest(node, NodeFixtures.audited(node));

            StaticPodStatus waiting = node.kubelet().awaitApiServer("stuck creating",
                    s -> !s.uid().equals(oldUid) && s.state() == StaticPodStatus.State.CONTAINER_CREATING, NodeFixtures.WAIT);
            assertTrue(waiting.pid().isEmpty());
            assertTrue(waiting.reason().contains("hostPath type check failed: /etc/kubernetes/audit-policy.yaml is not a file"),
                    waiting.reason());
            assertFalse(ProcessHandle.of(oldPid).map(ProcessHandle::isAlive).orElse(false), "the old server was stopped");
            assertTrue(Files.readString(node.kubelet().journal()).contains("MountVolume.SetUp failed for volume \"audit-policy\""));
            try (Stream<Path> dirs = Files.list(root.resolve("var/log/pods"))) {
                assertTrue(dirs.noneMatch(d -> d.getFileName().toString().endsWith(waiting.uid())), "no container log exists");
            }

            NodeFixtures.writePolicy(node, NodeFixtures.METADATA_POLICY);
            StaticPodStatus running = node.kubelet().awaitApiServer("started once the file exists",
                    StaticPodStatus::isRunning, NodeFixtures.WAIT);
            assertEquals(waiting.uid(), running.uid());
        }
    }

    @Test
    void anUnparsableManifestKeepsThePodOnTheWatchEventAndLosesItAtTheNextRelistWhileDotfilesAreIgnored(@TempDir Path root)
            throws Exception {
        try (SimulatedNode node = SimulatedNode.create(root).start()) {
            Path dir = node.manifest().getParent();
            long pid = node.kubelet().containerPid().orElseThrow();
            Files.writeString(dir.resolve(".kube-apiserver.yaml.swp"), "not: [a pod");
            Files.createDirectory(dir.resolve("backup"));
            Files.writeString(dir.resolve("backup/kube-apiserver.yaml"), "also not a pod");
            node.kubelet().awaitRelist(NodeFixtures.WAIT);
            assertEquals(pid, node.kubelet().containerPid().orElseThrow(), "dotfiles and subdirectories change nothing");
            assertFalse(Files.readString(node.kubelet().journal()).contains("swp"));
            assertFalse(Files.readString(node.kubelet().journal()).contains("backup"));

            AtomicFileWriter.write(node.manifest(), "apiVersion: v1\nkind: Pod\nspec: [\n".getBytes(StandardCharsets.UTF_8),
                    AtomicFileWriter.OWNER_READ_WRITE);
            StaticPodStatus gone = node.kubelet().awaitApiServer("removed", s -> s.state() == StaticPodStatus.State.ABSENT,
                    NodeFixtures.WAIT);
            assertTrue(gone.pid().isEmpty());
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
            String journal = Files.readString(node.kubelet().journal());
            assertTrue(journal.contains("Can't process manifest file \"/etc/kubernetes/manifests/kube-apiserver.yaml\": "
                    + "/etc/kubernetes/manifests/kube-apiserver.yaml: couldn't parse as pod(yaml: line"), journal);
        }
    }
}
