package io.kubeaudit.node;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real, tiny file system for disk-full tests: a tmpfs of a few KiB mounted inside the test's own
 * temp directory, unmounted on close. Needs root (and a kernel that lets this container mount); the
 * test is skipped otherwise, saying why, rather than faking ENOSPC.
 */
public final class SmallFileSystem implements AutoCloseable {

    private final Path mountPoint;

    private SmallFileSystem(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    /** Mounts a tmpfs of {@code kib} KiB at {@code dir} (created), or skips the calling test. */
    public static SmallFileSystem mount(Path dir, int kib) throws IOException, InterruptedException {
        String skip = null;
        if (new UnixSystem().getUid() != 0) {
            skip = "disk-full test skipped: mounting a small tmpfs needs root (running as uid " + new UnixSystem().getUid() + ")";
        } else {
            Files.createDirectories(dir);
            String error = run(List.of("mount", "-t", "tmpfs", "-o", "size=" + kib + "k,mode=0700", "tmpfs", dir.toString()));
            if (error != null) {
                skip = "disk-full test skipped: cannot mount a tmpfs here (" + error + ")";
            }
        }
        if (skip != null) {
            System.err.println(skip);
        }
        Assumptions.assumeTrue(skip == null, skip);
        return new SmallFileSystem(dir);
    }

    public Path root() {
        return mountPoint;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        String error = run(List.of("umount", mountPoint.toString()));
        if (error != null) {
            throw new IOException("cannot unmount the test's tmpfs " + mountPoint + ": " + error);
        }
    }

    /** Runs a command; null when it succeeded, else what it said. */
    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return String.join(" ", command) + " timed out";
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return p.exitValue() == 0 ? null : String.join(" ", command) + ": exit " + p.exitValue() + " " + out;
    }
}
