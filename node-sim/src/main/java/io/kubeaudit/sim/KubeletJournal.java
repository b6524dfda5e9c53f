package io.kubeaudit.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.InstantSource;

/**
 * What {@code journalctl -u kubelet} would show for the simulated node, as a plain file
 * ({@code <root>/var/log/kubelet.log}): klog lines about manifests it cannot parse, volumes it cannot set up
 * and containers it starts, kills and backs off. Failures that leave no container log (failure mode 17) are
 * only visible here, as on a real node.
 */
final class KubeletJournal {

    private final Path file;
    private final InstantSource clock;
    private final long pid = ProcessHandle.current().pid();

    KubeletJournal(Path file, InstantSource clock) {
        this.file = file;
        this.clock = clock;
    }

    Path file() {
        return file;
    }

    void info(String source, String message) {
        append(Klog.info(clock.instant(), pid, source, message));
    }

    void error(String source, String message) {
        append(Klog.error(clock.instant(), pid, source, message));
    }

    private synchronized void append(String line) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, (line + "\n").getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the kubelet journal " + file, e);
        }
    }
}
