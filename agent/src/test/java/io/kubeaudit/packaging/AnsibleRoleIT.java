package io.kubeaudit.packaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.manifest.ApiServerManifest;
import io.kubeaudit.sim.SimulatedNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs examples/ansible with the real ansible-playbook against localhost, installing into a sandbox root (a simulated node). */
class AnsibleRoleIT {

    private static final Pattern RECAP = Pattern.compile("localhost\\s+:\\s+ok=(\\d+)\\s+changed=(\\d+)\\s+unreachable=0\\s+failed=(\\d+)");

    @TempDir
    Path work;

    private Run playbook(Path root, String... extra) throws Exception {
        Path ansible = HostTool.require("ansible-playbook", "ansible-core");
        Path inventory = work.resolve("inventory.ini");
        Files.writeString(inventory, "[control_plane]\nlocalhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n");
        Path jar = Files.exists(work.resolve("agent.jar")) ? work.resolve("agent.jar") : TestJar.write(work.resolve("agent.jar"));
        List<String> command = new ArrayList<>(List.of(ansible.toString(), "-i", inventory.toString(), Repo.file("examples/ansible/site.yml").toString(),
                "-e", "kube_audit_agent_root=" + root, "-e", "kube_audit_agent_stage=" + work.resolve("stage"),
                "-e", "kube_audit_agent_jar=" + jar, "-e", "kube_audit_agent_become=false", "-e", "kube_audit_agent_health_timeout=60s",
                "-e", "kube_audit_agent_policy=cis",
                // The simulated API server has no Lease API; SetupCommandLeaseTest covers setup with the lease.
                "-e", "kube_audit_agent_lease_enabled=false"));
        command.addAll(List.of(extra));
        Map<String, String> env = Map.of("ANSIBLE_NOCOLOR", "1", "ANSIBLE_HOME", work.resolve("ansible-home").toString(),
                "ANSIBLE_LOCAL_TEMP", work.resolve("ansible-tmp").toString(), "ANSIBLE_RETRY_FILES_ENABLED", "0");
        return Run.of(command, env, work, Duration.ofMinutes(5));
    }

    /** changed count from the PLAY RECAP line; fails the test when the play failed. */
    private static int changed(Run run) {
        Matcher m = RECAP.matcher(run.out());
        assertTrue(m.find(), run.both());
        assertEquals("0", m.group(3), run.both());
        assertEquals(0, run.exitCode(), run.both());
        return Integer.parseInt(m.group(2));
    }

    @Test
    void playbookPassesSyntaxCheck() throws Exception {
        Run run = playbook(work, "--syntax-check");
        assertEquals(0, run.exitCode(), run.both());
    }

    /**
     * Against a simulated control-plane node: check mode reports changes and changes nothing; the real run
     * installs, templates the config and turns auditing on through setup; a second run changes nothing.
     */
    @Test
    void checkModeThenARealRunThenNoChange(@TempDir Path root) throws Exception {
        try (SimulatedNode node = SimulatedNode.create(root).start()) {
            byte[] pristine = Files.readAllBytes(node.manifest());

            assertTrue(changed(playbook(root, "--check")) > 0);
            assertArrayEquals(pristine, Files.readAllBytes(node.manifest()));
            for (String installed : List.of("opt/kube-audit-agent", "usr/local/bin/kube-audit-agent", "etc/kube-audit-agent", "etc/systemd")) {
                assertFalse(Files.exists(root.resolve(installed)), "check mode wrote " + installed + " into the node");
            }

            assertTrue(changed(playbook(root)) > 0);
            assertTrue(Files.isRegularFile(root.resolve("opt/kube-audit-agent/kube-audit-agent.jar")));
            assertTrue(Files.isRegularFile(root.resolve("etc/systemd/system/kube-audit-agent.service")));
            String config = Files.readString(root.resolve("etc/kube-audit-agent/config.yaml"));
            assertTrue(config.contains("policy: \"cis\""), config);
            ApiServerManifest manifest = ApiServerManifest.parse("kube-apiserver.yaml", Files.readString(node.manifest()));
            assertEquals("/etc/kubernetes/audit-policy.yaml", manifest.flag("--audit-policy-file").orElseThrow());

            assertEquals(0, changed(playbook(root)), "a second run must report no change");
        }
    }
}
