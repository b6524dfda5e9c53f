package io.kubeaudit.manifest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The real-world manifests copied from /work/shared/corpus/manifests (see corpus/SOURCES.md). */
final class CorpusManifests {

    static final String GCE_JSON = "gce-kube-up-v1.10-alpha-cloudkms-plugin-json-bin-sh-c-kms-sidecar.manifest";
    static final String V1_11 = "kubeadm-v1.11-devopsyuva.yaml";
    static final String V1_16 = "kubeadm-v1.16-maxxmoney-etc-kubernetes.yaml";
    static final String V1_21_BROKEN = "kubeadm-v1.21-mstelles-cks-hand-edited-encryption-typo.yaml";
    static final String V1_25 = "kubeadm-v1.25-sallyom-otel-kubeadm-tracing.yaml";
    static final String V1_28_COMMENTS = "kubeadm-v1.28-tutugodfrey-cks-prep-audit-inline-comments.yaml";
    static final String V1_29 = "kubeadm-v1.29-zetaoss-etc-dump-pristine.yaml";
    static final String V1_32_NO_POLICY = "kubeadm-v1.32-austintalbot-cks-at-audit-log-path-no-policy-no-volume.yaml";
    static final String V1_32_FULL = "kubeadm-v1.32-austintalbot-cks-at-full-audit.yaml";
    static final String V1_7 = "kubeadm-v1.7-liuyt-unsorted-flags-env-proxy.yaml";
    static final String LEGACY_SH_C = "legacy-gce-era-k8s-docs-fixture-ha-bin-sh-c-single-string.yaml";
    static final String MINIKUBE = "minikube-kubeadm-v1.32-harounjlassi-port-8443-var-lib-minikube-certs.yaml";

    /** Manifests the editor must edit. */
    static final List<String> EDITABLE = List.of(V1_16, V1_25, V1_28_COMMENTS, V1_29, V1_32_NO_POLICY, V1_32_FULL, MINIKUBE);

    /** Manifests the editor must refuse, each with a word its message must contain. */
    static final List<List<String>> REFUSED = List.of(
            List.of(GCE_JSON, "shell"),
            List.of(LEGACY_SH_C, "shell"),
            List.of(V1_7, "older than 1.12"),
            List.of(V1_11, "older than 1.12"),
            List.of(V1_21_BROKEN, "has no name"));

    private CorpusManifests() {
    }

    static String read(String name) {
        try {
            return Files.readString(dir().resolve(name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ApiServerManifest parse(String name) throws Exception {
        return ApiServerManifest.parse(name, read(name));
    }

    static List<String> all() {
        try (Stream<Path> files = Files.list(dir())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> !n.equals("SOURCES.md")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path dir() {
        try {
            return Path.of(CorpusManifests.class.getResource("/corpus/manifests").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
