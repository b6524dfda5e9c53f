package io.kubeaudit.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatedNodeIT {

    @Test
    void realKubectlTalksToTheLocalServerWhichLooksLikeKubeApiserverAndNothingOutlivesClose(@TempDir Path root)
            throws Exception {
        long pid;
        try (SimulatedNode node = SimulatedNode.create(root).start()) {
            Kubectl.Result nodes = Kubectl.run(node, "get", "nodes");
            assertEquals(0, nodes.exitCode(), nodes.toString());
            assertTrue(nodes.stdout().matches("(?s)NAME +STATUS +ROLES +AGE +VERSION\n" + node.nodeName()
                    + " +Ready +control-plane +\\d+s +v1\\.29\\.0\n"), nodes.toString());

            // kubeadm's restart check: the mirror pod's config hash is the static pod's UID.
            StaticPodStatus pod = node.kubelet().apiServer();
            Kubectl.Result hash = Kubectl.run(node, "get", "pod", "-n", "kube-system", "kube-apiserver-" + node.nodeName(),
                    "-o", "jsonpath={.metadata.annotations.kubernetes\\.io/config\\.hash}");
            assertEquals(0, hash.exitCode(), hash.toString());
            assertEquals(pod.uid(), hash.stdout());

            // A process-table check finds it by name, with the manifest's flags on its command line.
            pid = pod.pid().orElseThrow();
            assertEquals("kube-apiserver", Files.readString(Path.of("/proc/" + pid + "/comm")).strip());
            List<String> argv = List.of(Files.readString(Path.of("/proc/" + pid + "/cmdline")).split("\0"));
            assertEquals("kube-apiserver", argv.get(0));
            assertTrue(argv.get(1).startsWith("@"), "JVM options hide in an argfile: " + argv);
            assertEquals("--advertise-address=127.0.0.1", argv.get(2), "then the manifest's flags, as given");
            assertTrue(argv.contains("--secure-port=" + node.securePort()), argv.toString());
        }
        long stillRunning = pid;
        assertFalse(ProcessHandle.of(stillRunning).map(ProcessHandle::isAlive).orElse(false), "the server outlived close()");
        assertTrue(ProcessHandle.current().descendants().noneMatch(p -> p.info().command().orElse("").endsWith("java")),
                "no simulated server is left running");
        assertFalse(Files.exists(root.resolve("var/lib/kubelet-sim/bin/kube-apiserver")));
    }
}
