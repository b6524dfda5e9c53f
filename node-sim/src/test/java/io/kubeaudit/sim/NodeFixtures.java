package io.kubeaudit.sim;

import io.kubeaudit.node.AtomicFileWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * What the tests do to a simulated node, the way the agent's setup would: install a policy, add audit flags and
 * mounts to the pristine manifest (plain text edits of the known kubeadm layout), swap it atomically.
 */
final class NodeFixtures {

    static final String POLICY = "/etc/kubernetes/audit-policy.yaml";
    static final String LOG_DIR = "/var/log/kubernetes/audit";
    static final String LOG = LOG_DIR + "/audit.log";
    static final Duration WAIT = Duration.ofSeconds(90);

    static final String METADATA_POLICY = """
            apiVersion: audit.k8s.io/v1
            kind: Policy
            omitStages: [RequestReceived]
            rules:
            - level: Metadata
            """;

    private NodeFixtures() {
    }

    static void writePolicy(SimulatedNode node, String policy) throws IOException {
        AtomicFileWriter.write(node.paths().resolve(POLICY), policy.getBytes(StandardCharsets.UTF_8),
                AtomicFileWriter.OWNER_READ_WRITE);
    }

    /** The pristine manifest with the given extra flags and hostPath volumes (name, path, type, readOnly). */
    static String withAudit(SimulatedNode node, List<String> flags, List<String[]> volumes) throws IOException {
        String m = Files.readString(node.manifest());
        StringBuilder f = new StringBuilder("    - kube-apiserver\n");
        flags.forEach(flag -> f.append("    - ").append(flag).append('\n'));
        m = m.replace("    - kube-apiserver\n", f.toString());
        StringBuilder mounts = new StringBuilder("    volumeMounts:\n");
        StringBuilder vols = new StringBuilder("  volumes:\n");
        for (String[] v : volumes) {
            mounts.append("    - mountPath: ").append(v[1]).append("\n      name: ").append(v[0]).append('\n');
            if (Boolean.parseBoolean(v[3])) {
                mounts.append("      readOnly: true\n");
            }
            vols.append("  - hostPath:\n      path: ").append(v[1]).append("\n      type: ").append(v[2])
                    .append("\n    name: ").append(v[0]).append('\n');
        }
        return m.replace("    volumeMounts:\n", mounts.toString()).replace("  volumes:\n", vols.toString());
    }

    /** Audit flags and the two mounts setup adds: the policy file read-only, the log directory read-write. */
    static String audited(SimulatedNode node, String... extraFlags) throws IOException {
        List<String> flags = new ArrayList<>(List.of("--audit-policy-file=" + POLICY, "--audit-log-path=" + LOG));
        flags.addAll(List.of(extraFlags));
        return withAudit(node, flags, List.of(new String[] {"audit-policy", POLICY, "File", "true"},
                new String[] {"audit-log", LOG_DIR, "DirectoryOrCreate", "false"}));
    }

    static void swapManifest(SimulatedNode node, String manifest) throws IOException {
        AtomicFileWriter.write(node.manifest(), manifest.getBytes(StandardCharsets.UTF_8), AtomicFileWriter.OWNER_READ_WRITE);
    }

    /** Waits until the kubelet runs a pod other than {@code oldUid} and that server answers /readyz. */
    static StaticPodStatus awaitReplaced(SimulatedNode node, String oldUid)
            throws TimeoutException, InterruptedException {
        StaticPodStatus s = node.kubelet().awaitApiServer("replaced by a running pod",
                p -> p.isRunning() && !p.uid().equals(oldUid), WAIT);
        node.awaitReady(WAIT);
        return s;
    }

    static List<String> lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }

    static String tree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return String.join("\n", walk.map(Path::toString).sorted().toList());
        }
    }
}
