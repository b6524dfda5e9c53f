package io.kubeaudit.apply;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs commands as child processes; output is capped so a chatty command cannot exhaust memory. */
final class SystemProcessRunner implements ProcessRunner {

    private static final int MAX_OUTPUT_BYTES = 64 * 1024;

    @Override
    public ProcessResult run(List<String> command, Duration timeout) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        OutputCollector collector = new OutputCollector(process.getInputStream());
        Thread reader = new Thread(collector, "output of " + command.get(0));
        reader.setDaemon(true);
        reader.start();
        boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
        // The reader ends when the pipe closes; a grandchild holding it open must not hold us too.
        reader.join(1000);
        return new ProcessResult(finished ? process.exitValue() : -1, collector.text(), !finished);
    }

    private static final class OutputCollector implements Runnable {
        private final InputStream in;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        OutputCollector(InputStream in) {
            this.in = in;
        }

        @Override
        public void run() {
            byte[] buf = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    synchronized (bytes) {
                        int room = MAX_OUTPUT_BYTES - bytes.size();
                        if (room > 0) {
                            bytes.write(buf, 0, Math.min(room, n));
                        }
                    }
                }
            } catch (IOException e) {
                // The process was killed and its pipe closed under us: what was read so far is the output.
                synchronized (bytes) {
                    bytes.writeBytes(("\n(output cut: " + e.getMessage() + ")").getBytes(StandardCharsets.UTF_8));
                }
            }
        }

        String text() {
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
