package io.kubeaudit.ship;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import io.kubeaudit.ship.http.PemTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * A throw-away CA with a server and a client certificate, made at test time as the PEM files a
 * Kubernetes admin has ({@code ca.pem}, {@code client.pem}, {@code client-key.pem}): with openssl when
 * it is installed (fast), else with the JDK's keytool (a JVM per step).
 */
final class TestPki {

    private static final Path OPENSSL = Path.of("/usr/bin/openssl");
    private static final String PASSWORD = "changeit";

    final Path dir;

    private TestPki(Path dir) {
        this.dir = dir;
    }

    /** A CA and certificates for "localhost" (server) and "client". */
    static TestPki create(Path dir, String caName) throws Exception {
        TestPki pki = caOnly(dir, caName);
        pki.issue("server", true);
        pki.issue("client", false);
        return pki;
    }

    /** Just a CA: for "a certificate from someone else's CA". */
    static TestPki caOnly(Path dir, String caName) throws Exception {
        TestPki pki = new TestPki(dir);
        if (Files.isExecutable(OPENSSL)) {
            pki.run(OPENSSL.toString(), "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", "ca-key.pem", "-out", "ca.pem", "-subj", "/CN=" + caName, "-days", "2",
                    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        } else {
            pki.keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + caName,
                    "-ext", "bc:c", "-validity", "2", "-keystore", "ca.p12");
            pki.keytool("-exportcert", "-alias", "ca", "-keystore", "ca.p12", "-rfc", "-file", "ca.pem");
        }
        return pki;
    }

    Path ca() {
        return dir.resolve("ca.pem");
    }

    Path clientCertificate() {
        return dir.resolve("client.pem");
    }

    Path clientKey() {
        return dir.resolve("client-key.pem");
    }

    /** The receiver's side: its certificate, and trust in this CA for client certificates (built by the code under test). */
    SSLContext serverContext() throws Exception {
        return PemTls.context(Optional.of(ca()), Optional.of(dir.resolve("server.pem")), Optional.of(dir.resolve("server-key.pem")));
    }

    private void issue(String name, boolean server) throws Exception {
        String extension = server ? "subjectAltName=DNS:localhost,IP:127.0.0.1" : "extendedKeyUsage=clientAuth";
        if (Files.isExecutable(OPENSSL)) {
            Files.writeString(dir.resolve(name + ".ext"), extension + "\n");
            run(OPENSSL.toString(), "req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + "-key.pem", "-out", name + ".csr",
                    "-subj", "/CN=" + name);
            run(OPENSSL.toString(), "x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem", "-CAcreateserial",
                    "-out", name + ".pem", "-days", "2", "-extfile", name + ".ext");
            return;
        }
        String store = name + ".p12";
        keytool("-genkeypair", "-alias", name, "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=" + name, "-validity", "2",
                "-keystore", store);
        keytool("-certreq", "-alias", name, "-keystore", store, "-file", name + ".csr");
        keytool("-gencert", "-alias", "ca", "-keystore", "ca.p12", "-infile", name + ".csr", "-outfile", name + ".pem", "-rfc",
                "-validity", "2", "-ext", server ? "san=dns:localhost,ip:127.0.0.1" : "eku=clientAuth");
        writeKeyPem(name);
    }

    /** keytool cannot export a private key; the PKCS#8 encoding from the keystore is exactly a "PRIVATE KEY" PEM. */
    private void writeKeyPem(String name) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve(name + ".p12"))) {
            store.load(in, PASSWORD.toCharArray());
        }
        PrivateKey key = (PrivateKey) store.getKey(name, PASSWORD.toCharArray());
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Files.writeString(dir.resolve(name + "-key.pem"), pem);
    }

    private void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD));
        run(command.toArray(new String[0]));
    }

    private void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }
}
