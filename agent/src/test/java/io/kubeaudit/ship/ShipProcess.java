package io.kubeaudit.ship;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code kube-audit-agent ship} as a child JVM, so it can be killed with SIGKILL or stopped with SIGTERM. */
final class ShipProcess implements AutoCloseable {

    private final Process process;
    final Path stderr;

    private ShipProcess(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
    }

    static ShipProcess start(Path config, Path root, Path logDir, int run) throws IOException {
        return start(config, root, logDir, run, List.of());
    }

    /** Started as {@code nohup} would: with SIGHUP ignored, which the JVM then inherits. */
    static ShipProcess startWithHangupIgnored(Path config, Path root, Path logDir, int run) throws IOException {
        return start(config, root, logDir, run, List.of("bash", "-c", "trap '' HUP; exec \"$@\"", "bash"), List.of());
    }

    /** With further JVM options (e.g. class loading logged to the child's stdout, {@code ship-RUN.out}). */
    static ShipProcess start(Path config, Path root, Path logDir, int run, List<String> jvmOptions) throws IOException {
        return start(config, root, logDir, run, List.of(), jvmOptions);
    }

    private static ShipProcess start(Path config, Path root, Path logDir, int run, List<String> wrapper, List<String> jvmOptions)
            throws IOException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path out = logDir.resolve("ship-" + run + ".out");
        Path err = logDir.resolve("ship-" + run + ".err");
        List<String> command = new java.util.ArrayList<>(wrapper);
        command.addAll(List.of(java, "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classPath, "io.kubeaudit.cli.Main", "ship", "--config", config.toString(), "--root", root.toString()));
        Process p = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        return new ShipProcess(p, err);
    }

    /** kill -9. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, then the exit code (or -1 when it did not exit within {@code timeout}). */
    int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return -1;
        }
        return process.exitValue();
    }

    /** Waits (bounded) until the child logged {@code text}. */
    void awaitLog(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!log().contains(text) && process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        if (!log().contains(text)) {
            throw new AssertionError("the ship command did not log " + text + ":\n" + log());
        }
    }

    /** The exit code, or -1 when it is still running after {@code timeout}. */
    int awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    long pid() {
        return process.pid();
    }

    /** Sends SIGHUP (a reload). */
    void hangup() throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new AssertionError("kill -HUP " + process.pid() + " failed");
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** What the child logged so far (for assertion messages). */
    String log() {
        try {
            return Files.exists(stderr) ? Files.readString(stderr) : "";
        } catch (IOException e) {
            return "(cannot read " + stderr + ": " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
