package io.kubeaudit.packaging;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * A program a test needs from the machine (systemd-analyze, shellcheck, ansible-playbook). .ci/run
 * installs each, so under CI a missing one fails the test; on a developer's machine it is skipped
 * with the package to install.
 */
final class HostTool {

    private HostTool() {
    }

    static Optional<Path> find(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    static Path require(String name, String debianPackage) {
        Optional<Path> tool = find(name);
        if (tool.isEmpty()) {
            String message = name + " is not installed; install Debian's " + debianPackage + " package (.ci/run does)";
            if (System.getenv("CI") != null) {
                fail(message);
            }
            Assumptions.abort(message);
        }
        return tool.get();
    }
}
