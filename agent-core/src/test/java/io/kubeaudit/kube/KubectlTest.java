package io.kubeaudit.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.process.ProcessCall;
import io.kubeaudit.process.ProcessResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command lines Kubectl builds and how it reads results, with a fake runner in place of kubectl. */
class KubectlTest {

    @TempDir
    Path dir;

    private final List<ProcessCall> calls = new ArrayList<>();
    private final List<String> bodies = new ArrayList<>();

    private Kubectl kubectl(ProcessResult answer) {
        return new Kubectl(call -> {
            calls.add(call);
            int f = call.command().indexOf("-f");
            if (f >= 0) {
                bodies.add(Files.readString(Path.of(call.command().get(f + 1))));
            }
            return answer;
        }, "kubectl", dir.resolve("admin.conf"), List.of("--server", "https://10.0.0.1:6443"), dir.resolve("scratch"));
    }

    @Test
    void aGetKeepsTheObjectApartFromErrors() throws Exception {
        Kubectl.Result r = kubectl(new ProcessResult(0, "{\"kind\":\"Lease\"}", "Warning: something\n", false)).get("/apis/x");
        assertEquals(List.of("kubectl", "--kubeconfig", dir.resolve("admin.conf").toString(), "--request-timeout", "20s",
                "--server", "https://10.0.0.1:6443", "get", "--raw", "/apis/x"), calls.get(0).command());
        assertTrue(calls.get(0).separateErrors(), "stdout is data: kubectl's warnings must not end up in it");
        assertEquals(new Kubectl.Result(0, "{\"kind\":\"Lease\"}", "Warning: something"), r);
    }

    @Test
    void aBodyGoesThroughAPrivateFileThatIsRemovedAfterwards() throws Exception {
        Kubectl.Result r = kubectl(new ProcessResult(1, "", "Error from server (Conflict): the object has been modified\n", false))
                .replace("/apis/x/y", "{\"spec\":{}}");
        assertEquals(List.of("{\"spec\":{}}"), bodies);
        List<String> command = calls.get(0).command();
        assertEquals(List.of("replace", "--raw", "/apis/x/y", "-f"), command.subList(7, 11));
        assertFalse(Files.exists(Path.of(command.get(11))), "the body file is removed");
        assertTrue(r.says("Conflict") && !r.ok(), r.toString());
    }

    @Test
    void aTimeoutIsAFailureThatSaysSo() throws Exception {
        Kubectl.Result r = kubectl(new ProcessResult(-1, "partial", "", true)).create("/apis/x", "{}");
        assertEquals(new Kubectl.Result(-1, "", "kubectl create timed out after 30s"), r);
    }
}
