package io.kubeaudit.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The setup and teardown commands as Ansible and people see them: exit codes, JSON and text. */
class SetupCommandTest {

    @TempDir
    Path root;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private byte[] manifest;

    @BeforeEach
    void node() throws Exception {
        Path dir = Files.createDirectories(root.resolve("etc/kubernetes/manifests"));
        manifest = ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-apiserver\n  namespace: kube-system\nspec:\n  containers:\n"
                + "  - command:\n    - kube-apiserver\n    - --secure-port=6443\n    image: registry.k8s.io/kube-apiserver:v1.29.0\n"
                + "    name: kube-apiserver\n").getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve("kube-apiserver.yaml"), manifest);
        Files.writeString(root.resolve("etc/kubernetes/admin.conf"), "apiVersion: v1\nkind: Config\n");
        // Small rotation settings so the free-space check passes on any build machine.
        Path config = Files.createDirectories(root.resolve("etc/kube-audit-agent")).resolve("config.yaml");
        Files.writeString(config, "audit: {maxSize: 1, maxBackup: 1}\napply: {minFreeSpace: 1MiB, healthCommand: [true]}\n");
    }

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void dryRunPrintsOneJsonDocumentWithTheDiffAndChangesNothing() throws Exception {
        assertEquals(Main.OK, run("setup", "--root", root.toString(), "--dry-run", "--output", "json"));
        JsonNode json = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertEquals("setup", json.get("command").asText());
        assertTrue(json.get("changed").asBoolean(), "would change");
        assertEquals("planned", json.get("details").get("outcome").asText());
        assertTrue(json.get("diff").asText().contains("+    - --audit-policy-file=/etc/kubernetes/audit-policy.yaml"), json.toString());
        assertEquals("not needed: a dry run restarts nothing", json.get("details").get("lease").get("why").asText(), json.toString());
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("[setup/preflight] ok"), "progress goes to stderr in JSON mode");
        assertArrayEquals(manifest, Files.readAllBytes(root.resolve("etc/kubernetes/manifests/kube-apiserver.yaml")));
        assertTrue(Files.notExists(root.resolve("etc/kubernetes/audit-policy.yaml")));
    }

    @Test
    void aDryRunSumsUpThePolicyChangeAndDiffPolicyShowsItWhole() throws Exception {
        Files.writeString(root.resolve("etc/kubernetes/audit-policy.yaml"), "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n");
        assertEquals(Main.OK, run("setup", "--root", root.toString(), "--dry-run", "--policy", "recommended"));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("policy /etc/kubernetes/audit-policy.yaml (recommended):\n  before: 1 rule (Metadata 1), sha256 "), text);
        assertTrue(text.matches("(?s).*  after:  \\d+ rules \\(None \\d+, Metadata \\d+, .*\\), sha256 [0-9a-f]{12}\n.*"), text);
        assertTrue(text.contains("+    - --audit-policy-file=/etc/kubernetes/audit-policy.yaml"), "the manifest diff is still whole: " + text);
        assertTrue(!text.contains("+++ /etc/kubernetes/audit-policy.yaml"), text);

        out.reset();
        assertEquals(Main.OK, run("setup", "--root", root.toString(), "--dry-run", "--policy", "recommended", "--diff-policy"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("+++ /etc/kubernetes/audit-policy.yaml"), out.toString(StandardCharsets.UTF_8));
        assertEquals(Main.USAGE, run("setup", "--root", root.toString(), "--diff-policy"));
    }

    @Test
    void aRefusalExitsOneWithEveryProblemAndNothingChanged() throws Exception {
        Files.copy(root.resolve("etc/kubernetes/manifests/kube-apiserver.yaml"), root.resolve("etc/kubernetes/manifests/kube-apiserver.yaml.bak"));
        assertEquals(Main.FAILED, run("setup", "--root", root.toString(), "--policy", "no-such-policy"));
        String errors = err.toString(StandardCharsets.UTF_8);
        assertTrue(errors.contains("error: no-such-policy: unknown policy"), errors);
        assertTrue(errors.contains("error: /etc/kubernetes/manifests/kube-apiserver.yaml.bak also declares the kube-apiserver pod"), errors);
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("nothing was changed"), out.toString(StandardCharsets.UTF_8));
        assertArrayEquals(manifest, Files.readAllBytes(root.resolve("etc/kubernetes/manifests/kube-apiserver.yaml")));
    }

    @Test
    void leaseOptionsAreCheckedBeforeAnythingRuns() {
        assertEquals(Main.USAGE, run("setup", "--root", root.toString(), "--no-lease", "--lease-wait", "1m"));
        assertEquals(Main.USAGE, run("teardown", "--root", root.toString(), "--lease-wait", "soon"));
        String errors = err.toString(StandardCharsets.UTF_8);
        assertTrue(errors.contains("--no-lease and --lease-wait exclude each other"), errors);
        assertTrue(errors.contains("--lease-wait must be a duration like 90s or 10m, found \"soon\""), errors);
    }

    @Test
    void teardownWithNothingToRemoveIsUnchanged() throws Exception {
        assertEquals(Main.OK, run("teardown", "--root", root.toString(), "--output", "json"));
        JsonNode json = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertEquals(false, json.get("changed").asBoolean());
        assertEquals("unchanged", json.get("details").get("outcome").asText());
    }
}
