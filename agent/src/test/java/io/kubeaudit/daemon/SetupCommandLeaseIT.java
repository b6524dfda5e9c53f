package io.kubeaudit.daemon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubeaudit.cli.Main;
import io.kubeaudit.kube.FakeKubeApi;
import io.kubeaudit.kube.Kubectl;
import io.kubeaudit.kube.SetupLease;
import io.kubeaudit.manifest.ApiServerManifest;
import io.kubeaudit.sim.SimulatedNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one-shot {@code setup} (what Ansible runs) and the cluster-wide lease: the real CLI, the real kubectl
 * against a Lease API on 127.0.0.1, and a simulated control-plane node whose API server really restarts.
 */
class SetupCommandLeaseIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;
    @TempDir
    Path work;
    FakeKubeApi api;
    private String stderr = "";

    @BeforeEach
    void leaseApi() throws IOException {
        api = new FakeKubeApi();
    }

    @AfterEach
    void closeLeaseApi() {
        api.close();
    }

    /** The config Ansible templates, with the lease's kubeconfig pointing at the Lease API. */
    private void config() throws IOException {
        api.kubeconfig(root.resolve("etc/kubernetes/lease.conf"));
        Path config = Files.createDirectories(root.resolve("etc/kube-audit-agent")).resolve("config.yaml");
        Files.writeString(config, "audit: {maxSize: 1, maxBackup: 1}\napply: {healthTimeout: 60s, minFreeSpace: 1MiB}\n"
                + "setup: {lease: {kubeconfig: /etc/kubernetes/lease.conf}}\nship: {nodeName: cp-1}\n");
    }

    /** Runs the CLI with --output json; returns the result document, keeps stderr (the progress lines). */
    private JsonNode run(int expectedExit, String... args) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--root", root.toString(), "--output", "json"));
        int exit = Main.run(all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        stderr = err.toString(StandardCharsets.UTF_8);
        assertEquals(expectedExit, exit, () -> out.toString(StandardCharsets.UTF_8) + stderr);
        return JSON.readTree(out.toString(StandardCharsets.UTF_8));
    }

    private SetupLease otherNode(Duration duration) throws IOException {
        return new SetupLease(new Kubectl("kubectl", api.kubeconfig(work.resolve("cp-2.conf")), List.of(), work), "cp-2", duration,
                InstantSource.system());
    }

    private static boolean audited(SimulatedNode node) throws Exception {
        return ApiServerManifest.parse("m", Files.readString(node.manifest())).flag("--audit-policy-file").isPresent();
    }

    @Test
    void anotherHolderBlocksSetupUntilItsLeaseExpiresAndTheLeaseIsGivenBackOnceHealthy() throws Exception {
        try (SimulatedNode node = SimulatedNode.create(root).start()) {
            config();
            byte[] pristine = Files.readAllBytes(node.manifest());

            JsonNode dry = run(Main.OK, "setup", "--dry-run");
            assertEquals("not needed: a dry run restarts nothing", dry.get("details").get("lease").get("why").asText(), dry.toString());
            assertNull(api.object(FakeKubeApi.LEASES, SetupLease.NAME), "a dry run does not touch the lease");

            assertInstanceOf(SetupLease.Outcome.Acquired.class, otherNode(Duration.ofMinutes(10)).acquire());
            JsonNode refused = run(Main.FAILED, "setup", "--lease-wait", "1s");
            assertEquals("refused", refused.get("details").get("outcome").asText());
            String error = refused.get("errors").get(0).asText();
            assertTrue(error.startsWith("the setup lease kube-system/kube-audit-agent-setup is held by cp-2 until ")
                    && error.contains("Waited 1s (--lease-wait)") && error.endsWith("Nothing was changed"), error);
            assertArrayEquals(pristine, Files.readAllBytes(node.manifest()));

            // cp-2 renews for a few seconds only: setup waits for that expiry, then takes the lease.
            assertInstanceOf(SetupLease.Outcome.Acquired.class, otherNode(Duration.ofSeconds(3)).acquire());
            JsonNode applied = run(Main.OK, "setup");
            assertEquals("applied", applied.get("details").get("outcome").asText(), applied.toString());
            JsonNode lease = applied.get("details").get("lease");
            assertEquals(true, lease.get("taken").asBoolean(), lease.toString());
            assertEquals("cp-1", lease.get("holder").asText());
            assertEquals("cp-2", lease.get("waitedFor").get(0).asText(), lease.toString());
            assertEquals(true, lease.get("released").asBoolean(), lease.toString());
            assertTrue(stderr.contains("[setup/lease] the setup lease kube-system/kube-audit-agent-setup is held by cp-2 until"), stderr);
            assertTrue(audited(node));
            JsonNode stored = api.object(FakeKubeApi.LEASES, SetupLease.NAME);
            assertEquals("", stored.get("spec").get("holderIdentity").asText(), "given back after the healthy restart: " + stored);
            String version = stored.get("metadata").get("resourceVersion").asText();

            JsonNode again = run(Main.OK, "setup");
            assertEquals("unchanged", again.get("details").get("outcome").asText());
            assertEquals(false, again.get("details").get("lease").get("taken").asBoolean());
            assertEquals("the API server was not restarted", again.get("details").get("lease").get("why").asText());
            assertEquals(version, api.object(FakeKubeApi.LEASES, SetupLease.NAME).get("metadata").get("resourceVersion").asText(), "a no-op does not take the lease");
        }
    }

    @Test
    void withoutAReachableApiNothingRestartsUnlessTheLeaseIsSkipped() throws Exception {
        try (SimulatedNode node = SimulatedNode.create(root).start()) {
            config();
            byte[] pristine = Files.readAllBytes(node.manifest());
            api.close();

            JsonNode refused = run(Main.FAILED, "setup");
            String error = refused.get("errors").get(0).asText();
            assertTrue(error.startsWith("no setup lease, so no restart: cannot read the Lease kube-system/kube-audit-agent-setup")
                    && error.contains("Pass --no-lease"), error);
            assertArrayEquals(pristine, Files.readAllBytes(node.manifest()));

            JsonNode applied = run(Main.OK, "setup", "--no-lease");
            assertEquals("applied", applied.get("details").get("outcome").asText(), applied.toString());
            assertEquals("not used: --no-lease", applied.get("details").get("lease").get("why").asText());
            assertTrue(audited(node));
        }
    }
}
