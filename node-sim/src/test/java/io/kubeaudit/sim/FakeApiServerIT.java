package io.kubeaudit.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server in this JVM (no kubelet): what it answers, what it audits, what makes it refuse to start. */
class FakeApiServerIT {

    @TempDir
    Path dir;
    private NodePki.Issued ca;
    private NodePki.Issued admin;
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    @BeforeEach
    void pki() throws Exception {
        Instant now = Instant.now();
        ca = NodePki.selfSignedCa("kubernetes", now);
        NodePki.write(ca, dir.resolve("pki"), "ca");
        NodePki.write(NodePki.issue("kube-apiserver", List.of(), NodePki.Usage.SERVER, ca, now), dir.resolve("pki"), "apiserver");
        admin = NodePki.issue("kubernetes-admin", List.of("system:masters"), NodePki.Usage.CLIENT, ca, now);
        Files.writeString(dir.resolve("policy.yaml"), "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n"
                + "- level: None\n  nonResourceURLs: [/readyz]\n- level: RequestResponse\n  resources: [{group: \"\", resources: [nodes]}]\n"
                + "- level: Metadata\n");
    }

    private List<String> args(int port, String... extra) {
        List<String> a = new ArrayList<>(List.of("--secure-port=" + port, "--tls-cert-file=" + dir.resolve("pki/apiserver.crt"),
                "--tls-private-key-file=" + dir.resolve("pki/apiserver.key"), "--client-ca-file=" + dir.resolve("pki/ca.crt"),
                "--audit-policy-file=" + dir.resolve("policy.yaml"), "--audit-log-path=" + dir.resolve("audit/audit.log")));
        a.addAll(List.of(extra));
        return a;
    }

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();

