package io.kubeaudit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulateNodeCommandIT {

    @Test
    void refusesToLayOutANodeOutsideASandbox() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"simulate-node"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(Main.USAGE, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("simulate-node needs --root DIR"));
    }

    @Test
    void isHiddenFromTheCommandList() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Main.run(new String[] {"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));
        assertFalse(out.toString(StandardCharsets.UTF_8).contains("simulate-node"));
    }

    @Test
    void runsANodeInTheForegroundUntilStopped(@TempDir Path root) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        AtomicInteger code = new AtomicInteger(-1);
        Thread command = new Thread(() -> code.set(Main.run(new String[] {"simulate-node", "--root", root.toString()}, print, print)));
        command.start();
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (!out.toString(StandardCharsets.UTF_8).contains("running until SIGTERM") && command.isAlive()
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        String started = out.toString(StandardCharsets.UTF_8);
        assertTrue(started.contains("kubectl --kubeconfig " + root.resolve("etc/kubernetes/admin.conf") + " get nodes"), started);
        command.interrupt();
        command.join(60_000);
        assertEquals(Main.OK, code.get(), out.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("simulated node under " + root + " stopped"));
        assertTrue(Files.readString(root.resolve("var/log/kubelet.log")).contains("Killing container"));
    }
}
