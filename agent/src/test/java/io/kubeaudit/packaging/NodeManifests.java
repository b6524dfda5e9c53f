package io.kubeaudit.packaging;

import io.kubeaudit.config.AgentConfig;
import io.kubeaudit.manifest.ApiServerManifest;
import io.kubeaudit.manifest.AuditManifestEditor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A node's kube-apiserver manifest under a sandbox root, with or without what setup adds (made by the real editor). */
final class NodeManifests {

    static final String NODE_PATH = "etc/kubernetes/manifests/kube-apiserver.yaml";
    private static final String PRISTINE = "/corpus/manifests/kubeadm-v1.29-zetaoss-etc-dump-pristine.yaml";

    private NodeManifests() {
    }

    /** Writes the manifest as setup leaves it (audit flags, mounts, the agent's annotations). */
    static Path writeManaged(Path root) throws Exception {
        String pristine;
        try (InputStream in = NodeManifests.class.getResourceAsStream(PRISTINE)) {
            pristine = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String managed = AuditManifestEditor.enable(ApiServerManifest.parse(PRISTINE, pristine), AgentConfig.defaults().audit(), "0".repeat(64))
                .after();
        return write(root, managed);
    }

    /** Takes out what setup added, as teardown does. */
    static void tearDown(Path root) throws Exception {
        Path file = root.resolve(NODE_PATH);
        write(root, AuditManifestEditor.disable(ApiServerManifest.parse(NODE_PATH, Files.readString(file))).after());
    }

    private static Path write(Path root, String text) throws IOException {
        Path file = root.resolve(NODE_PATH);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }
}
