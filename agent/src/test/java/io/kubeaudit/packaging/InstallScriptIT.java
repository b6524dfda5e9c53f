package io.kubeaudit.packaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.sim.SimulatedNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real install.sh with bash into sandbox roots. */
class InstallScriptIT {

    @TempDir
    Path root;
    @TempDir
    Path work;
    Path jar;

    @BeforeEach
    void buildJar() throws IOException {
        jar = TestJar.write(work.resolve("kube-audit-agent.jar"));
    }

    private Run install(String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", Repo.file("install.sh").toString(), "--root", root.toString(), "--jar", jar.toString()));
        command.addAll(List.of(options));
        return Run.of(command, Map.of(), work, Duration.ofMinutes(1));
    }

    private Run uninstall(String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", Repo.file("install.sh").toString(), "--root", root.toString(), "--uninstall"));
        command.addAll(List.of(options));
        return Run.of(command, Map.of(), work, Duration.ofMinutes(3));
    }

    private Path at(String nodePath) {
        return root.resolve(nodePath.substring(1));
    }

    private static String mode(Path p) throws IOException {
        // Links as they are: the enabled unit's link points to a node path, absolute, which is not a host path.
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    /** Every file under the root with its modification time and content, to prove a run touched nothing. */
    private Map<String, String> snapshot() throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                FileTime mtime = Files.getLastModifiedTime(p, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                String content = Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? Integer.toHexString(Arrays.hashCode(Files.readAllBytes(p))) : "";
                files.put(root.relativize(p).toString(), mtime.toMillis() + " " + mode(p) + " " + content);
            }
        }
        return files;
    }

    @Test
    void installsEveryPieceWithItsMode() throws Exception {
        Run run = install();
        assertEquals(0, run.exitCode(), run.both());
        assertTrue(run.out().contains("skipped          systemctl start: --root installs into a sandbox"), run.both());
        assertTrue(Files.isRegularFile(at("/opt/kube-audit-agent/kube-audit-agent.jar")));
        assertEquals("rwxr-xr-x", mode(at("/opt/kube-audit-agent/kube-audit-agent")));
        assertEquals("rw-------", mode(at("/etc/kube-audit-agent/config.yaml")));
        assertEquals("rwx------", mode(at("/etc/kube-audit-agent")));
        assertEquals("rwx------", mode(at("/var/lib/kube-audit-agent")));
        assertEquals(Files.readString(Repo.file("systemd/kube-audit-agent.service")), Files.readString(at("/etc/systemd/system/kube-audit-agent.service")));
        assertEquals(Files.readString(Repo.file("config/config.yaml")), Files.readString(at("/etc/kube-audit-agent/config.yaml")));
        if (Files.isDirectory(Repo.file("policies"))) {
            try (Stream<Path> policies = Files.list(Repo.file("policies"))) {
                policies.filter(p -> p.toString().endsWith(".yaml"))
                        .forEach(p -> assertTrue(Files.isRegularFile(at("/opt/kube-audit-agent/policies/" + p.getFileName())), p.toString()));
            }
        }
        assertTrue(run.out().strip().endsWith("unchanged=1"), "only the Java check is unchanged on a fresh root:\n" + run.both());
        // Completion and man page, written by the installed jar from its own help.
        assertEquals(Run.of(List.of("java", "-jar", jar.toString(), "completion", "bash"), work).out(),
                Files.readString(at("/usr/local/share/bash-completion/completions/kube-audit-agent")));
        assertTrue(Files.readString(at("/usr/local/share/man/man1/kube-audit-agent.1")).contains(".TH KUBE-AUDIT-AGENT 1"));
        assertEquals(Files.readString(Repo.file("LICENSE")), Files.readString(at("/opt/kube-audit-agent/LICENSE")));

        // The launcher in /usr/local/bin finds the installed jar through its link, under any root.
        Run version = Run.of(List.of(at("/usr/local/bin/kube-audit-agent").toString(), "version"), work);
        assertEquals(0, version.exitCode(), version.both());
        assertTrue(version.out().startsWith("kube-audit-agent "), version.both());
    }

    /** The default config was just laid down: enabled (offline, in the sandbox), not started, and it says what to do next. */
    @Test
    void aFirstInstallEnablesButWaitsForTheConfigToBeReviewed() throws Exception {
        Run run = install();
        assertEquals(0, run.exitCode(), run.both());
        assertTrue(run.err().contains("the service is enabled but not started"), run.both());
        assertTrue(run.err().contains("edit /etc/kube-audit-agent/config.yaml") && run.err().contains("systemctl start kube-audit-agent"), run.both());
        if (HostTool.find("systemctl").isPresent()) {
            assertTrue(run.out().contains("changed          systemctl enable kube-audit-agent"), run.both());
            assertTrue(Files.isSymbolicLink(at("/etc/systemd/system/multi-user.target.wants/kube-audit-agent.service")));
        }
        // A rerun with the config in place says nothing more: today's behaviour.
        Run again = install();
        assertFalse(again.err().contains("not started"), again.both());
        // --start: the config was written first (as the Ansible role does), so there is nothing to wait for.
        Files.delete(at("/etc/kube-audit-agent/config.yaml"));
        Run started = install("--start");
        assertEquals(0, started.exitCode(), started.both());
        assertFalse(started.err().contains("not started"), started.both());
    }

    @Test
    void aSecondRunChangesNothing() throws Exception {
        assertEquals(0, install().exitCode());
        Map<String, String> before = snapshot();
        Run again = install();
        assertEquals(0, again.exitCode(), again.both());
        assertTrue(again.out().contains("summary: changed=0 "), again.both());
        for (String line : again.out().strip().split("\n")) {
            assertTrue(line.matches("(unchanged|kept|skipped) .*|summary: .*"), line);
        }
        assertEquals(before, snapshot());
    }

    @Test
    void anOperatorsConfigIsNeverOverwritten() throws Exception {
        Files.createDirectories(at("/etc/kube-audit-agent"));
        String mine = "audit: {policy: cis}\n";
        Files.writeString(at("/etc/kube-audit-agent/config.yaml"), mine);
        Run run = install();
        assertEquals(0, run.exitCode(), run.both());
        assertEquals(mine, Files.readString(at("/etc/kube-audit-agent/config.yaml")));
        assertTrue(run.out().contains("kept             /etc/kube-audit-agent/config.yaml"), run.both());
        assertEquals(Files.readString(Repo.file("config/config.yaml")), Files.readString(at("/opt/kube-audit-agent/config.yaml.default")));
    }

    @Test
    void anUpgradeReplacesOnlyWhatDiffers() throws Exception {
        assertEquals(0, install().exitCode());
        TestJar.write(jar, "2");
        Run run = install();
        assertEquals(0, run.exitCode(), run.both());
        assertTrue(run.out().contains("changed          /opt/kube-audit-agent/kube-audit-agent.jar"), run.both());
        assertTrue(run.out().contains("summary: changed=1 "), run.both());
    }

    @Test
    void uninstallRemovesTheProgramAndKeepsConfigStateLogsAndBackups() throws Exception {
        assertEquals(0, install().exitCode());
        Files.writeString(at("/etc/kube-audit-agent/config.yaml"), "ship: {start: end}\n");
        Path checkpoint = Files.writeString(at("/var/lib/kube-audit-agent/checkpoint.json"), "{}");
        Path log = Files.writeString(Files.createDirectories(at("/var/log/kubernetes/audit")).resolve("audit.log"), "{}\n");
        Path backup = Files.writeString(Files.createDirectories(at("/tmp/kube-audit-agent-backup-x1")).resolve("kube-audit-agent.yaml"), "kind: Pod\n");

        Run run = uninstall();
        assertEquals(0, run.exitCode(), run.both());
        assertFalse(Files.exists(at("/opt/kube-audit-agent")));
        assertFalse(Files.exists(at("/usr/local/bin/kube-audit-agent"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(at("/etc/systemd/system/kube-audit-agent.service")));
        assertFalse(Files.exists(at("/usr/local/share/man/man1/kube-audit-agent.1")));
        assertFalse(Files.exists(at("/etc/systemd/system/multi-user.target.wants/kube-audit-agent.service"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertEquals("ship: {start: end}\n", Files.readString(at("/etc/kube-audit-agent/config.yaml")));
        assertTrue(Files.exists(checkpoint) && Files.exists(log) && Files.exists(backup));

        Run again = uninstall();
        assertTrue(again.out().contains("summary: changed=0 "), again.both());
    }

    @Test
    void uninstallIsRefusedWhileTheManifestCarriesTheAgentsAuditSettings() throws Exception {
        assertEquals(0, install().exitCode());
        NodeManifests.writeManaged(root);
        Map<String, String> before = snapshot();

        Run refused = uninstall();
        assertEquals(1, refused.exitCode(), refused.both());
        assertTrue(refused.err().contains("run 'kube-audit-agent teardown' first"), refused.both());
        assertEquals(before, snapshot(), "a refused uninstall removes nothing, the program least of all");

        NodeManifests.tearDown(root);
        assertEquals(0, uninstall().exitCode());
        assertFalse(Files.exists(at("/opt/kube-audit-agent")));
    }

    /** --teardown runs the real teardown (against a simulated node) before anything is removed. */
    @Test
    void uninstallWithTeardownGivesTheManifestBackFirst() throws Exception {
        try (SimulatedNode node = SimulatedNode.create(root).start()) {
            byte[] pristine = Files.readAllBytes(node.manifest());
            Files.createDirectories(at("/etc/kube-audit-agent"));
            // The simulated API server has no Lease API.
            Files.writeString(at("/etc/kube-audit-agent/config.yaml"), "apply: {healthTimeout: 60s}\nsetup: {lease: {enabled: false}}\n");
            assertEquals(0, install().exitCode());
            Run setup = Run.of(List.of(at("/usr/local/bin/kube-audit-agent").toString(), "setup", "--root", root.toString()), Map.of(), work,
                    Duration.ofMinutes(3));
            assertEquals(0, setup.exitCode(), setup.both());
            assertNotEquals(new String(pristine), Files.readString(node.manifest()));

            assertEquals(1, uninstall().exitCode(), "refused without --teardown");
            Run run = uninstall("--teardown");
            assertEquals(0, run.exitCode(), run.both());
            assertTrue(run.out().contains("changed          kube-audit-agent teardown"), run.both());
            assertArrayEquals(pristine, Files.readAllBytes(node.manifest()), "teardown gave back the original bytes");
            assertFalse(Files.exists(at("/opt/kube-audit-agent")));
        }
    }

    @Test
    void aDryRunChangesNothingAndSaysWhatWould() throws Exception {
        Run run = install("--dry-run");
        assertEquals(0, run.exitCode(), run.both());
        assertTrue(run.out().contains("would-changed    /opt/kube-audit-agent/kube-audit-agent.jar"), run.both());
        try (Stream<Path> all = Files.list(root)) {
            assertEquals(List.of(), all.toList());
        }
    }

    @Test
    void aFileThatIsNotAJarIsRefusedBeforeAnythingChanges() throws Exception {
        Files.writeString(jar, "not a jar");
        Run run = install();
        assertEquals(1, run.exitCode(), run.both());
        assertTrue(run.err().contains("not a jar"), run.both());
        try (Stream<Path> all = Files.list(root)) {
            assertEquals(List.of(), all.toList());
        }
    }

    @Test
    void javaCannotBeInstalledIntoASandbox() throws Exception {
        // A PATH without java (copies, not links: the temp dir is deleted with what it holds): the check fails, and --install-java refuses to change the host for a sandbox.
        Path bin = Files.createDirectories(work.resolve("bin"));
        for (String tool : List.of("bash", "cmp", "stat", "mkdir", "mktemp", "cp", "chmod", "mv", "ln", "readlink", "dirname", "basename", "head", "rm", "cat")) {
            HostTool.find(tool).ifPresent(t -> {
                try {
                    Files.copy(t, bin.resolve(tool), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
        Map<String, String> env = Map.of("PATH", bin.toString());
        Run refused = Run.of(List.of(bin.resolve("bash").toString(), Repo.file("install.sh").toString(), "--root", root.toString(), "--jar", jar.toString()), env, work, Duration.ofMinutes(1));
        assertEquals(1, refused.exitCode(), refused.both());
        assertTrue(refused.err().contains("Java 17 or newer is required (no java on PATH)"), refused.both());
        Run sandbox = Run.of(List.of(bin.resolve("bash").toString(), Repo.file("install.sh").toString(), "--root", root.toString(), "--jar", jar.toString(), "--install-java"), env, work, Duration.ofMinutes(1));
        assertEquals(1, sandbox.exitCode(), sandbox.both());
        assertTrue(sandbox.err().contains("cannot be combined with --root"), sandbox.both());
    }
}
