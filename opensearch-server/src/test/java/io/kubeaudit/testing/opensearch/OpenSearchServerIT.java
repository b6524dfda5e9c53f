package io.kubeaudit.testing.opensearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The test node itself: it serves, keeps data and port across kill -9, and dies with its test JVM. */
class OpenSearchServerIT {

    private static OpenSearchServer server;

    @BeforeAll
    static void start() throws Exception {
        server = OpenSearchServer.start("OpenSearchServerIT");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void theNodeKeepsItsDocumentsAndPortAcrossKill() throws Exception {
        URI url = server.url();
        assertEquals("2.19.6", server.http().ok("GET", "/", null).at("/version/number").asText());
        server.http().ok("PUT", "/kept/_doc/1?refresh=true", "{\"a\":1}");

        long killed = server.pid();
        server.kill();
        assertFalse(ProcessHandle.of(killed).isPresent(), "kill -9 took the node down");
        server.resume();
        assertEquals(url, server.url());
        assertEquals(1, server.http().count("kept", null), "the document survived kill -9");
        assertTrue(Files.readString(server.log()).contains("started"), "the node logs into its run directory");
    }

    @Test
    void theNodeDiesWithATestJvmThatWasKilled() throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-cp", System.getProperty("java.class.path"), OpenSearchServer.class.getName(), "orphan");
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        long nodePid;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            assertTrue(out.readLine().startsWith("url=http://127.0.0.1:"));
            String pid = out.readLine();
            assertTrue(pid.startsWith("pid="), pid);
            nodePid = Long.parseLong(pid.substring(4));
        } finally {
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        ProcessHandle node = ProcessHandle.of(nodePid).orElseThrow();
        node.onExit().get(30, TimeUnit.SECONDS);
        assertFalse(node.isAlive(), "the watcher killed the node of a JVM that got kill -9");
    }
}
