package io.kubeaudit.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Runs commands as child processes; each stream is read on its own thread and capped (see {@link ProcessCall}). */
final class SystemProcessRunner implements ProcessRunner {

    @Override
    public ProcessResult run(ProcessCall call) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(call.command())
                .redirectErrorStream(!call.separateErrors())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        String name = call.command().get(0);
        OutputCollector out = OutputCollector.start(process.getInputStream(), call.maxOutputBytes(), "output of " + name);
        OutputCollector err = call.separateErrors()
                ? OutputCollector.start(process.getErrorStream(), call.maxOutputBytes(), "errors of " + name) : null;
        boolean finished = process.waitFor(call.timeout().toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
        return new ProcessResult(finished ? process.exitValue() : -1, out.text(), err == null ? "" : err.text(), !finished);
    }

    private static final class OutputCollector implements Runnable {
        private final InputStream in;
        private final int maxBytes;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final Thread reader;

        private OutputCollector(InputStream in, int maxBytes, String threadName) {
            this.in = in;
            this.maxBytes = maxBytes;
            this.reader = new Thread(this, threadName);
            reader.setDaemon(true);
        }

        static OutputCollector start(InputStream in, int maxBytes, String threadName) {
            OutputCollector c = new OutputCollector(in, maxBytes, threadName);
            c.reader.start();
            return c;
        }

        @Override
        public void run() {
            byte[] buf = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    synchronized (bytes) {
                        int room = maxBytes - bytes.size();
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

        /** What was read; waits briefly for the pipe to close, since a grandchild holding it open must not hold us too. */
        String text() throws InterruptedException {
            reader.join(1000);
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
