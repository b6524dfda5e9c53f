package io.kubeaudit.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 14 item 8: a link where setup reads and replaces a file is refused, and never read through. */
class SymlinkedNodeFilesTest {

    private static final String SECRET = "root:$6$very-secret-hash:19000:0:99999:7:::";
    private static final DiskSpace PLENTY = p -> new DiskSpace.Usable(1L << 40, "/ (ext4)");

    @TempDir
    Path root;
    private Path shadow;

    @BeforeEach
    void node() throws Exception {
        Sandbox.node(root, Files.readAllBytes(Sandbox.corpus(Sandbox.PRISTINE)));
        shadow = Files.writeString(root.resolve("shadow"), SECRET + "\n");
    }

    private Preflight preflight() {
        return new Preflight(Sandbox.config(root), PLENTY, command -> Optional.of(Path.of("/usr/bin", command)));
    }

    @Test
    void aSymlinkedPolicyPathIsRefusedSayingWhereItPointsWithoutShowingTheTarget() throws Exception {
        Path policy = root.resolve("etc/kubernetes/audit-policy.yaml");
        Files.createSymbolicLink(policy, shadow);
        List<String> problems = assertThrows(SetupRefusedException.class, preflight()::planSetup).problems();
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("audit.policyPath /etc/kubernetes/audit-policy.yaml is a symbolic link to " + shadow),
                problems.get(0));
        assertFalse(problems.toString().contains("very-secret"), problems.toString());
        assertTrue(Files.isSymbolicLink(policy));
    }

    @Test
    void aSymlinkedManifestIsRefusedSayingWhereItPoints() throws Exception {
        Path manifest = root.resolve(Sandbox.MANIFEST.substring(1));
        Path real = root.resolve("elsewhere.yaml");
        Files.move(manifest, real);
        Files.createSymbolicLink(manifest, real);
        byte[] before = Files.readAllBytes(real);
        SetupRefusedException e = assertThrows(SetupRefusedException.class, preflight()::planSetup);
        assertTrue(e.getMessage().contains("apply.manifest " + Sandbox.MANIFEST + " is a symbolic link to " + real), e.getMessage());
        assertThrows(SetupRefusedException.class, preflight()::planTeardown);
        assertTrue(Files.isSymbolicLink(manifest));
        assertEquals(new String(before), Files.readString(real));
    }

    @Test
    void aRegularPolicyFileIsStillReadAsThePreviousContent() throws Exception {
        Files.writeString(root.resolve("etc/kubernetes/audit-policy.yaml"), "old policy\n");
        SetupPlan plan = preflight().planSetup();
        assertEquals("old policy\n", new String(plan.policy().orElseThrow().previous().orElseThrow()));
    }
}
