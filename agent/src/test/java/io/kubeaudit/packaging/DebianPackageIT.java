package io.kubeaudit.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .deb that `mvn package` built, installed with the real dpkg into a fresh root under the test's temp dir
 * (`dpkg --root` with its own database; the maintainer scripts run without chroot and see the root as DPKG_ROOT),
 * then upgraded over itself, removed and purged.
 */
class DebianPackageIT {

    private static final String ENABLED_LINK = "etc/systemd/system/multi-user.target.wants/kube-audit-agent.service";

    @TempDir
    Path root;
    @TempDir
    Path work;
    Path deb;

    @BeforeEach
    void freshRoot() throws IOException {
        HostTool.require("dpkg", "dpkg");
        try (Stream<Path> built = Files.list(Repo.file("agent/target"))) {
            deb = built.filter(p -> p.getFileName().toString().matches("kube-audit-agent_.*_all\\.deb")).findFirst()
                    .orElseThrow(() -> new AssertionError("no kube-audit-agent_*_all.deb in agent/target: `mvn package` builds it before the ITs"));
        }
        Path admin = Files.createDirectories(root.resolve("var/lib/dpkg"));
        for (String dir : List.of("info", "updates", "triggers")) {
            Files.createDirectories(admin.resolve(dir));
        }
        Files.createFile(admin.resolve("status"));
        Files.createFile(admin.resolve("available"));
    }

    private Run dpkg(String... action) throws Exception {
        List<String> command = new ArrayList<>(List.of("dpkg", "--root=" + root, "--log=" + work.resolve("dpkg.log"),
                "--force-script-chrootless", "--force-not-root",
                // The fresh root has no Java package; the scripts use the host's java on PATH.
                "--force-depends"));
        command.addAll(List.of(action));
        return Run.of(command, Map.of(), work, Duration.ofMinutes(2));
    }

    private String packageStatus() throws Exception {
        Run query = Run.of(List.of("dpkg-query", "--admindir=" + root.resolve("var/lib/dpkg"), "-W", "-f=${db:Status-Status}", "kube-audit-agent"),
                Map.of(), work, Duration.ofMinutes(1));
        return query.exitCode() == 0 ? query.out() : "unknown";
    }

    private Path at(String path) {
        return root.resolve(path);
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void installsEnabledButNotStartedThenUpgradesRemovesAndPurges() throws Exception {
        Run install = dpkg("-i", deb.toString());
        assertEquals(0, install.exitCode(), install.both());
        assertEquals("installed", packageStatus());
        assertTrue(install.err().contains("not started") && install.err().contains("systemctl start kube-audit-agent"), install.both());
        assertEquals("rwxr-xr-x", mode(at("opt/kube-audit-agent/kube-audit-agent")));
        assertEquals("rw-------", mode(at("etc/kube-audit-agent/config.yaml")));
        assertEquals("rwx------", mode(at("etc/kube-audit-agent")));
        assertEquals("rwx------", mode(at("var/lib/kube-audit-agent")));
        assertEquals(Files.readString(Repo.file("config/config.yaml")), Files.readString(at("etc/kube-audit-agent/config.yaml")));
        assertEquals(Files.readString(Repo.file("systemd/kube-audit-agent.service")), Files.readString(at("lib/systemd/system/kube-audit-agent.service")));
        for (String p : List.of("opt/kube-audit-agent/policies/recommended.yaml", "opt/kube-audit-agent/config.yaml.default",
                "usr/share/doc/kube-audit-agent/copyright", "opt/kube-audit-agent/LICENSE")) {
            assertTrue(Files.isRegularFile(at(p)), p);
        }
        assertTrue(Files.readString(at("usr/share/bash-completion/completions/kube-audit-agent")).contains("complete -o filenames -F _kube_audit_agent kube-audit-agent"));
        assertTrue(Files.readString(at("usr/share/man/man1/kube-audit-agent.1")).contains(".TH KUBE-AUDIT-AGENT 1"));
        if (HostTool.find("systemctl").isPresent()) {
            assertTrue(Files.isSymbolicLink(at(ENABLED_LINK)), "the first install enables the service");
        }
        Path conffiles = at("var/lib/dpkg/info/kube-audit-agent.conffiles");
        assertEquals("/etc/kube-audit-agent/config.yaml", Files.readString(conffiles).strip());

        // The packaged program runs through /usr/bin.
        Run version = Run.of(List.of(at("usr/bin/kube-audit-agent").toString(), "--version"), work);
        assertEquals(0, version.exitCode(), version.both());
        assertTrue(version.out().startsWith("kube-audit-agent "), version.both());

        // Upgrade over itself: an edited config (a conffile) stays, no first-install note, still enabled.
        String mine = "audit: {policy: cis}\n";
        Files.writeString(at("etc/kube-audit-agent/config.yaml"), mine);
        Files.writeString(at("var/lib/kube-audit-agent/reader.checkpoint"), "{}");
        Run upgrade = dpkg("-i", deb.toString());
        assertEquals(0, upgrade.exitCode(), upgrade.both());
        assertFalse(upgrade.err().contains("not started"), upgrade.both());
        assertEquals(mine, Files.readString(at("etc/kube-audit-agent/config.yaml")));
        assertEquals("installed", packageStatus());

        Run remove = dpkg("-r", "kube-audit-agent");
        assertEquals(0, remove.exitCode(), remove.both());
        assertFalse(Files.exists(at("opt/kube-audit-agent")));
        assertFalse(Files.exists(at("usr/bin/kube-audit-agent"), LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(at("lib/systemd/system/kube-audit-agent.service")));
        assertFalse(Files.exists(at(ENABLED_LINK), LinkOption.NOFOLLOW_LINKS), "removal disables the service");
        assertEquals(mine, Files.readString(at("etc/kube-audit-agent/config.yaml")), "remove keeps the config");
        assertTrue(Files.exists(at("var/lib/kube-audit-agent/reader.checkpoint")), "remove keeps the state");
        assertEquals("config-files", packageStatus());

        Run purge = dpkg("-P", "kube-audit-agent");
        assertEquals(0, purge.exitCode(), purge.both());
        assertFalse(Files.exists(at("etc/kube-audit-agent")));
        assertFalse(Files.exists(at("var/lib/kube-audit-agent")));
        assertNotEquals("config-files", packageStatus());
    }

    @Test
    void removalIsRefusedWhileTheManifestCarriesTheAgentsAuditSettings() throws Exception {
        assertEquals(0, dpkg("-i", deb.toString()).exitCode());
        NodeManifests.writeManaged(root);

        Run refused = dpkg("-r", "kube-audit-agent");
        assertNotEquals(0, refused.exitCode(), refused.both());
        assertTrue(refused.err().contains("run 'kube-audit-agent teardown' first"), refused.both());
        assertTrue(Files.isRegularFile(at("opt/kube-audit-agent/kube-audit-agent.jar")), "the program stays for the teardown");
        assertEquals("installed", packageStatus());

        NodeManifests.tearDown(root);
        Run remove = dpkg("-r", "kube-audit-agent");
        assertEquals(0, remove.exitCode(), remove.both());
        assertFalse(Files.exists(at("opt/kube-audit-agent")));
    }
}
