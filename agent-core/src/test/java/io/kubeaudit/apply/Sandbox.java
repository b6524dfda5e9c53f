package io.kubeaudit.apply;

import io.kubeaudit.config.AgentConfig;
import io.kubeaudit.config.ApplyConfig;
import io.kubeaudit.config.AuditConfig;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A node root for tests: a manifest in the kubelet's directory, an admin.conf, and a config pointing at them. */
final class Sandbox {

    static final String MANIFEST = "/etc/kubernetes/manifests/kube-apiserver.yaml";
    static final String PRISTINE = "manifests/kubeadm-v1.29-zetaoss-etc-dump-pristine.yaml";
    static final List<String> KUBECTL_GET_NODES = List.of("kubectl", "--kubeconfig", "/etc/kubernetes/admin.conf", "get", "nodes");

    private Sandbox() {
    }

    /** A corpus file: the copy in the test resources (testdata/corpus, see its SOURCES.md). */
    static Path corpus(String relative) {
        URL url = Sandbox.class.getClassLoader().getResource("corpus/" + relative);
        if (url == null) {
            throw new IllegalStateException("no test resource corpus/" + relative + " (testdata/corpus)");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@code manifest} as the node's kube-apiserver.yaml and an admin.conf beside it. */
    static void node(Path root, byte[] manifest) throws IOException {
        Path file = root.resolve(MANIFEST.substring(1));
        Files.createDirectories(file.getParent());
        Files.write(file, manifest);
        Files.writeString(root.resolve("etc/kubernetes/admin.conf"), "apiVersion: v1\nkind: Config\n");
    }

    /** Defaults, rooted at {@code root}, with a short health timeout and the given health command. */
    static AgentConfig config(Path root, String policy, Duration healthTimeout, List<String> healthCommand, String healthUrl) {
        AgentConfig d = AgentConfig.defaults();
        AuditConfig a = d.audit();
        ApplyConfig p = d.apply();
        return new AgentConfig(root.toString(),
                new AuditConfig(policy, a.policyPath(), a.logPath(), a.maxAge(), a.maxBackup(), a.maxSize(), a.compress()),
                new ApplyConfig(p.manifest(), p.backupDir(), healthTimeout, healthCommand, healthUrl, p.minFreeBytes()),
                d.ship(), d.metrics());
    }

    static AgentConfig config(Path root) {
        return config(root, "recommended", Duration.ofSeconds(5), KUBECTL_GET_NODES, "");
    }
}
