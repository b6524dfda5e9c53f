package io.kubeaudit.sim;

import io.kubeaudit.node.AtomicFileWriter;
import io.kubeaudit.node.NodePaths;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Lays out a kubeadm control-plane node under a sandbox root: the kube-apiserver static-pod manifest (a
 * pristine kubeadm v1.29 one, advertise address 127.0.0.1, the given port), a working PKI in
 * /etc/kubernetes/pki, an admin.conf with a client certificate (CN=kubernetes-admin, O=system:masters), the
 * kubelet's config.yaml naming the static pod path, and the log directories.
 */
final class NodeLayout {

    static final String MANIFEST = KubeletEmulator.MANIFEST_DIR + "/kube-apiserver.yaml";
    static final String ADMIN_CONF = "/etc/kubernetes/admin.conf";
    static final String PKI = "/etc/kubernetes/pki";
    static final String KUBELET_CONFIG = "/var/lib/kubelet/config.yaml";

    private NodeLayout() {
    }

    static void create(NodePaths node, int port, KubeletSettings settings) throws IOException {
        Path manifest = node.resolve(MANIFEST);
        if (Files.exists(manifest)) {
            throw new FileAlreadyExistsException(manifest.toString(), null,
                    "a simulated node already lives under " + node.root() + "; use an empty directory");
        }
        for (String dir : List.of("/var/log/pods", "/var/log/kubernetes", "/var/lib/kubelet", "/etc/kubernetes/tmp")) {
            Files.createDirectories(node.resolve(dir));
        }
        Files.createDirectories(manifest.getParent());
        Files.setPosixFilePermissions(manifest.getParent(), PosixFilePermissions.fromString("rwx------"));
        try {
            writePki(node, port);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot issue the simulated node's certificates: " + e.getMessage(), e);
        }
        AtomicFileWriter.write(manifest, manifest(port).getBytes(StandardCharsets.UTF_8), AtomicFileWriter.OWNER_READ_WRITE);
        AtomicFileWriter.write(node.resolve(KUBELET_CONFIG), kubeletConfig(settings).getBytes(StandardCharsets.UTF_8),
                PosixFilePermissions.fromString("rw-r--r--"));
    }

    /** The kubeadm v1.29 manifest with its header comment removed, made local and given the port. */
    static String manifest(int port) {
        try (InputStream in = NodeLayout.class.getResourceAsStream("/sim/kube-apiserver.yaml")) {
            if (in == null) {
                throw new IllegalStateException("sim/kube-apiserver.yaml is missing from the class path");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return text.lines().filter(l -> !l.startsWith("#")).collect(Collectors.joining("\n", "", "\n"))
                    .replace("172.30.1.2", "127.0.0.1").replace("6443", Integer.toString(port));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writePki(NodePaths node, int port) throws IOException, GeneralSecurityException {
        Instant now = Instant.now();
        Path pki = node.resolve(PKI);
        NodePki.Issued ca = NodePki.selfSignedCa("kubernetes", now);
        NodePki.write(ca, pki, "ca");
        NodePki.write(NodePki.issue("kube-apiserver", List.of(), NodePki.Usage.SERVER, ca, now), pki, "apiserver");
        NodePki.write(NodePki.issue("kube-apiserver-kubelet-client", List.of("kubeadm:cluster-admins"), NodePki.Usage.CLIENT,
                ca, now), pki, "apiserver-kubelet-client");
        NodePki.Issued frontProxyCa = NodePki.selfSignedCa("front-proxy-ca", now);
        NodePki.write(frontProxyCa, pki, "front-proxy-ca");
        NodePki.write(NodePki.issue("front-proxy-client", List.of(), NodePki.Usage.CLIENT, frontProxyCa, now), pki,
                "front-proxy-client");
        NodePki.Issued etcdCa = NodePki.selfSignedCa("etcd-ca", now);
        NodePki.write(etcdCa, pki.resolve("etcd"), "ca");
        NodePki.write(NodePki.issue("kube-apiserver-etcd-client", List.of(), NodePki.Usage.CLIENT, etcdCa, now), pki,
                "apiserver-etcd-client");
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair sa = g.generateKeyPair();
        AtomicFileWriter.write(pki.resolve("sa.key"), NodePki.pem("PRIVATE KEY", sa.getPrivate().getEncoded())
                .getBytes(StandardCharsets.US_ASCII), AtomicFileWriter.OWNER_READ_WRITE);
        AtomicFileWriter.write(pki.resolve("sa.pub"), NodePki.pem("PUBLIC KEY", sa.getPublic().getEncoded())
                .getBytes(StandardCharsets.US_ASCII), PosixFilePermissions.fromString("rw-------"));

        NodePki.Issued admin = NodePki.issue("kubernetes-admin", List.of("system:masters"), NodePki.Usage.CLIENT, ca, now);
        AtomicFileWriter.write(node.resolve(ADMIN_CONF), kubeconfig(port, ca, admin).getBytes(StandardCharsets.UTF_8),
                AtomicFileWriter.OWNER_READ_WRITE);
    }

    private static String kubeconfig(int port, NodePki.Issued ca, NodePki.Issued admin) throws GeneralSecurityException {
        Base64.Encoder b64 = Base64.getEncoder();
        return "apiVersion: v1\n"
                + "clusters:\n"
                + "- cluster:\n"
                + "    certificate-authority-data: " + b64.encodeToString(ca.certificatePem().getBytes(StandardCharsets.US_ASCII)) + "\n"
                + "    server: https://127.0.0.1:" + port + "\n"
                + "  name: kubernetes\n"
                + "contexts:\n"
                + "- context:\n"
                + "    cluster: kubernetes\n"
                + "    user: kubernetes-admin\n"
                + "  name: kubernetes-admin@kubernetes\n"
                + "current-context: kubernetes-admin@kubernetes\n"
                + "kind: Config\n"
                + "preferences: {}\n"
                + "users:\n"
                + "- name: kubernetes-admin\n"
                + "  user:\n"
                + "    client-certificate-data: " + b64.encodeToString(admin.certificatePem().getBytes(StandardCharsets.US_ASCII)) + "\n"
                + "    client-key-data: " + b64.encodeToString(admin.keyPem().getBytes(StandardCharsets.US_ASCII)) + "\n";
    }

    private static String kubeletConfig(KubeletSettings settings) {
        Duration f = settings.fileCheckFrequency();
        return "apiVersion: kubelet.config.k8s.io/v1beta1\n"
                + "kind: KubeletConfiguration\n"
                + "cgroupDriver: systemd\n"
                + "fileCheckFrequency: " + (f.toMillis() % 1000 == 0 ? f.toSeconds() + "s" : f.toMillis() + "ms") + "\n"
                + "staticPodPath: " + KubeletEmulator.MANIFEST_DIR + "\n";
    }
}
