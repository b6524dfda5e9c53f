package io.kubeaudit.sim;

import io.kubeaudit.node.NodePaths;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A kubeadm-style control-plane node without a cluster, under a sandbox root: the files of
 * {@link NodeLayout}, a {@link KubeletEmulator} in this JVM and the kube-apiserver it runs as a child process.
 * The real {@code setup} can be pointed at {@link #root()}: it edits the real manifest, the emulator restarts
 * the server, and a real {@code kubectl --kubeconfig <root>/etc/kubernetes/admin.conf get nodes} answers.
 *
 * <pre>{@code
 * try (SimulatedNode node = SimulatedNode.create(tempDir).start()) {
 *     // run setup with root = node.root(); watch node.kubelet().apiServer()
 * }
 * }</pre>
 */
public final class SimulatedNode implements AutoCloseable {

    /** How long {@link #start()} waits for the first server to answer. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final NodePaths paths;
    private final int port;
    private final KubeletEmulator kubelet;

    private SimulatedNode(NodePaths paths, int port, KubeletSettings settings) {
        this.paths = paths;
        this.port = port;
        this.kubelet = new KubeletEmulator(paths.root(), settings);
    }

    /** Lays out a node under {@code root} (which must not hold one yet) with {@link KubeletSettings#fast()} timings. */
    public static SimulatedNode create(Path root) throws IOException {
        return create(root, KubeletSettings.fast());
    }

    public static SimulatedNode create(Path root, KubeletSettings settings) throws IOException {
        NodePaths paths = new NodePaths(root);
        int port = freeLoopbackPort();
        NodeLayout.create(paths, port, settings);
        return new SimulatedNode(paths, port, settings);
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Starts the kubelet emulator and waits until the API server answers /readyz. */
    public SimulatedNode start() throws IOException, TimeoutException, InterruptedException {
        kubelet.start();
        awaitReady(START_TIMEOUT);
        return this;
    }

    /**
     * Waits until the API server pod runs and answers {@code /readyz} with 200 over TLS (verified against the
     * node's CA). A server that crashes meanwhile is not "ready": the wait continues until the timeout.
     */
    public void awaitReady(Duration timeout) throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpClient client = HttpClient.newBuilder().sslContext(trustingNodeCa()).connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest readyz = HttpRequest.newBuilder(apiServerUrl().resolve("/readyz")).timeout(Duration.ofSeconds(2)).build();
        String last = "no answer yet";
        while (System.nanoTime() < deadline) {
            if (kubelet.isRunning()) {
                try {
                    HttpResponse<String> r = client.send(readyz, HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        return;
                    }
                    last = "HTTP " + r.statusCode() + ": " + r.body();
                } catch (IOException e) {
                    last = e.toString();
                }
            } else {
                last = kubelet.apiServer().toString();
            }
            Thread.sleep(100);
        }
        throw new TimeoutException("the simulated kube-apiserver at " + apiServerUrl() + " did not answer /readyz within "
                + timeout + " (" + last + "); see " + kubelet.journal() + " and " + paths.resolve("/var/log/pods"));
    }

    /** An SSL context that trusts the node's CA (/etc/kubernetes/pki/ca.crt), for probing the server. */
    public SSLContext trustingNodeCa() {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            List<X509Certificate> ca = NodePki.readCertificates(Files.readAllBytes(caCertificate()));
            trust.setCertificateEntry("ca", ca.get(0));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            return ssl;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot read the node CA " + caCertificate() + ": " + e.getMessage(), e);
        }
    }

    /** https://127.0.0.1:PORT, the local API server (no load balancer in front). */
    public URI apiServerUrl() {
        return URI.create("https://127.0.0.1:" + port);
    }

    public int securePort() {
        return port;
    }

    public Path root() {
        return paths.root();
    }

    public NodePaths paths() {
        return paths;
    }

    public String nodeName() {
        return kubelet.nodeName();
    }

    public KubeletEmulator kubelet() {
        return kubelet;
    }

    /** The kube-apiserver manifest on this machine (node path /etc/kubernetes/manifests/kube-apiserver.yaml). */
    public Path manifest() {
        return paths.resolve(NodeLayout.MANIFEST);
    }

    /** The admin kubeconfig on this machine (node path /etc/kubernetes/admin.conf). */
    public Path adminKubeconfig() {
        return paths.resolve(NodeLayout.ADMIN_CONF);
    }

    /** The cluster CA certificate on this machine (node path /etc/kubernetes/pki/ca.crt). */
    public Path caCertificate() {
        return paths.resolve(NodeLayout.PKI + "/ca.crt");
    }

    /** Stops the kubelet emulator and with it every server it started. */
    @Override
    public void close() {
        kubelet.close();
    }
}
