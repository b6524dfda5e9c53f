package io.kubeaudit.testing.opensearch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Servers whose test JVM died without stopping them (kill -9, a failsafe timeout): each run directory holds the
 * owning JVM's PID and the server's; a server whose owner is gone is killed, found by PID and confirmed by its
 * command line naming that run directory (a PID may have been reused).
 */
final class StaleServers {

    static final String OWNER = "owner.pid";
    static final String PID = "server.pid";

    private StaleServers() {
    }

    static void stop(Path runs) throws IOException, InterruptedException {
        try (Stream<Path> dirs = Files.list(runs)) {
            for (Path dir : (Iterable<Path>) dirs::iterator) {
                if (Files.isRegularFile(dir.resolve(PID)) && !alive(dir.resolve(OWNER))) {
                    Optional<ProcessHandle> server = handle(dir.resolve(PID));
                    if (server.isPresent() && server.get().info().commandLine().orElse("").contains(dir.toString())) {
                        server.get().destroyForcibly();
                        server.get().onExit().get(30, TimeUnit.SECONDS);
                    }
                    Files.delete(dir.resolve(PID));
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("a stale OpenSearch under " + runs + " did not die: " + e, e);
        }
    }

    private static boolean alive(Path pidFile) throws IOException {
        return handle(pidFile).map(ProcessHandle::isAlive).orElse(false);
    }

    private static Optional<ProcessHandle> handle(Path pidFile) throws IOException {
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        return ProcessHandle.of(Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).trim()));
    }
}
