package io.kubeaudit.apply.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EndpointHealthCheckIT {

    @TempDir
    Path dir;

    private static void serve(HttpServer server) {
        server.createContext("/livez", ex -> {
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.createContext("/readyz", ex -> {
            byte[] body = "[-]etcd failed: reason withheld\nreadyz check failed".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(500, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
    }

    @Test
    void plainHttpStatusDecides() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        serve(server);
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            assertTrue(new EndpointHealthCheck(URI.create(base + "/livez")).check(Duration.ofSeconds(5)).ok());
            HealthCheck.Result ready = new EndpointHealthCheck(URI.create(base + "/readyz")).check(Duration.ofSeconds(5));
            assertFalse(ready.ok());
            assertEquals("GET " + base + "/readyz: HTTP 500: readyz check failed", ready.detail());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aSelfSignedLocalServerIsAccepted() throws Exception {
        Path keystore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", "changeit",
                "-alias", "apiserver", "-keyalg", "EC", "-dname", "CN=kube-apiserver", "-validity", "2")
                .redirectErrorStream(true).start();
        try (InputStream out = keytool.getInputStream()) {
            out.transferTo(java.io.OutputStream.nullOutputStream());
        }
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, "keytool failed");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        serve(server);
        try {
            HealthCheck.Result live = new EndpointHealthCheck(URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/livez"))
                    .check(Duration.ofSeconds(5));
            assertTrue(live.ok(), live.detail());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void onlyLiteralLoopbackAddressesAreLocal() {
        assertTrue(EndpointHealthCheck.isLoopback("127.0.0.1"));
        assertTrue(EndpointHealthCheck.isLoopback("[::1]"));
        assertTrue(EndpointHealthCheck.isLoopback("localhost"));
        assertFalse(EndpointHealthCheck.isLoopback("10.0.0.1"));
        assertFalse(EndpointHealthCheck.isLoopback("apiserver.example.com"));
    }
}
