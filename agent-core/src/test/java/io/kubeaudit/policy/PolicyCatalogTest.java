package io.kubeaudit.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.node.NodePaths;
import io.kubeaudit.yaml.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyCatalogTest {

    @TempDir
    Path root;

    @Test
    void bundledPoliciesComeFromTheClasspathWithTheirExactBytes() throws Exception {
        assertEquals(List.of("minimal", "recommended", "cis", "forensic"), PolicyCatalog.names());
        PolicyDocument recommended = PolicyCatalog.resolve("recommended", new NodePaths(root));
        assertEquals("recommended", recommended.name());
        assertEquals("recommended.yaml", recommended.fileName());
        assertArrayEquals(Files.readAllBytes(Path.of("../policies/recommended.yaml")), recommended.content());
        assertEquals(64, recommended.sha256().length());
        assertEquals("production default derived from the GCE/GKE master policy, with the noise dropped.",
                recommended.description());
    }

    @Test
    void absolutePathsAreNodePathsReadUnderTheRoot() throws Exception {
        Path file = root.resolve("etc/kubernetes/my-policy.yaml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, TestPolicies.HEADER + "rules:\n- level: Metadata\n");
        PolicyDocument document = PolicyCatalog.resolve("/etc/kubernetes/my-policy.yaml", new NodePaths(root));
        assertEquals("my-policy", document.name());
        assertEquals("/etc/kubernetes/my-policy.yaml", document.fileName(), "messages name the file as the user wrote it");
        assertEquals(1, PolicyValidator.validate(document).rules().size());
    }

    @Test
    void relativePathsAreReadFromTheCurrentDirectory() throws Exception {
        PolicyDocument document = PolicyCatalog.resolve("../testdata/corpus/policies/falco-k8saudit-plugin-audit-policy.yaml",
                new NodePaths(root));
        assertEquals("falco-k8saudit-plugin-audit-policy", document.name());
        assertTrue(document.text().contains("k8saudit") || document.text().contains("RequestResponse"));
    }

    @Test
    void unknownNamesSuggestTheNearestBundledPolicy() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> PolicyCatalog.resolve("recomended", new NodePaths(root)));
        assertEquals("recomended: unknown policy \"recomended\" (did you mean \"recommended\"?): the bundled policies are minimal,"
                + " recommended, cis, forensic; give your own file as a path (./my-policy.yaml or /etc/kubernetes/my-policy.yaml)",
                e.getMessage());
    }

    @Test
    void aBundledFileNameThatIsNoFilePointsToTheName() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> PolicyCatalog.resolve("cis.yaml", new NodePaths(root)));
        assertTrue(e.getMessage().endsWith("; for the bundled policy write just \"cis\""), e.getMessage());
    }

    @Test
    void missingDirectoryAndHugeFilesAreRefused() throws Exception {
        NodePaths paths = new NodePaths(root);
        InvalidInputException missing = assertThrows(InvalidInputException.class, () -> PolicyCatalog.resolve("/etc/nope.yaml", paths));
        assertEquals("/etc/nope.yaml: policy file does not exist (looked at " + root.resolve("etc/nope.yaml") + ")", missing.getMessage());
        Files.createDirectories(root.resolve("etc/dir.yaml"));
        assertTrue(assertThrows(InvalidInputException.class, () -> PolicyCatalog.resolve("/etc/dir.yaml", paths))
                .getMessage().contains("not a regular file"));
        Path huge = root.resolve("etc/huge.yaml");
        Files.write(huge, new byte[(int) PolicyCatalog.MAX_POLICY_BYTES + 1]);
        assertTrue(assertThrows(InvalidInputException.class, () -> PolicyCatalog.resolve("/etc/huge.yaml", paths))
                .getMessage().contains("is this the right file?"));
    }

    @Test
    void documentsCompareByContentAndDescribeThemselves() throws Exception {
        byte[] bytes = "# mine: a test policy\napiVersion: audit.k8s.io/v1\n".getBytes(StandardCharsets.UTF_8);
        PolicyDocument a = new PolicyDocument("mine", "mine.yaml", bytes);
        bytes[0] = 'X';
        PolicyDocument b = new PolicyDocument("mine", "mine.yaml", "# mine: a test policy\napiVersion: audit.k8s.io/v1\n"
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(a, b, "the record keeps its own copy of the bytes");
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals("a test policy", a.description());
        assertEquals("", new PolicyDocument("x", "x.yaml", "kind: Policy\n".getBytes(StandardCharsets.UTF_8)).description());
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                new PolicyDocument("empty", "empty.yaml", new byte[0]).sha256());
    }
}
