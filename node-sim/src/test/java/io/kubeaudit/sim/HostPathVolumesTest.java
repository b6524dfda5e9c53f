package io.kubeaudit.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kubeaudit.node.NodePaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostPathVolumesTest {

    private static StaticPod pod(Path dir, String volumes, String mounts) throws Exception {
        Path f = Files.writeString(dir.resolve("pod.yaml"), "apiVersion: v1\nkind: Pod\nmetadata: {name: kube-apiserver, "
                + "namespace: kube-system}\nspec:\n  containers:\n  - name: kube-apiserver\n    image: kube-apiserver:v1.29.0\n"
                + "    volumeMounts:\n" + mounts + "  volumes:\n" + volumes);
        return StaticPodParser.parse(f, "/etc/kubernetes/manifests/kube-apiserver.yaml", "node-1");
    }

    @Test
    void aMissingFileFailsTheTypeCheckWithTheKubeletsMessage(@TempDir Path root) throws Exception {
        StaticPod pod = pod(root, "  - {name: audit-policy, hostPath: {path: /etc/kubernetes/audit-policy.yaml, type: File}}\n",
                "    - {name: audit-policy, mountPath: /etc/kubernetes/audit-policy.yaml, readOnly: true}\n");
        HostPathVolumes.SetUpException e = assertThrows(HostPathVolumes.SetUpException.class,
                () -> HostPathVolumes.setUp(pod, new NodePaths(root)));
        assertEquals("audit-policy", e.volume);
        assertEquals("hostPath type check failed: /etc/kubernetes/audit-policy.yaml is not a file", e.getMessage());
    }

    @Test
    void directoryOrCreateCreates0755AndTheMountsPointIntoTheSandbox(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("etc/kubernetes"));
        Files.writeString(root.resolve("etc/kubernetes/audit-policy.yaml"), "x");
        StaticPod pod = pod(root, """
                  - {name: audit-log, hostPath: {path: /var/log/kubernetes/audit/, type: DirectoryOrCreate}}
                  - {name: audit-policy, hostPath: {path: /etc/kubernetes/audit-policy.yaml, type: File}}
                """, """
                    - {name: audit-log, mountPath: /var/log/kubernetes/audit/}
                    - {name: audit-policy, mountPath: /etc/kubernetes/audit-policy.yaml, readOnly: true}
                """);
        List<ContainerFilesystem.Mount> mounts = HostPathVolumes.setUp(pod, new NodePaths(root));
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("var/log/kubernetes/audit"))));
        assertEquals(List.of(new ContainerFilesystem.Mount("/var/log/kubernetes/audit", root.resolve("var/log/kubernetes/audit"), false),
                new ContainerFilesystem.Mount("/etc/kubernetes/audit-policy.yaml", root.resolve("etc/kubernetes/audit-policy.yaml"), true)),
                mounts);
    }
}
