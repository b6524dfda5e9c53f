package io.kubeaudit.sim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One running container: a child process whose stdout and stderr are written to its CRI log by two pump
 * threads. Stopping it is what the kubelet does: SIGTERM, wait out the grace period, SIGKILL.
 */
final class ContainerProcess {

    /** Everything needed to start a container. */
    record Launch(String id, List<String> argv, Map<String, String> env, Path workDir, Path logFile) {
        Launch {
            argv = List.copyOf(argv);
            env = Map.copyOf(env);
        }
    }

    private final String id;
    private final Process process;
    private final Path logFile;
    private final CriLogWriter log;
    private final Thread stdout;
    private final Thread stderr;

    private ContainerProcess(String id, Process process, Path logFile, CriLogWriter log) {
        this.id = id;
        this.process = process;
        this.logFile = logFile;
        this.log = log;
        this.stdout = pump(process.getInputStream(), "stdout");
        this.stderr = pump(process.getErrorStream(), "stderr");
    }

    static ContainerProcess start(Launch launch, InstantSource clock) throws IOException {
        CriLogWriter log = new CriLogWriter(launch.logFile(), clock);
        ProcessBuilder pb = new ProcessBuilder(launch.argv()).directory(launch.workDir().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        // A container starts with its image's environment, not the kubelet's.
        pb.environment().clear();
        pb.environment().putAll(launch.env());
        try {
            return new ContainerProcess(launch.id(), pb.start(), launch.logFile(), log);
        } catch (IOException e) {
            log.close();
            throw e;
        }
    }

    private Thread pump(InputStream in, String stream) {
        Thread t = new Thread(() -> {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            try (in) {
                byte[] buf = new byte[8192];
                int n;
                while ((n = in.read(buf)) > 0) {
                    for (int i = 0; i < n; i++) {
                        if (buf[i] == '\n') {
                            log.line(stream, line.toByteArray());
                            line.reset();
                        } else {
                            line.write(buf[i]);
                        }
                    }
                }
                if (line.size() > 0) {
                    log.line(stream, line.toByteArray());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("container " + id + " " + stream + " -> " + logFile, e);
            }
        }, "cri-log-" + stream + "-" + id.substring(0, 12));
        t.setDaemon(true);
        t.start();
        return t;
    }

    String id() {
        return id;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path logFile() {
        return logFile;
    }

    int exitCode() {
        return process.exitValue();
    }

    /** Runs {@code action} once the process has exited (on a JDK thread). */
    void onExit(Runnable action) {
        process.onExit().thenRun(action);
    }

    /** SIGTERM, up to {@code grace} to exit, then SIGKILL; returns once the process and its log are done. */
    void stop(Duration grace) throws InterruptedException {
        // Signals go through the ProcessHandle: Process.destroy() would also close our end of the pipes and lose
        // what the server prints while shutting down.
        if (process.isAlive()) {
            process.toHandle().destroy();
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.toHandle().destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
        finishLog();
    }

    /** Waits for the pumps to drain what the exited process wrote, then closes the log. */
    void finishLog() throws InterruptedException {
        stdout.join(5000);
        stderr.join(5000);
        try {
            log.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing " + logFile, e);
        }
    }
}
