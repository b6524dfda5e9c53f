package io.kubeaudit.ship;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Real audit logs from {@code src/test/resources/corpus/auditlogs} (see SOURCES.md there). */
public final class Corpus {

    /** Every file whose lines are audit events (one JSON object per line), plain and gzip. */
    public static final List<String> EVENT_LOGS = List.of(
            "audit2rbac-demo-v1-relabeled-with-v1beta1-only-fields.log",
            "audit2rbac-demo-v1beta1-k8s1.8-raw.log",
            "elastic-integrations-test-audit-mixed-native-gke-aks-lines.log",
            "falco-trace-attach-pod-ResponseStarted-101-no-apiVersion.json",
            "falco-trace-create-configmap-sensitive-values-6-events-no-apiVersion.json",
            "falco-trace-create-kube-system-secret-v1-Metadata.json",
            "falco-trace-create-privileged-pod-v1beta1-RequestResponse.json",
            "real-kube-apiserver-v1.20.2-lab/audit-2026-11-26T12-26-59.812.log.gz",
            "real-kube-apiserver-v1.20.2-lab/audit-2026-11-26T12-27-37.236.log.gz",
            "real-kube-apiserver-v1.20.2-lab/audit-2026-11-26T12-28-12.040.log.gz",
            "real-kube-apiserver-v1.20.2-lab/audit-2026-11-26T12-28-41.250.log.gz",
            "real-kube-apiserver-v1.20.2-lab/audit.log");

    /** Files that are not JSON lines (pretty-printed events). */
    static final List<String> NOT_JSON_LINES = List.of(
            "invalid/ocsf-examples-eks-node-create-RequestResponse-large-pretty-printed-not-jsonl.json",
            "invalid/tutugodfrey-cks-prep-v1.28-jq-pretty-printed-not-jsonl.log");

    private Corpus() {
    }

    /** The file's lines without newlines; empty trailing line dropped. */
    public static List<byte[]> lines(String name) {
        String resource = "/corpus/auditlogs/" + name;
        try (InputStream raw = Corpus.class.getResourceAsStream(resource)) {
            if (raw == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            byte[] bytes = (name.endsWith(".gz") ? new GZIPInputStream(raw) : raw).readAllBytes();
            List<byte[]> lines = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] == '\n') {
                    lines.add(java.util.Arrays.copyOfRange(bytes, start, i));
                    start = i + 1;
                }
            }
            if (start < bytes.length) {
                lines.add(java.util.Arrays.copyOfRange(bytes, start, bytes.length));
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<byte[]> allEvents() {
        List<byte[]> all = new ArrayList<>();
        for (String name : EVENT_LOGS) {
            all.addAll(lines(name));
        }
        return all;
    }
}
