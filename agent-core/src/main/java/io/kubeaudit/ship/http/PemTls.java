package io.kubeaudit.ship.http;

import io.kubeaudit.node.Der;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * An SSLContext from the PEM files Kubernetes people have (CA bundle, client certificate, client key),
 * with the JDK alone: PKCS#8 keys ({@code BEGIN PRIVATE KEY}), PKCS#1 RSA keys ({@code BEGIN RSA
 * PRIVATE KEY}, what kubeadm writes) and SEC1 EC keys ({@code BEGIN EC PRIVATE KEY}, what
 * {@code openssl ecparam -genkey} writes); the last two are wrapped into PKCS#8 for the JDK's key factories.
 */
public final class PemTls {

    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
    private static final byte[] EC_PUBLIC_KEY_OID = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};
    private static final char[] IN_MEMORY_PASSWORD = "in-memory".toCharArray();

    private PemTls() {
    }

    /**
     * A destination's TLS: trust in {@code caFile} (empty: the JDK's default trust store) and the client
     * certificate {@code certFile} with {@code keyFile} (both or neither).
     */
    public static TlsClient client(Optional<Path> caFile, Optional<Path> certFile, Optional<Path> keyFile) throws TlsSetupException {
        if (certFile.isPresent()) {
            return new TlsClient(context(caFile, certFile, keyFile).getSocketFactory(), Optional.empty());
        }
        // No certificate to offer; remember whether the server asked for one, which its refusal rarely says.
        ClientCertificateRequests requests = new ClientCertificateRequests();
        return new TlsClient(build(caFile, Optional.empty(), Optional.empty(), new KeyManager[] {requests}).getSocketFactory(),
                Optional.of(requests));
    }

    /**
     * An SSLContext from PEM files (also the test receivers' side).
     *
     * @param caFile   trusted CAs; empty: the JDK's default trust store
     * @param certFile certificate chain (with keyFile), or empty for none
     */
    public static SSLContext context(Optional<Path> caFile, Optional<Path> certFile, Optional<Path> keyFile) throws TlsSetupException {
        return build(caFile, certFile, keyFile, null);
    }

    private static SSLContext build(Optional<Path> caFile, Optional<Path> certFile, Optional<Path> keyFile, KeyManager[] withoutCertificate)
            throws TlsSetupException {
        if (certFile.isPresent() != keyFile.isPresent()) {
            throw new TlsSetupException("certFile and keyFile go together: set both for a client certificate, or neither");
        }
        try {
            TrustManagerFactory trust = null;
            if (caFile.isPresent()) {
                KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
                anchors.load(null, null);
                int i = 0;
                for (Certificate c : certificates(caFile.get())) {
                    anchors.setCertificateEntry("ca-" + i++, c);
                }
                trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(anchors);
            }
            KeyManager[] keys = withoutCertificate;
            if (certFile.isPresent()) {
                KeyStore identity = KeyStore.getInstance("PKCS12");
                identity.load(null, null);
                List<Certificate> chain = certificates(certFile.get());
                identity.setKeyEntry("client", privateKey(keyFile.get()), IN_MEMORY_PASSWORD, chain.toArray(new Certificate[0]));
                KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                factory.init(identity, IN_MEMORY_PASSWORD);
                keys = factory.getKeyManagers();
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, trust == null ? null : trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsSetupException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    public static List<Certificate> certificates(Path file) throws TlsSetupException {
        byte[] text = read(file, "certificate");
        try {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(text));
            if (certs.isEmpty()) {
                throw new TlsSetupException(file + " holds no PEM certificate (expected -----BEGIN CERTIFICATE-----)");
            }
            return new ArrayList<>(certs);
        } catch (GeneralSecurityException e) {
            throw new TlsSetupException(file + " is not a PEM certificate file: " + e.getMessage(), e);
        }
    }

    public static PrivateKey privateKey(Path file) throws TlsSetupException {
        String text = new String(read(file, "key"), StandardCharsets.US_ASCII);
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String type = m.group(1);
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(m.group(2));
            } catch (IllegalArgumentException e) {
                throw new TlsSetupException(file + ": the " + type + " block is not valid base64", e);
            }
            switch (type) {
                case "PRIVATE KEY":
                    return pkcs8(file, der, "RSA", "EC", "Ed25519", "Ed448");
                case "RSA PRIVATE KEY":
                    return pkcs8(file, wrap(RSA_ALGORITHM, der), "RSA");
                case "EC PRIVATE KEY":
                    return pkcs8(file, wrap(ecAlgorithm(file, der), der), "EC");
                case "ENCRYPTED PRIVATE KEY":
                    throw new TlsSetupException(file + " holds an encrypted key; write it unencrypted (openssl pkey -in " + file.getFileName()
                            + " -out key.pem) and protect the file with mode 0600");
                default:
                    // Other blocks (EC PARAMETERS, certificates in a combined file) are skipped.
            }
        }
        throw new TlsSetupException(file + " holds no PEM private key (expected BEGIN PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
    }

    private static PrivateKey pkcs8(Path file, byte[] der, String... algorithms) throws TlsSetupException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : algorithms) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException | NoSuchAlgorithmException e) {
                // Not this algorithm; try the next one.
            }
        }
        throw new TlsSetupException(file + ": the private key is not a " + String.join(", ", algorithms) + " key the JDK can read");
    }

    /** PKCS#8 PrivateKeyInfo: SEQUENCE { INTEGER 0, AlgorithmIdentifier, OCTET STRING key }. */
    private static byte[] wrap(byte[] algorithmIdentifier, byte[] key) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x02, 0x01, 0x00});
        body.writeBytes(algorithmIdentifier);
        body.writeBytes(Der.tlv(0x04, key));
        return Der.tlv(0x30, body.toByteArray());
    }

    /** AlgorithmIdentifier { id-ecPublicKey, namedCurve } with the curve taken from the SEC1 key's [0] parameters. */
    private static byte[] ecAlgorithm(Path file, byte[] sec1) throws TlsSetupException {
        try {
            Der.Element outer = Der.element(sec1, 0);
            if (outer.tag() != 0x30) {
                throw new TlsSetupException(file + ": the EC PRIVATE KEY block is not a DER sequence");
            }
            int at = outer.contentStart();
            while (at < outer.end()) {
                Der.Element element = Der.element(sec1, at);
                if (element.tag() == 0xa0) {
                    Der.Element curve = Der.element(sec1, element.contentStart());
                    byte[] curveTlv = Arrays.copyOfRange(sec1, curve.start(), curve.end());
                    ByteArrayOutputStream alg = new ByteArrayOutputStream();
                    alg.writeBytes(EC_PUBLIC_KEY_OID);
                    alg.writeBytes(curveTlv);
                    return Der.tlv(0x30, alg.toByteArray());
                }
                at = element.end();
            }
        } catch (IllegalArgumentException e) {
            throw new TlsSetupException(file + ": " + e.getMessage() + " in the EC key", e);
        }
        throw new TlsSetupException(file + ": the EC key does not name its curve; convert it with openssl pkcs8 -topk8 -nocrypt");
    }


    private static byte[] read(Path file, String what) throws TlsSetupException {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new TlsSetupException("cannot read the " + what + " file " + file + ": " + e, e);
        }
    }

    /** TLS files missing, unreadable or not what they should be; the message names the file. */
    public static final class TlsSetupException extends Exception {
        TlsSetupException(String message) {
            super(message);
        }

        TlsSetupException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
