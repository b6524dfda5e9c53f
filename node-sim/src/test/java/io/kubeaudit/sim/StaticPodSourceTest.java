package io.kubeaudit.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kubelet's static-pod file rules (failure modes 1, 2 and 17), without starting any process. */
class StaticPodSourceTest {

    private static final String KEY = "kube-system/kube-apiserver-node-1";

    private static String pod(String port) {
        return "apiVersion: v1\nkind: Pod\nmetadata: {name: kube-apiserver, namespace: kube-system}\nspec:\n"
                + "  containers: [{name: kube-apiserver, image: 'registry.k8s.io/kube-apiserver:v1.29.0', "
                + "command: [kube-apiserver, --secure-port=" + port + "]}]\n";
    }

    @Test
    void onReListTheLastFileInSortOrderWinsAndOnAWatchEventTheTouchedFileWins(@TempDir Path root) throws Exception {
        Path dir = Files.createDirectories(root.resolve("manifests"));
        KubeletJournal journal = new KubeletJournal(root.resolve("kubelet.log"), InstantSource.system());
        StaticPodSource source = new StaticPodSource(dir, "/etc/kubernetes/manifests", "node-1", journal);
        Files.writeString(dir.resolve("kube-apiserver.yaml"), pod("6443"));
        Files.writeString(dir.resolve("kube-apiserver.yaml.bak"), pod("7443"));

        source.relist();
        assertEquals("/etc/kubernetes/manifests/kube-apiserver.yaml.bak", source.pods().get(KEY).manifest(),
                "a backup beside the manifest is what the kubelet runs");
        source.fileChanged("kube-apiserver.yaml", false);
        assertEquals("/etc/kubernetes/manifests/kube-apiserver.yaml", source.pods().get(KEY).manifest());
        source.relist();
        assertEquals("/etc/kubernetes/manifests/kube-apiserver.yaml.bak", source.pods().get(KEY).manifest());

        Files.delete(dir.resolve("kube-apiserver.yaml.bak"));
        source.fileChanged("kube-apiserver.yaml.bak", true);
        assertTrue(source.pods().isEmpty(), "deleting either file deletes the pod until the next re-list");
        source.relist();
        assertEquals("/etc/kubernetes/manifests/kube-apiserver.yaml", source.pods().get(KEY).manifest());
    }

    @Test
    void dotfilesAndSubdirectoriesAreIgnoredAndOtherFilesAreParsedWhateverTheirName(@TempDir Path root) throws Exception {
        Path dir = Files.createDirectories(root.resolve("manifests"));
        KubeletJournal journal = new KubeletJournal(root.resolve("kubelet.log"), InstantSource.system());
        StaticPodSource source = new StaticPodSource(dir, "/etc/kubernetes/manifests", "node-1", journal);
        Files.writeString(dir.resolve(".kube-apiserver.yaml.tmp-1234"), pod("9999"));
        Files.createDirectories(dir.resolve("old")).resolve("kube-apiserver.yaml").toFile().createNewFile();
        Files.writeString(dir.resolve("old/kube-apiserver.yaml"), pod("8888"));
        Files.writeString(dir.resolve("audit-policy.yaml"), "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: None\n");
        source.relist();
        source.fileChanged(".kube-apiserver.yaml.tmp-1234", false);
        source.fileChanged("old", false);
        assertTrue(source.pods().isEmpty());
        String log = Files.readString(journal.file());
        assertFalse(log.contains("tmp-1234") || log.contains("old"), log);
        assertTrue(log.contains("Can't process manifest file \"/etc/kubernetes/manifests/audit-policy.yaml\": "
                + "/etc/kubernetes/manifests/audit-policy.yaml: couldn't parse as pod(no kind \"Policy\""), log);
    }

    @Test
    void anUnparsableManifestKeepsThePodOnAWatchEventAndRemovesItOnReList(@TempDir Path root) throws Exception {
        Path dir = Files.createDirectories(root.resolve("manifests"));
        KubeletJournal journal = new KubeletJournal(root.resolve("kubelet.log"), InstantSource.system());
        StaticPodSource source = new StaticPodSource(dir, "/etc/kubernetes/manifests", "node-1", journal);
        Files.writeString(dir.resolve("kube-apiserver.yaml"), pod("6443"));
        source.relist();
        String uid = source.pods().get(KEY).uid();

        Files.writeString(dir.resolve("kube-apiserver.yaml"), pod("6443").replace("containers:", "containers: [oops"));
        source.fileChanged("kube-apiserver.yaml", false);
        assertEquals(uid, source.pods().get(KEY).uid());
        assertTrue(Files.readString(journal.file()).contains("Unable to process watch event: can't process config file"));

        source.relist();
        assertTrue(source.pods().isEmpty(), "no crashloop, no container log: the pod is just gone");
    }
}
