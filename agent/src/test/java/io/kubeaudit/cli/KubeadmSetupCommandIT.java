package io.kubeaudit.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeaudit.kube.FakeKubeApi;
import io.kubeaudit.sim.SimulatedNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code setup} and {@code teardown} with setup.kubeadmConfig: writeThrough, as Ansible and people see them: the
 * node's change first, then kube-system/kubeadm-config (served on 127.0.0.1, reached by the real kubectl through
 * setup.lease.kubeconfig), both in one result.
 */
class KubeadmSetupCommandIT {

    private static final String KUBEADM_API_CONF = "etc/kubernetes/cluster-endpoint.conf";

    @TempDir
    Path root;
    FakeKubeApi api;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws Exception {
        api = new FakeKubeApi();
        Files.createDirectories(root.resolve("etc/kubernetes"));
        api.kubeconfig(root.resolve(KUBEADM_API_CONF));
    }

    @AfterEach
    void stop() {
        api.close();
    }

    /** A node without a running server: enough for dry runs and refusals. */
    private byte[] manifestOnly() throws IOException {
        Path dir = Files.createDirectories(root.resolve("etc/kubernetes/manifests"));
        byte[] manifest = ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-apiserver\n  namespace: kube-system\nspec:\n  containers:\n"
                + "  - command:\n    - kube-apiserver\n    - --secure-port=6443\n    image: registry.k8s.io/kube-apiserver:v1.28.13\n"
                + "    name: kube-apiserver\n").getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve("kube-apiserver.yaml"), manifest);
        Files.writeString(root.resolve("etc/kubernetes/admin.conf"), "apiVersion: v1\nkind: Config\n");
        config("audit: {maxSize: 1, maxBackup: 1}\napply: {minFreeSpace: 1MiB, healthCommand: [true]}\n");
        return manifest;
    }

    private void config(String head) throws IOException {
        Path config = Files.createDirectories(root.resolve("etc/kube-audit-agent")).resolve("config.yaml");
        Files.writeString(config, head + "setup: {kubeadmConfig: writeThrough, lease: {kubeconfig: /" + KUBEADM_API_CONF + "}}\n");
    }

    private void serveKubeadmConfig() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/kubeadm/v1beta3-kubeadm-1.28.yaml")) {
            Map<String, Object> yaml = new Yaml().load(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            api.put(FakeKubeApi.CONFIGMAPS, new ObjectMapper().valueToTree(yaml));
        }
    }

    private String clusterConfiguration() {
        return api.object(FakeKubeApi.CONFIGMAPS, "kubeadm-config").path("data").path("ClusterConfiguration").asText();
    }

    private JsonNode runJson(String... args) throws IOException {
        out.reset();
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(new String[] {"--root", root.toString(), "--output", "json"}, 0, all, args.length, 4);
        assertEquals(Main.OK, Main.run(all, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)),
                out + "\n" + err);
        return new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aDryRunShowsBothDiffsAndWritesNeither() throws Exception {
        byte[] manifest = manifestOnly();
        serveKubeadmConfig();
        String before = clusterConfiguration();
        JsonNode json = runJson("setup", "--dry-run");
        assertTrue(json.get("changed").asBoolean());
        JsonNode kubeadm = json.get("details").get("kubeadmConfig");
        assertEquals("planned", kubeadm.get("outcome").asText(), json.toString());
        assertTrue(kubeadm.get("changes").toString().contains("apiServer.extraArgs: added audit-log-maxbackup=1"), kubeadm.toString());
        String diff = json.get("diff").asText();
        assertTrue(diff.contains("+    - --audit-policy-file=/etc/kubernetes/audit-policy.yaml"), diff);
        assertTrue(diff.contains("+++ ConfigMap kube-system/kubeadm-config ClusterConfiguration"), diff);
        assertTrue(diff.contains("+    audit-policy-file: /etc/kubernetes/audit-policy.yaml"), diff);
        assertEquals(0, api.requests("PUT", FakeKubeApi.CONFIGMAPS));
        assertEquals(before, clusterConfiguration());
        assertArrayEquals(manifest, Files.readAllBytes(root.resolve("etc/kubernetes/manifests/kube-apiserver.yaml")));
    }

    @Test
    void aRefusedSetupLeavesKubeadmConfigUntouched() throws Exception {
        manifestOnly();
        serveKubeadmConfig();
        out.reset();
        assertEquals(Main.FAILED, Main.run(new String[] {"setup", "--root", root.toString(), "--policy", "no-such-policy", "--output", "json"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
        JsonNode kubeadm = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8)).get("details").get("kubeadmConfig");
        assertEquals("not attempted", kubeadm.get("outcome").asText(), kubeadm.toString());
        assertEquals(0, api.requests("GET", FakeKubeApi.CONFIGMAPS));
    }

    @Test
    void withoutKubeadmConfigTheSetupStillSucceedsWithAWarning() throws Exception {
        manifestOnly();
        JsonNode json = runJson("setup", "--dry-run");
        assertFalse(json.get("failed").asBoolean());
        assertEquals("skipped", json.get("details").get("kubeadmConfig").get("outcome").asText());
        assertTrue(json.get("warnings").toString().contains("kubeadm-config: skipped: there is no ConfigMap kube-system/kubeadm-config"),
                json.toString());
    }

    @Test
    void setupWritesThroughOnlyOnceHealthyThenChangesNothingAndTeardownTakesItOut() throws Exception {
        try (SimulatedNode node = SimulatedNode.create(root).start()) {
            config("apply: {healthTimeout: 60s}\n");
            serveKubeadmConfig();
            String pristine = clusterConfiguration();

            JsonNode applied = runJson("setup");
            assertEquals("applied", applied.get("details").get("outcome").asText(), applied.toString());
            assertEquals("written", applied.get("details").get("kubeadmConfig").get("outcome").asText(), applied.toString());
            assertTrue(clusterConfiguration().contains("audit-policy-file: /etc/kubernetes/audit-policy.yaml"), clusterConfiguration());
            assertEquals(1, api.requests("PUT", FakeKubeApi.CONFIGMAPS));

            JsonNode again = runJson("setup");
            assertFalse(again.get("changed").asBoolean(), again.toString());
            assertEquals("unchanged", again.get("details").get("kubeadmConfig").get("outcome").asText());
            assertEquals(1, api.requests("PUT", FakeKubeApi.CONFIGMAPS));

            JsonNode down = runJson("teardown");
            assertEquals("written", down.get("details").get("kubeadmConfig").get("outcome").asText(), down.toString());
            assertEquals(new Yaml().load(pristine), (Object) new Yaml().load(clusterConfiguration()));
            assertTrue(node.kubelet().podUid().isPresent());
        }
    }
}
