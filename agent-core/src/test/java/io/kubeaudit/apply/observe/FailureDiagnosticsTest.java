package io.kubeaudit.apply.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.process.ProcessCall;
import io.kubeaudit.process.ProcessResult;
import io.kubeaudit.process.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FailureDiagnosticsTest {

    @TempDir
    Path root;

    private final List<List<String>> ran = new ArrayList<>();

    private final ProcessRunner fakeRunner = new ProcessRunner() {
        @Override
        public ProcessResult run(ProcessCall call) {
            List<String> command = call.command();
            ran.add(command);
            if (command.get(0).equals("journalctl")) {
                return new ProcessResult(0, "Jan 01 kubelet[1]: I0101 started\n"
                        + "Jan 01 kubelet[1]: E0101 file.go:187] \"Could not process manifest file\" err=\"invalid pod: couldn't parse as pod\"\n", false);
            }
            return new ProcessResult(0, "CONTAINER  IMAGE  STATE  NAME\nabc  k8s  Exited  kube-apiserver\n", false);
        }
    };

    @Test
    void criFramingIsStrippedAndPartialLinesJoined() {
        List<String> lines = CriLog.messages(List.of(
                "2025-01-01T00:00:00.000000001Z stderr F I0101 00:00:00.1 server.go:1] starting",
                "2025-01-01T00:00:00.000000002Z stderr P E0101 00:00:00.2 run.go:72] \"command failed\" err=\"loading audit ",
                "2025-01-01T00:00:00.000000003Z stderr F policy file: no such file\"",
                "plain line"));
        assertEquals(List.of("I0101 00:00:00.1 server.go:1] starting",
                "E0101 00:00:00.2 run.go:72] \"command failed\" err=\"loading audit policy file: no such file\"",
                "plain line"), lines);
    }

    @Test
    void aRetriedErrorIsShownOnceWithItsCount() {
        List<String> lines = FailureDiagnostics.explaining(List.of(
                "E1126 14:54:11.948866   12133 op.go:348] MountVolume.SetUp failed: hostPath type check failed (retry at 14:54:12)",
                "E1126 14:54:12.044397   12133 op.go:348] MountVolume.SetUp failed: hostPath type check failed (retry at 14:54:13)",
                "I1126 14:54:12.5 kubelet.go:1] SyncLoop",
                "E1126 14:54:13.086113   12133 op.go:348] MountVolume.SetUp failed: hostPath type check failed (retry at 14:54:14)"));
        assertEquals(List.of(
                "E1126 14:54:11.948866   12133 op.go:348] MountVolume.SetUp failed: hostPath type check failed (retry at 14:54:12) (and 2 more like it)",
                "I1126 14:54:12.5 kubelet.go:1] SyncLoop"), lines);
    }

    @Test
    void newestContainerLogExplainsTheFailure() throws Exception {
        Path dir = Files.createDirectories(root.resolve("var/log/pods/kube-system_kube-apiserver-n1_u2/kube-apiserver"));
        List<String> log = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            log.add("2025-01-01T00:00:00Z stderr F I0101 flag: --x" + i);
        }
        log.add("2025-01-01T00:00:01Z stderr F E0101 run.go:72] \"command failed\" err=\"loading audit policy file: failed decoding\"");
        Files.write(dir.resolve("0.log"), log);
        FailureDiagnostics d = new FailureDiagnostics(root.resolve("var/log/kubelet.log"), fakeRunner, true, c -> Optional.of(Path.of(c)));

        List<Diagnosis> found = d.collect(List.of(dir.resolve("0.log")), Instant.EPOCH, 0);

        assertEquals(1, found.size());
        assertTrue(found.get(0).source().contains("0.log"));
        assertTrue(found.get(0).lines().get(found.get(0).lines().size() - 1).contains("loading audit policy file"));
        assertTrue(found.get(0).lines().size() <= 20);
        assertTrue(ran.isEmpty(), "the container log was enough");
    }

    @Test
    void anAttemptStillStartingGivesWayToTheLastOneThatSaidWhy() throws Exception {
        Path dir = Files.createDirectories(root.resolve("var/log/pods/kube-system_kube-apiserver-n1_u2/kube-apiserver"));
        Files.write(dir.resolve("1.log"), List.of("2025-01-01T00:00:00Z stderr F I0101 server.go:148] Version: v1.29.0",
                "2025-01-01T00:00:01Z stderr F E0101 run.go:72] \"command failed\" err=\"loading audit policy file: no kind \\\"Policy\\\"\""));
        // The next restart has only printed its first lines when the diagnosis is taken.
        Files.write(dir.resolve("2.log"), List.of("2025-01-01T00:00:09Z stderr F I0101 options.go:221] external host was not specified"));
        FailureDiagnostics d = new FailureDiagnostics(root.resolve("var/log/kubelet.log"), fakeRunner, true, c -> Optional.of(Path.of(c)));

        List<Diagnosis> found = d.collect(List.of(dir.resolve("1.log"), dir.resolve("2.log")), Instant.EPOCH, 0);

        assertEquals(1, found.size(), found.toString());
        assertTrue(found.get(0).source().endsWith("1.log"), found.get(0).source());
        assertTrue(found.get(0).lines().stream().anyMatch(l -> l.contains("loading audit policy file")), found.get(0).lines().toString());

        Files.write(dir.resolve("1.log"), List.of("2025-01-01T00:00:00Z stderr F I0101 server.go:148] Version: v1.29.0"));
        List<Diagnosis> quiet = d.collect(List.of(dir.resolve("1.log"), dir.resolve("2.log")), Instant.EPOCH, 0);
        assertTrue(quiet.get(0).source().endsWith("2.log"), "no attempt said why: the newest is shown");
    }

    @Test
    void noContainerLogMeansAskingTheKubeletSide() throws Exception {
        Files.createDirectories(root.resolve("var/log"));
        Files.writeString(root.resolve("var/log/kubelet.log"), "I0101 watching\nE0101 hostPath type check failed: /etc/kubernetes/audit-policy.yaml is not a file\n");
        FailureDiagnostics d = new FailureDiagnostics(root.resolve("var/log/kubelet.log"), fakeRunner, true, c -> Optional.of(Path.of(c)));

        List<Diagnosis> found = d.collect(List.of(), Instant.ofEpochSecond(1700000000), 0);

        assertEquals(List.of("journalctl", "-u", "kubelet", "--since", "@1700000000", "--no-pager", "-n", "200"), ran.get(0));
        assertEquals("crictl", ran.get(1).get(0));
        assertTrue(found.get(0).lines().stream().anyMatch(l -> l.contains("couldn't parse as pod")), found.toString());
        assertTrue(found.get(1).lines().stream().anyMatch(l -> l.contains("Exited")), found.toString());
        assertTrue(found.get(2).lines().stream().anyMatch(l -> l.contains("hostPath type check failed")), found.toString());
    }

    @Test
    void hostToolsAreNotAskedAboutASandboxOrWhenMissing() throws Exception {
        FailureDiagnostics sandbox = new FailureDiagnostics(root.resolve("var/log/kubelet.log"), fakeRunner, false, c -> Optional.of(Path.of(c)));
        List<Diagnosis> found = sandbox.collect(List.of(), Instant.EPOCH, 0);
        FailureDiagnostics missing = new FailureDiagnostics(root.resolve("var/log/kubelet.log"), fakeRunner, true, c -> Optional.empty());
        found = new ArrayList<>(found);
        found.addAll(missing.collect(List.of(), Instant.EPOCH, 0));
        assertTrue(ran.isEmpty());
        assertTrue(found.get(0).lines().get(0).contains("no kube-apiserver container started"), found.toString());
        assertTrue(found.get(1).lines().get(0).contains("journalctl and crictl are not installed"), found.toString());
    }

    @Test
    void theKubeletLogIsReadFromTheMarkAndOnlyItsLinesAboutThePodAreShown() throws Exception {
        Path log = Files.createDirectories(root.resolve("var/log")).resolve("kubelet.log");
        Files.writeString(log, "E0101 00:00:00.000000 1 nestedpendingoperations.go:348] an old failure of kube-apiserver-cp1\n");
        FailureDiagnostics d = new FailureDiagnostics(log, fakeRunner, false, c -> Optional.empty());
        long mark = d.kubeletLogMark();
        Files.writeString(log, "E0101 00:00:01.000000 1 pod_workers.go:1298] \"Error syncing pod, skipping\" pod=\"default/other\"\n"
                + "E0101 00:00:02.000000 1 nestedpendingoperations.go:348] Error: MountVolume.SetUp failed for volume \"audit-logs\""
                + " pod \"kube-apiserver-cp1\" (UID: \"u\") : hostPath type check failed: /var/log/x is not a directory\n",
                java.nio.file.StandardOpenOption.APPEND);

        List<String> lines = d.collect(List.of(), Instant.EPOCH, mark).get(0).lines();

        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains("/var/log/x is not a directory"), lines.toString());
    }
}
