package io.kubeaudit.packaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a real program to completion with a time limit; stdout and stderr are kept apart. */
record Run(int exitCode, String out, String err) {

    static Run of(List<String> command, Map<String, String> env, Path workDir, Duration timeout) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
        pb.environment().putAll(env);
        Path outFile = Files.createTempFile("run-out", ".txt");
        Path errFile = Files.createTempFile("run-err", ".txt");
        try {
            pb.redirectOutput(outFile.toFile()).redirectError(errFile.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor();
                throw new AssertionError(command + " did not finish within " + timeout + "; output so far:\n"
                        + Files.readString(outFile) + Files.readString(errFile));
            }
            return new Run(p.exitValue(), Files.readString(outFile, StandardCharsets.UTF_8), Files.readString(errFile, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(outFile);
            Files.deleteIfExists(errFile);
        }
    }

    static Run of(List<String> command, Path workDir) throws IOException, InterruptedException {
        return of(command, Map.of(), workDir, Duration.ofMinutes(2));
    }

    String both() {
        return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
