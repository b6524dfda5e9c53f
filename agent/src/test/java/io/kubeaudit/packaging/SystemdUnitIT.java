package io.kubeaudit.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.config.AgentConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemdUnitIT {

    private static final Path UNIT = Repo.file("systemd/kube-audit-agent.service");

    /**
     * A root holding what `systemd-analyze verify --root` resolves: the distribution's units (for the
     * default dependencies), the unit as installed, and the programs its Exec lines name.
     */
    private static Path sandbox(Path root) throws IOException {
        Path hostUnits = Stream.of(Path.of("/usr/lib/systemd/system"), Path.of("/lib/systemd/system"))
                .filter(Files::isDirectory).findFirst().orElseThrow(() -> new AssertionError("no /usr/lib/systemd/system on this machine"));
        copyTree(hostUnits, root.resolve("usr/lib/systemd/system"));
        Path units = Files.createDirectories(root.resolve("etc/systemd/system"));
        Files.copy(UNIT, units.resolve("kube-audit-agent.service"));
        Path opt = Files.createDirectories(root.resolve("opt/kube-audit-agent"));
        Files.copy(Repo.file("kube-audit-agent"), opt.resolve("kube-audit-agent"), StandardCopyOption.COPY_ATTRIBUTES);
        Path kill = HostTool.require("kill", "procps").toRealPath();
        Files.createDirectories(root.resolve("bin"));
        Files.copy(kill, root.resolve("bin/kill"), StandardCopyOption.COPY_ATTRIBUTES);
        return root;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(target);
                } else if (!Files.isSymbolicLink(p) || !Files.readSymbolicLink(p).isAbsolute()) {
                    // Absolute links are masked units (-> /dev/null): not needed, and they would point out of the sandbox.
                    Files.copy(p, target, LinkOption.NOFOLLOW_LINKS);
                }
            }
        }
    }

    @Test
    void systemdAnalyzeVerifiesTheUnitWithoutAWarning(@TempDir Path dir) throws Exception {
        Path tool = HostTool.require("systemd-analyze", "systemd");
        Path root = sandbox(dir);
        Run run = Run.of(List.of(tool.toString(), "verify", "--root=" + root, "kube-audit-agent.service"), dir);
        assertEquals(0, run.exitCode(), run.both());
        assertEquals("", run.err() + run.out(), "systemd-analyze printed warnings:\n" + run.both());
    }

    @Test
    void hardeningKeepsTheExposureLow(@TempDir Path dir) throws Exception {
        Path tool = HostTool.require("systemd-analyze", "systemd");
        Path root = sandbox(dir);
        // 0 is a fully sandboxed unit and 100 none at all; a root daemon that edits /etc/kubernetes cannot reach 0.
        Run run = Run.of(List.of(tool.toString(), "security", "--offline=true", "--threshold=35", "--root=" + root,
                "kube-audit-agent.service"), dir);
        assertEquals(0, run.exitCode(), run.both());
        Matcher m = Pattern.compile("Overall exposure level for kube-audit-agent.service: (\\d+\\.\\d)").matcher(run.out());
        assertTrue(m.find(), run.both());
    }

    @Test
    void everyPathTheDefaultConfigWritesIsWritableAndNoMore() throws Exception {
        List<String> writable = new ArrayList<>();
        List<String> lines = Files.readAllLines(UNIT);
        for (String line : lines) {
            if (line.startsWith("ReadWritePaths=")) {
                for (String p : line.substring("ReadWritePaths=".length()).split("\\s+")) {
                    writable.add(p.startsWith("-") ? p.substring(1) : p);
                }
            } else if (line.startsWith("StateDirectory=")) {
                writable.add("/var/lib/" + line.substring("StateDirectory=".length()));
            } else if (line.startsWith("LogsDirectory=")) {
                writable.add("/var/log/" + line.substring("LogsDirectory=".length()));
            }
        }
        AgentConfig d = AgentConfig.defaults();
        for (String path : List.of(d.apply().manifest(), d.audit().policyPath(), d.audit().logPath(), d.apply().backupDir() + "/x",
                d.ship().stateDir() + "/checkpoints")) {
            assertTrue(writable.stream().anyMatch(w -> path.startsWith(w + "/")), path + " is not under any of " + writable);
        }
        assertEquals(List.of("/etc/kubernetes", "/tmp", "/var/lib/kube-audit-agent", "/var/log/kubernetes/audit"),
                writable.stream().sorted().toList(), "a new writable path needs a reason in the unit's comments");
        assertTrue(lines.contains("PrivateTmp=no"), "the backup copy must land in the host's /tmp");
        assertTrue(lines.contains("Type=notify") && lines.contains("NotifyAccess=main"));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("ExecStart=/opt/kube-audit-agent/kube-audit-agent run ")));
    }

    @Test
    void theUnitRunsTheLaunchersMeasuredJvmOptionsWithAHeapCap() throws Exception {
        Matcher launcher = Pattern.compile("(?m)^default_java_opts=\"(.*)\"$").matcher(Files.readString(Repo.file("kube-audit-agent")));
        assertTrue(launcher.find(), "the launcher defines default_java_opts (bench/run.sh reads it)");
        Matcher unit = Pattern.compile("(?m)^Environment=\"KUBE_AUDIT_AGENT_JAVA_OPTS=(.*)\"$").matcher(Files.readString(UNIT));
        assertTrue(unit.find(), "the unit says its JVM options");
        assertEquals(launcher.group(1), unit.group(1), "the service runs what the benchmark measured");
        assertTrue(unit.group(1).contains("-Xmx128m"), "a heap cap");
    }
}
