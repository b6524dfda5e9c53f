package io.kubeaudit.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.config.DestinationConfig;
import io.kubeaudit.log.Log;
import io.kubeaudit.node.NodePaths;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 14 item 9: a token or key file others can read is warned about at start. */
class CredentialFileModesTest {

    @TempDir
    Path root;

    @Test
    void aTokenOrKeyFileReadableByGroupOrOthersIsWarnedAboutWithTheFix() throws Exception {
        Files.createDirectories(root.resolve("etc/kube-audit-agent"));
        Files.writeString(root.resolve("etc/kube-audit-agent/token"), "t");
        Files.setPosixFilePermissions(root.resolve("etc/kube-audit-agent/token"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.writeString(root.resolve("etc/kube-audit-agent/client.key"), "k");
        Files.setPosixFilePermissions(root.resolve("etc/kube-audit-agent/client.key"), PosixFilePermissions.fromString("rw-------"));
        DestinationConfig d = new DestinationConfig("siem", "webhook", "https://siem/audit", false, "", "/etc/kube-audit-agent/client.crt",
                "/etc/kube-audit-agent/client.key", "/etc/kube-audit-agent/token", Map.of(), Duration.ofSeconds(1), Duration.ofSeconds(1), 1024);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CredentialFileModes.warnIfShared(d, new NodePaths(root), new Log(new PrintStream(out, true, StandardCharsets.UTF_8),
                InstantSource.system(), false, false));
        String logged = out.toString(StandardCharsets.UTF_8);
        assertEquals(1, logged.lines().count(), logged);
        assertTrue(logged.contains("WARN [ship] credential file is readable by other users destination=siem setting=tokenFile"
                + " file=/etc/kube-audit-agent/token mode=rw-r--r-- fix=\"chmod 600 /etc/kube-audit-agent/token\""), logged);
    }
}
