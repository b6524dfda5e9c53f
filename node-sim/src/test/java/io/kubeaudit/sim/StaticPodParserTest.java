package io.kubeaudit.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticPodParserTest {

    private static final String MANIFEST = "/etc/kubernetes/manifests/kube-apiserver.yaml";

    @Test
    void everyCorpusManifestIsAPodExceptTheHandEditedOneAndOnlyKubeApiserverCommandsAreRunnable() throws Exception {
        List<Path> manifests = Corpus.files("manifests");
        assertEquals(12, manifests.size());
        for (Path m : manifests) {
            if (m.getFileName().toString().contains("mstelles")) {
                // Its etcd hostPath volume lost its name in a hand edit: the kubelet refuses the whole pod.
                assertEquals("invalid pod: [spec.volumes[0].name: Required value, spec.containers[0].volumeMounts[0].name: "
                        + "Not found: \"etcd\"]", assertThrows(StaticPodParser.ManifestException.class,
                        () -> StaticPodParser.parse(m, MANIFEST, "node-1")).getMessage());
                continue;
            }
            StaticPod pod = StaticPodParser.parse(m, MANIFEST, "node-1");
            assertTrue(pod.fullName().endsWith("-node-1"), m.toString());
            assertEquals(32, pod.uid().length());
            boolean shellWrapped = pod.container().argv().get(0).equals("/bin/sh");
            assertEquals(!shellWrapped, ContainerRuntime.canRun(pod), m.getFileName() + " " + pod.container().argv());
        }
        StaticPod pristine = StaticPodParser.parse(manifests.stream().filter(p -> p.toString().contains("v1.29")).findFirst()
                .orElseThrow(), MANIFEST, "Node-1");
        assertEquals("kube-system/kube-apiserver-node-1", pristine.key());
        assertTrue(pristine.isApiServer());
        assertEquals(6, pristine.volumes().size());
    }

    @Test
    void theConfigHashIgnoresFormattingButNotContentOrFileName(@TempDir Path dir) throws Exception {
        String base = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-apiserver\n  namespace: kube-system\n"
                + "spec:\n  containers:\n  - name: kube-apiserver\n    image: registry.k8s.io/kube-apiserver:v1.29.0\n"
                + "    command: [kube-apiserver, --secure-port=6443]\n";
        String reformatted = "# edited by hand\nkind: Pod\napiVersion: v1\nmetadata: {namespace: kube-system, name: kube-apiserver}\n"
                + "spec:\n  containers:\n    - image: registry.k8s.io/kube-apiserver:v1.29.0   # same\n      name: kube-apiserver\n"
                + "      command:\n        - kube-apiserver\n        - --secure-port=6443\n";
        String uid = uid(dir, base, MANIFEST);
        assertEquals(uid, uid(dir, reformatted, MANIFEST));
        assertNotEquals(uid, uid(dir, base.replace("6443", "6444"), MANIFEST));
        assertNotEquals(uid, uid(dir, base, MANIFEST + ".bak"));
    }

    @Test
    void whatIsNotAPodOrNotAValidPodIsRefusedWithTheKubeletsMessage(@TempDir Path dir) throws Exception {
        String policy = Files.readString(Corpus.files("policies").get(0));
        assertEquals(MANIFEST + ": couldn't parse as pod(no kind \"Policy\" is registered for version \"audit.k8s.io/v1\" in "
                + "scheme \"pkg/api/legacyscheme/scheme.go:30\"), please check config file", refusal(dir, policy));
        assertEquals(MANIFEST + ": couldn't parse as pod(json: cannot unmarshal string into Go struct field "
                + "Container.spec.containers.command of type []string), please check config file",
                refusal(dir, "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec:\n  containers:\n  - name: c\n    image: i\n"
                        + "    command: kube-apiserver --v=2\n"));
        assertEquals("invalid pod: [spec.containers[0].volumeMounts[0].name: Not found: \"audit\"]",
                refusal(dir, "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec:\n  containers:\n  - name: c\n    image: i\n"
                        + "    volumeMounts: [{name: audit, mountPath: /var/log/audit}]\n"));
        assertTrue(refusal(dir, "apiVersion: v1\nkind: Pod\nspec: [\n").startsWith(MANIFEST + ": couldn't parse as pod(yaml: line"));
    }

    private static String uid(Path dir, String text, String nodePath) throws Exception {
        return StaticPodParser.parse(Files.writeString(dir.resolve("m.yaml"), text), nodePath, "node-1").uid();
    }

    private static String refusal(Path dir, String text) throws Exception {
        Path f = Files.writeString(dir.resolve("bad.yaml"), text);
        return assertThrows(StaticPodParser.ManifestException.class, () -> StaticPodParser.parse(f, MANIFEST, "node-1"))
                .getMessage();
    }

    @Test
    void aPodWithoutNamespaceLandsInDefault(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("p.yaml"), "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n"
                + "  containers: [{name: c, image: nginx}]\n");
        StaticPod pod = StaticPodParser.parse(f, "/etc/kubernetes/manifests/p.yaml", "node-1");
        assertEquals("default/web-node-1", pod.key());
        assertFalse(pod.isApiServer());
    }
}
