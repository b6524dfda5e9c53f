package io.kubeaudit.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kubeaudit.ship.http.PemTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS with a CA bundle and a client certificate, from PEM files, against a receiver that demands the certificate. */
class TlsIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path pkiDir;
    static TestPki pki;
    static TestPki otherCa;

    @TempDir
    Path dir;

    @BeforeAll
    static void makeCertificates() throws Exception {
        pki = TestPki.create(Files.createDirectories(pkiDir.resolve("good")), "kube-audit-agent test CA");
        otherCa = TestPki.caOnly(Files.createDirectories(pkiDir.resolve("other")), "someone else's CA");
    }

    @Test
    void mutualTlsWithPemFilesDeliversEverything() throws Exception {
        List<byte[]> lines = AuditLines.events(0, 300);
        try (Receiver receiver = Receiver.startTls(pki.serverContext(), true);
             PipelineHarness h = PipelineHarness.builder(dir)
                     .destination(PipelineHarness.destination("siem", receiver.urlByName(), true, pki.ca().toString(),
                             pki.clientCertificate().toString(), pki.clientKey().toString(), "", 3 << 20))
                     .start()) {
            new LineFeeder(h.pipeline.intake()).feed(lines, Optional.empty());
            assertEquals(300, receiver.awaitDistinct(300, WAIT), h::logs);
        }
    }

    @Test
    void aServerCertificateFromAnotherCaIsRetriedNeverTrusted() throws Exception {
        List<byte[]> lines = AuditLines.events(0, 10);
        try (Receiver receiver = Receiver.startTls(pki.serverContext(), false);
             PipelineHarness h = PipelineHarness.builder(dir)
                     .destination(PipelineHarness.destination("siem", receiver.urlByName(), false, otherCa.ca().toString(), "", "", "", 3 << 20))
                     .start()) {
            new LineFeeder(h.pipeline.intake()).feed(lines, Optional.empty());
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (h.value("retries_total{destination=\"siem\",cause=\"connection\"}") < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(0, receiver.distinct());
            assertTrue(h.logs().contains("TLS"), h.logs());
            assertTrue(h.readerCheckpoint().isEmpty());
        }
    }

    @Test
    void aMissingClientCertificateIsNamedAsTheProblem() throws Exception {
        List<byte[]> lines = AuditLines.events(0, 10);
        try (Receiver receiver = Receiver.startTls(pki.serverContext(), true);
             PipelineHarness h = PipelineHarness.builder(dir)
                     .destination(PipelineHarness.destination("siem", receiver.urlByName(), false, pki.ca().toString(), "", "", "", 3 << 20))
                     .start()) {
            new LineFeeder(h.pipeline.intake()).feed(lines, Optional.empty());
            String hint = "the server asked for a client certificate and none is configured (set certFile and keyFile)";
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!h.logs().contains("send failed") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(0, receiver.distinct());
            assertTrue(h.logs().contains(hint), h.logs());
        }
    }

    @Test
    void keysInTheFormatsOpensslWritesAreRead() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed");
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "pkcs8.pem");
        openssl("pkey", "-in", "pkcs8.pem", "-traditional", "-out", "pkcs1.pem");
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "sec1.pem");
        openssl("genpkey", "-algorithm", "ED25519", "-out", "ed25519.pem");
        assertTrue(Files.readString(dir.resolve("pkcs1.pem")).contains("BEGIN RSA PRIVATE KEY"));
        assertTrue(Files.readString(dir.resolve("sec1.pem")).contains("BEGIN EC PRIVATE KEY"));
        assertEquals("RSA", PemTls.privateKey(dir.resolve("pkcs8.pem")).getAlgorithm());
        assertEquals("RSA", PemTls.privateKey(dir.resolve("pkcs1.pem")).getAlgorithm());
        assertEquals("EC", PemTls.privateKey(dir.resolve("sec1.pem")).getAlgorithm());
        assertTrue(PemTls.privateKey(dir.resolve("ed25519.pem")).getAlgorithm().startsWith("Ed"));
    }

    @Test
    void unusableFilesAreNamedInTheError() throws Exception {
        Path notAKey = Files.writeString(dir.resolve("key.pem"), "hello");
        PemTls.TlsSetupException e = assertThrows(PemTls.TlsSetupException.class, () -> PemTls.privateKey(notAKey));
        assertTrue(e.getMessage().contains(notAKey.toString()), e.getMessage());
        Path encrypted = Files.writeString(dir.resolve("enc.pem"), "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n");
        assertTrue(assertThrows(PemTls.TlsSetupException.class, () -> PemTls.privateKey(encrypted)).getMessage().contains("encrypted"));
        assertInstanceOf(PemTls.TlsSetupException.class, assertThrows(PemTls.TlsSetupException.class,
                () -> PemTls.context(Optional.of(dir.resolve("missing-ca.pem")), Optional.empty(), Optional.empty())));
        assertThrows(PemTls.TlsSetupException.class,
                () -> PemTls.context(Optional.empty(), Optional.of(pki.clientCertificate()), Optional.empty()));
    }

    private void openssl(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("/usr/bin/openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, out);
    }
}
