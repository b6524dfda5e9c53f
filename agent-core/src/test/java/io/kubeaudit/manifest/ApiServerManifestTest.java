package io.kubeaudit.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.node.KubeVersion;
import io.kubeaudit.yaml.InvalidInputException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApiServerManifestTest {

    private static final String MINIMAL = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: kube-apiserver
              namespace: kube-system
            spec:
              containers:
              - name: kube-apiserver
                image: registry.k8s.io/kube-apiserver:v1.30.2
                command:
                - kube-apiserver
                - --audit-log-path
                - /var/log/a/audit.log
                - --profiling
                - --v=2
            """;

    @Test
    void readsFlagsInBothFormsAndBareBooleans() throws Exception {
        ApiServerManifest m = ApiServerManifest.parse("m.yaml", MINIMAL);
        assertEquals(Map.of("--audit-log-path", "/var/log/a/audit.log", "--profiling", "true", "--v", "2"), m.flags());
        assertEquals(Optional.of(new KubeVersion(1, 30, 2)), m.serverVersion());
        assertEquals(6443, m.securePort());
        assertEquals("127.0.0.1", m.advertiseAddress());
        assertEquals(List.of(), m.hostPathMounts());
    }

    @Test
    void readsTheCorpusManifests() throws Exception {
        ApiServerManifest minikube = CorpusManifests.parse(CorpusManifests.MINIKUBE);
        assertEquals(8443, minikube.securePort());
        assertEquals("192.168.59.105", minikube.advertiseAddress());
        assertEquals(Optional.of("192.168.59.105:8443"),
                minikube.annotation("kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint"));
        assertEquals("/var/lib/minikube/certs/ca.crt", minikube.flags().get("--client-ca-file"));

        ApiServerManifest v17 = CorpusManifests.parse(CorpusManifests.V1_7);
        assertEquals(Optional.of(new KubeVersion(1, 7, 0)), v17.serverVersion());
        assertEquals(List.of(new HostPathMount("k8s", "/etc/kubernetes", "/etc/kubernetes", "", true),
                new HostPathMount("certs", "/etc/ssl/certs", "/etc/ssl/certs", "", false),
                new HostPathMount("pki", "/etc/pki", "/etc/pki", "", false)), v17.hostPathMounts());

        ApiServerManifest full = CorpusManifests.parse(CorpusManifests.V1_32_FULL);
        assertEquals(new HostPathMount("audit-log", "/var/log/kubernetes/audit/", "/var/log/kubernetes/audit/", "DirectoryOrCreate", false),
                full.hostPathMounts().get(1));
        assertEquals("", full.flags().get("--runtime-config"));
    }

    @Test
    void findsTheNodePathBehindAContainerPath() throws Exception {
        ApiServerManifest v17 = CorpusManifests.parse(CorpusManifests.V1_7);
        assertEquals(Optional.of("/etc/kubernetes/audit-policy.yaml"), v17.mountedHostPathFor("/etc/kubernetes/audit-policy.yaml"));
        assertEquals(Optional.empty(), v17.mountedHostPathFor("/etc/kubernetes-other/x"), "paths compare by component");
        assertEquals(Optional.empty(), v17.mountedHostPathFor("/var/log/kubernetes/audit"));

        ApiServerManifest full = CorpusManifests.parse(CorpusManifests.V1_32_FULL);
        assertEquals(Optional.of("/var/log/kubernetes/audit/audit.log"), full.mountedHostPathFor("/var/log/kubernetes/audit/audit.log"));

        ApiServerManifest tracing = CorpusManifests.parse(CorpusManifests.V1_25);
        assertEquals(Optional.of("/tmp/trace/trace.yaml"), tracing.mountedHostPathFor("/var/lib/trace/trace.yaml"),
                "a mount from another node path maps through");

        String withEmptyDir = MINIMAL.replace("    - --v=2\n", """
                    - --v=2
                    volumeMounts:
                    - {name: etc, mountPath: /etc/kubernetes}
                    - {name: scratch, mountPath: /etc/kubernetes/tmp}
                  volumes:
                  - {name: etc, hostPath: {path: /etc/kubernetes}}
                  - {name: scratch, emptyDir: {}}
                """);
        ApiServerManifest m = ApiServerManifest.parse("m", withEmptyDir);
        assertEquals(Optional.of("/etc/kubernetes/a"), m.mountedHostPathFor("/etc/kubernetes/a"));
        assertEquals(Optional.empty(), m.mountedHostPathFor("/etc/kubernetes/tmp/a"), "the deepest mount decides, and it is no hostPath");
    }

    @Test
    void findsTheApiServerContainerByCommandWhenNamedOtherwise() throws Exception {
        String hyperkube = MINIMAL.replace("name: kube-apiserver\n    image", "name: apiserver\n    image")
                .replace("    - kube-apiserver\n", "    - /hyperkube\n    - apiserver\n");
        ApiServerManifest m = ApiServerManifest.parse("m", hyperkube);
        assertEquals("/var/log/a/audit.log", m.flags().get("--audit-log-path"));
        assertFalse(m.flags().containsKey("apiserver"));
    }

    @Test
    void refusesWhatIsNotAnApiServerPod() {
        assertRefused("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n", "m.yaml:2:7: kind is Deployment, not Pod");
        assertRefused("- a\n- b\n", "m.yaml:1:1: is not a Kubernetes object");
        assertRefused("apiVersion: v1\nmetadata: {name: x}\n", "m.yaml:1:1: has no kind");
        assertRefused(MINIMAL + "---\n" + MINIMAL, "holds 2 YAML documents");
        assertRefused(MINIMAL.replace("name: kube-apiserver\n    image", "name: etcd\n    image").replace("- kube-apiserver\n", "- etcd\n"),
                "no container is named kube-apiserver or runs the kube-apiserver binary (containers: etcd)");
        assertRefused(MINIMAL.replace("    - kube-apiserver\n", "    - /usr/local/bin/wrapper.sh\n"),
                "the container runs /usr/local/bin/wrapper.sh, not kube-apiserver");
        assertRefused("", "m.yaml: file is empty");
        assertRefused("kind: Pod\napiVersion: v1\nmetadata: {}\nspec: {containers: [{name: kube-apiserver, image: x}]}\n",
                "has neither command nor args");
        assertRefused(MINIMAL.replace("- --v=2", "- --secure-port=https"), "--secure-port must be a port number");
    }

    @Test
    void refusesAShellCommandWithAClearMessage() {
        InvalidInputException legacy = assertThrows(InvalidInputException.class, () -> CorpusManifests.parse(CorpusManifests.LEGACY_SH_C));
        assertEquals(CorpusManifests.LEGACY_SH_C + ":11:7: kube-apiserver is started through a shell (/bin/sh -c \"...\"): all its"
                + " flags are one string that kube-audit-agent cannot edit safely; list the kube-apiserver binary and each flag as"
                + " separate command items, as kubeadm does", legacy.getMessage());
        InvalidInputException json = assertThrows(InvalidInputException.class, () -> CorpusManifests.parse(CorpusManifests.GCE_JSON));
        assertTrue(json.getMessage().startsWith(CorpusManifests.GCE_JSON + ":28:18: kube-apiserver is started through a shell"),
                json.getMessage());
    }

    @Test
    void recognisesEveryCorpusManifestAsDeclaringTheApiServer() {
        for (String name : CorpusManifests.all()) {
            assertTrue(ApiServerManifest.declaresKubeApiServer(CorpusManifests.read(name)), name);
        }
    }

    @Test
    void otherFilesDoNotDeclareTheApiServer() {
        assertFalse(ApiServerManifest.declaresKubeApiServer("apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n"));
        assertFalse(ApiServerManifest.declaresKubeApiServer("not: [valid"));
        assertFalse(ApiServerManifest.declaresKubeApiServer(MINIMAL.replace("kube-apiserver", "etcd")));
        assertTrue(ApiServerManifest.declaresKubeApiServer("kind: ConfigMap\n---\n" + MINIMAL), "any document counts");
        assertTrue(ApiServerManifest.declaresKubeApiServer(
                "kind: Pod\nmetadata: {name: backup, labels: {component: kube-apiserver}}\n"), "the label alone counts");
    }

    private static void assertRefused(String text, String message) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ApiServerManifest.parse("m.yaml", text));
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertTrue(e.getMessage().startsWith("m.yaml"), e.getMessage());
    }
}