    private FakeApiServer start(List<String> args, Map<String, String> env) throws StartupException {
        return FakeApiServer.start(args, env, InstantSource.system(), new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8));
    }

    @Test
    void backgroundTrafficGoesToStdoutWhenTheLogPathIsDash() throws Exception {
        List<String> toStdout = new ArrayList<>(args(freePort()));
        toStdout.set(toStdout.size() - 1, "--audit-log-path=-");
        try (FakeApiServer server = start(toStdout, Map.of(ContainerContext.EVENT_RATE, "200"))) {
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (stdout.toString(StandardCharsets.UTF_8).lines().count() < 20 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }
        List<JsonNode> events = stdout.toString(StandardCharsets.UTF_8).lines().map(FakeApiServerIT::json).toList();
        assertTrue(events.size() >= 20, "background events: " + events.size());
        assertTrue(events.stream().anyMatch(e -> e.path("user").path("username").asText().equals("system:kube-scheduler")
                && e.path("objectRef").path("resource").asText().equals("leases")), events.toString());
        assertFalse(Files.exists(dir.resolve("audit/audit.log")));
    }

    @Test
    void answersKubectlsRequestsAndAuditsThemAsTheRealServerWould() throws Exception {
        try (FakeApiServer server = start(args(freePort()), Map.of())) {
            URI base = URI.create("https://127.0.0.1:" + server.port());
            HttpClient anonymous = client(false);
            HttpClient kubectl = client(true);

            assertEquals("ok", anonymous.send(get(base, "/livez"), HttpResponse.BodyHandlers.ofString()).body());
            assertEquals(403, anonymous.send(get(base, "/api/v1/nodes"), HttpResponse.BodyHandlers.ofString()).statusCode());
            HttpResponse<String> token = anonymous.send(HttpRequest.newBuilder(base.resolve("/api/v1/nodes"))
                    .header("Authorization", "Bearer abc").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, token.statusCode());
            assertEquals(200, anonymous.send(get(base, "/readyz"), HttpResponse.BodyHandlers.ofString()).statusCode());

            JsonNode list = json(kubectl.send(get(base, "/api/v1/nodes?limit=500&resourceVersion=0"), HttpResponse.BodyHandlers.ofString()));
            assertEquals("NodeList", list.path("kind").asText());
            assertEquals("sim-control-plane", list.path("items").path(0).path("metadata").path("name").asText());
            JsonNode table = json(kubectl.send(HttpRequest.newBuilder(base.resolve("/api/v1/nodes")).header("Accept",
                    "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json")
                    .build(), HttpResponse.BodyHandlers.ofString()));
            assertEquals("meta.k8s.io/v1", table.path("apiVersion").asText());
            assertEquals(5, table.path("columnDefinitions").findValues("priority").stream().filter(p -> p.asInt() == 0).count());
            assertEquals(table.path("columnDefinitions").size(), table.path("rows").path(0).path("cells").size());
            assertEquals("v1beta1", ApiHandler.tableVersion("application/json;as=Table;v=v1beta1;g=meta.k8s.io, application/json")
                    .orElseThrow());
        }
        List<String> lines = Files.readAllLines(dir.resolve("audit/audit.log"));
        List<JsonNode> events = lines.stream().map(FakeApiServerIT::json).toList();
        assertFalse(lines.stream().anyMatch(l -> l.contains("/readyz")), "the policy drops /readyz");
        JsonNode failedAuthn = events.stream().filter(e -> e.path("responseStatus").path("code").asInt() == 401).findFirst().orElseThrow();
        assertEquals("ResponseStarted", failedAuthn.path("stage").asText());
        assertEquals("{}", failedAuthn.path("user").toString());
        JsonNode forbidden = events.stream().filter(e -> e.path("responseStatus").path("code").asInt() == 403).findFirst().orElseThrow();
        assertEquals("system:anonymous", forbidden.path("user").path("username").asText());
        assertEquals("forbid", forbidden.path("annotations").path("authorization.k8s.io/decision").asText());
        String listLine = lines.stream().filter(l -> l.contains("resourceVersion=0") && l.contains("ResponseComplete")).findFirst()
                .orElseThrow();
        assertTrue(listLine.contains("\"requestURI\":\"/api/v1/nodes?limit=500\\u0026resourceVersion=0\""), listLine);
        assertTrue(listLine.endsWith("\"annotations\":{\"authorization.k8s.io/decision\":\"allow\",\"authorization.k8s.io/reason\":\"\"}}"),
                listLine);
        JsonNode listEvent = json(listLine);
        assertEquals("RequestResponse", listEvent.path("level").asText());
        assertEquals("NodeList", listEvent.path("responseObject").path("kind").asText());
        assertTrue(listEvent.path("requestReceivedTimestamp").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z"));
        assertEquals(2, events.stream().filter(e -> e.path("auditID").equals(listEvent.path("auditID"))).count(),
                "RequestReceived and ResponseComplete");
    }

    @Test
    void theLegacyFormatWritesOneAuditLinePerStage() throws Exception {
        try (FakeApiServer server = start(args(freePort(), "--audit-log-format=legacy"), Map.of())) {
            client(true).send(get(URI.create("https://127.0.0.1:" + server.port()), "/api/v1/namespaces"),
                    HttpResponse.BodyHandlers.ofString());
        }
        List<String> lines = Files.readAllLines(dir.resolve("audit/audit.log"));
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(1).matches("\\S+Z AUDIT: id=\"[0-9a-f-]{36}\" stage=\"ResponseComplete\" ip=\"127.0.0.1\" method=\"list\" "
                + "user=\"kubernetes-admin\" groups=\"\\\\\"system:masters\\\\\",\\\\\"system:authenticated\\\\\"\" as=\"<self>\" "
                + "asgroups=\"<lookup>\" user-agent=\"Java-http-client/\\S+\" namespace=\"<none>\" uri=\"/api/v1/namespaces\" "
                + "response=\"200\""), lines.get(1));
    }

    @Test
    void refusesToStartAsTheRealServerDoes() throws Exception {
        int port = freePort();
        Map<String, String> container = Map.of(ContainerFilesystem.MOUNTS_ENV, "/pki=" + dir.resolve("pki") + ":ro;"
                + "/var/log/kubernetes/audit=" + dir.resolve("audit") + ":ro", ContainerFilesystem.SCRATCH_ENV, dir.resolve("rootfs").toString());
        List<String> inContainer = List.of("--secure-port=" + port, "--tls-cert-file=/pki/apiserver.crt",
                "--tls-private-key-file=/pki/apiserver.key", "--client-ca-file=/pki/ca.crt");
        assertEquals("loading audit policy file: failed to read file path \"/etc/kubernetes/audit-policy.yaml\": open "
                + "/etc/kubernetes/audit-policy.yaml: no such file or directory", refusal(concat(inContainer,
                "--audit-policy-file=/etc/kubernetes/audit-policy.yaml"), container),
                "a policy present on the host but not mounted is not there for the container");
        assertEquals("ensureLogFile: mkdir /var/log/kubernetes/audit: read-only file system",
                refusal(concat(inContainer, "--audit-log-path=/var/log/kubernetes/audit/audit.log"), container));
        assertEquals("unable to load server certificate: open /etc/kubernetes/pki/apiserver.crt: no such file or directory",
                refusal(List.of("--secure-port=" + port, "--tls-cert-file=/etc/kubernetes/pki/apiserver.crt",
                        "--tls-private-key-file=/etc/kubernetes/pki/apiserver.key"), container));
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertEquals("failed to create listener: failed to listen on 0.0.0.0:" + busy.getLocalPort() + ": listen tcp 0.0.0.0:"
                    + busy.getLocalPort() + ": bind: address already in use", refusal(args(busy.getLocalPort()), Map.of()));
        }
    }

    private String refusal(List<String> args, Map<String, String> env) {
        return assertThrows(StartupException.class, () -> start(args, env).close()).getMessage();
    }

    private static List<String> concat(List<String> a, String b) {
        List<String> all = new ArrayList<>(a);
        all.add(b);
        return all;
    }

    private HttpClient client(boolean withAdminCertificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (withAdminCertificate) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("admin", admin.key(), new char[0], new X509Certificate[] {admin.certificate(), ca.certificate()});
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, new char[0]);
        }
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ssl).build();
    }

    private static HttpRequest get(URI base, String path) {
        return HttpRequest.newBuilder(base.resolve(path)).build();
    }

    private static JsonNode json(HttpResponse<String> r) {
        assertEquals(200, r.statusCode(), r.body());
        return json(r.body());
    }

    private static JsonNode json(String text) {
        try {
            return GoJson.MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError(text, e);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
