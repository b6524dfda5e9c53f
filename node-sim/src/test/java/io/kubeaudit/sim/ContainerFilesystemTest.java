package io.kubeaudit.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerFilesystemTest {

    private final List<ContainerFilesystem.Mount> mounts = List.of(
            new ContainerFilesystem.Mount("/etc/kubernetes/pki", Path.of("/sb/etc/kubernetes/pki"), true),
            new ContainerFilesystem.Mount("/etc/kubernetes/audit-policy.yaml", Path.of("/sb/etc/kubernetes/audit-policy.yaml"), true),
            new ContainerFilesystem.Mount("/var/log/kubernetes/audit/", Path.of("/sb/var/log/kubernetes/audit"), false));
    private final ContainerFilesystem fs = ContainerFilesystem.fromEnvironment(Map.of(
            ContainerFilesystem.MOUNTS_ENV, ContainerFilesystem.encode(mounts),
            ContainerFilesystem.SCRATCH_ENV, "/sb/var/lib/kubelet-sim/containers/abc/rootfs"));

    @Test
    void mountedPathsMapToTheirHostPathsAndOthersToTheContainersScratch() {
        assertEquals(Path.of("/sb/var/log/kubernetes/audit/audit.log"), fs.resolve("/var/log/kubernetes/audit/audit.log").hostPath());
        assertFalse(fs.resolve("/var/log/kubernetes/audit/audit.log").readOnly());
        assertTrue(fs.resolve("/etc/kubernetes/pki/ca.crt").readOnly());
        assertEquals(Path.of("/sb/var/lib/kubelet-sim/containers/abc/rootfs/home/me/policy.yaml"),
                fs.resolve("/home/me/policy.yaml").hostPath(), "an unmounted path lives in the container, not on the host");
        assertEquals(Path.of("/sb/var/lib/kubelet-sim/containers/abc/rootfs/var/log/kubernetes/other.log"),
                fs.resolve("/var/log/kubernetes/other.log").hostPath(), "a sibling of a mounted directory is not mounted");
    }

    @Test
    void aFileMountIsAMountPointWhileFilesInADirectoryMountAreNot() {
        assertTrue(fs.resolve("/etc/kubernetes/audit-policy.yaml").isMountPoint());
        assertFalse(fs.resolve("/var/log/kubernetes/audit/audit.log").isMountPoint());
    }

    @Test
    void withoutAContainerPathsAreHostPathsAndBadTablesAreRefused() {
        assertEquals(Path.of("/var/log/a.log"), ContainerFilesystem.fromEnvironment(Map.of()).resolve("/var/log/a.log").hostPath());
        assertThrows(IllegalArgumentException.class, () -> ContainerFilesystem.parse("/a=/b"));
    }
}
