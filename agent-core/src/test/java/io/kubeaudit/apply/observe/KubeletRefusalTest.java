package io.kubeaudit.apply.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KubeletRefusalTest {

    private static final String NO_RESTART = "the API server did not restart within 20s: no new kube-apiserver container log";

    private static Diagnosis kubelet(String... lines) {
        return new Diagnosis("kubelet log /var/log/kubelet.log", List.of(lines));
    }

    @Test
    void aFailedMountIsTheReasonInTheKubeletsWords() {
        Diagnosis d = kubelet("E0607 10:03:55.123456    1234 nestedpendingoperations.go:348] Operation for \"{volumeName:kubernetes.io/"
                + "host-path/abc-audit-logs podName:abc nodeName:}\" failed. No retries permitted until 2024-06-07 10:03:55.623456 +0000"
                + " UTC m=+12.5 (durationBeforeRetry 500ms). Error: MountVolume.SetUp failed for volume \"audit-logs\" (UniqueName:"
                + " \"kubernetes.io/host-path/abc-audit-logs\") pod \"kube-apiserver-cp1\" (UID: \"abc\") : hostPath type check"
                + " failed: /var/log/x is not a directory (and 4 more like it)");
        assertEquals(Optional.of("it could not set up the pod's volume \"audit-logs\": hostPath type check failed: /var/log/x is not"
                + " a directory"), KubeletRefusal.find(List.of(d)));
        assertEquals(NO_RESTART + "; the kubelet never started a new kube-apiserver container: it could not set up the pod's volume"
                + " \"audit-logs\": hostPath type check failed: /var/log/x is not a directory", KubeletRefusal.explain(NO_RESTART, List.of(d)));
    }

    @Test
    void structuredLoggingAndTheJournalAreReadToo() {
        Diagnosis journal = new Diagnosis("journalctl -u kubelet --since @1 (ok)", List.of(
                "Jun 07 10:03:55 cp1 kubelet[1234]: E0607 10:03:55.123456 1234 kubelet.go:1701] \"Unable to attach or mount volumes\""
                        + " err=\"MountVolume.SetUp failed for volume \\\"audit-policy\\\" : hostPath type check failed:"
                        + " /etc/kubernetes/audit-policy.yaml is not a file\" pod=\"kube-system/kube-apiserver-cp1\"",
                "Jun 07 10:04:00 cp1 kubelet[1234]: E0607 10:04:00.1 1234 file.go:187] \"Could not process manifest file\""
                        + " err=\"invalid pod: [spec.volumes[0].name: Required value]\" path=\"/etc/kubernetes/manifests/kube-apiserver.yaml\""));
        assertEquals(Optional.of("it cannot use the manifest file /etc/kubernetes/manifests/kube-apiserver.yaml: invalid pod:"
                + " [spec.volumes[0].name: Required value]"), KubeletRefusal.find(List.of(journal)));
        assertEquals(Optional.of("it cannot use the manifest file /etc/kubernetes/manifests/kube-apiserver.yaml: invalid pod: x"),
                KubeletRefusal.find(List.of(kubelet("E0607 file.go:208] Can't process manifest file"
                        + " \"/etc/kubernetes/manifests/kube-apiserver.yaml\": invalid pod: x"))));
        assertEquals(Optional.of("it could not set up the pod's volume \"audit-policy\": hostPath type check failed:"
                + " /etc/kubernetes/audit-policy.yaml is not a file"), KubeletRefusal.find(List.of(journal.lines().get(0)).stream()
                .map(l -> new Diagnosis(journal.source(), List.of(l))).toList()));
    }

    @Test
    void withoutTheKubeletsWordsTheQuestionStays() {
        Diagnosis container = new Diagnosis("kube-apiserver container log x", List.of("MountVolume.SetUp failed for volume \"v\" : no"));
        assertEquals(NO_RESTART + " (is the kubelet running and watching the manifests directory? its log says nothing about the pod)",
                KubeletRefusal.explain(NO_RESTART, List.of(container)));
        assertEquals(NO_RESTART + "; the kubelet's lines about the pod follow",
                KubeletRefusal.explain(NO_RESTART, List.of(kubelet("I0607 \"SyncLoop ADD\" pods=[\"kube-system/kube-apiserver-cp1\"]"))));
    }
}
