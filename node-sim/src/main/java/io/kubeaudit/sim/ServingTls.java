package io.kubeaudit.sim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The server's TLS as kube-apiserver sets it up: the serving certificate and key from {@code --tls-cert-file}
 * and {@code --tls-private-key-file} (a self-signed one when unset, as the real server generates), and client
 * certificates verified against {@code --client-ca-file}. Files are read through the container's mounts, so
 * an unmounted pki directory fails the start like on a real node.
 */
record ServingTls(SSLContext context, boolean verifiesClients) {

    static ServingTls from(ApiServerFlags flags, ContainerFilesystem files, Instant now) throws StartupException {
        try {
            String certFile = flags.others().getOrDefault("tls-cert-file", "");
            String keyFile = flags.others().getOrDefault("tls-private-key-file", "");
            List<X509Certificate> chain;
            PrivateKey key;
            if (certFile.isEmpty() || keyFile.isEmpty()) {
                NodePki.Issued ca = NodePki.selfSignedCa("localhost-ca@" + now.getEpochSecond(), now);
                NodePki.Issued self = NodePki.issue("localhost", List.of(), NodePki.Usage.SERVER, ca, now);
                chain = List.of(self.certificate(), ca.certificate());
                key = self.key();
            } else {
                chain = NodePki.readCertificates(read(certFile, files, "unable to load server certificate"));
                key = NodePki.readKey(new String(read(keyFile, files, "unable to load server certificate")));
            }
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("serving", key, new char[0], chain.toArray(X509Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, new char[0]);

            String caFile = flags.others().getOrDefault("client-ca-file", "");
            TrustManagerFactory tmf = null;
            if (!caFile.isEmpty()) {
                KeyStore trusted = KeyStore.getInstance("PKCS12");
                trusted.load(null, null);
                int i = 0;
                for (X509Certificate c : NodePki.readCertificates(read(caFile, files,
                        "unable to load client CA file " + GoStrings.quote(caFile)))) {
                    trusted.setCertificateEntry("ca" + i++, c);
                }
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trusted);
            }
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return new ServingTls(ssl, tmf != null);
        } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
            throw new StartupException("unable to load server certificate: " + e.getMessage(), e);
        }
    }

    private static byte[] read(String containerPath, ContainerFilesystem files, String what) throws StartupException {
        try {
            return Files.readAllBytes(files.resolve(containerPath).hostPath());
        } catch (NoSuchFileException e) {
            throw new StartupException(what + ": open " + containerPath + ": no such file or directory", e);
        } catch (IOException e) {
            throw new StartupException(what + ": open " + containerPath + ": " + e.getMessage(), e);
        }
    }
}
