package io.kubeaudit.sim;


import io.kubeaudit.node.Der;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Issues and reads the simulated node's certificates: a kubeadm-like CA, the API server's serving
 * certificate (SAN 127.0.0.1, localhost) and client certificates whose CN/O become the audit user and groups,
 * as on a real node (admin.conf: CN=kubernetes-admin, O=system:masters). ECDSA P-256, PEM files.
 */
final class NodePki {

    private static final String EC_WITH_SHA256 = "1.2.840.10045.4.3.2";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A certificate with its key. */
    record Issued(X509Certificate certificate, PrivateKey key) {
        String certificatePem() throws GeneralSecurityException {
            return pem("CERTIFICATE", certificate.getEncoded());
        }

        String keyPem() {
            return pem("PRIVATE KEY", key.getEncoded());
        }
    }

    enum Usage { CA, SERVER, CLIENT }

    private NodePki() {
    }

    static Issued selfSignedCa(String commonName, Instant now) throws GeneralSecurityException {
        KeyPair keys = keyPair();
        return issue(commonName, List.of(), Usage.CA, keys, null, now, Duration.ofDays(3650));
    }

    static Issued issue(String commonName, List<String> organizations, Usage usage, Issued ca, Instant now)
            throws GeneralSecurityException {
        return issue(commonName, organizations, usage, keyPair(), ca, now, Duration.ofDays(365));
    }

    private static Issued issue(String cn, List<String> orgs, Usage usage, KeyPair keys, Issued ca, Instant now,
                                Duration validity) throws GeneralSecurityException {
        byte[] subject = name(cn, orgs);
        byte[] issuer = ca == null ? subject : ca.certificate().getSubjectX500Principal().getEncoded();
        byte[] algorithm = Der.sequence(Der.oid(EC_WITH_SHA256));
        byte[] tbs = Der.sequence(
                Der.explicit(0, Der.integer(BigInteger.valueOf(2))),
                Der.integer(new BigInteger(63, RANDOM).add(BigInteger.ONE)),
                algorithm,
                issuer,
                Der.sequence(Der.utcTime(now.minus(Duration.ofHours(1))), Der.utcTime(now.plus(validity))),
                subject,
                keys.getPublic().getEncoded(),
                Der.explicit(3, Der.sequence(extensions(usage, cn))));
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(ca == null ? keys.getPrivate() : ca.key());
        signer.update(tbs);
        byte[] der = Der.sequence(tbs, algorithm, Der.bits(signer.sign()));
        X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
        return new Issued(cert, keys.getPrivate());
    }

    private static byte[][] extensions(Usage usage, String cn) {
        List<byte[]> ext = new ArrayList<>();
        // keyUsage: digitalSignature (+ keyEncipherment) for leaves, keyCertSign for the CA.
        byte ku = usage == Usage.CA ? (byte) 0xa4 : (byte) 0xa0;
        ext.add(extension("2.5.29.15", true, Der.tlv(0x03, new byte[] {(byte) (usage == Usage.CA ? 2 : 5), ku})));
        ext.add(extension("2.5.29.19", true, usage == Usage.CA ? Der.sequence(Der.bool(true)) : Der.sequence()));
        if (usage != Usage.CA) {
            String eku = usage == Usage.SERVER ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2";
            ext.add(extension("2.5.29.37", false, Der.sequence(Der.oid(eku))));
        }
        if (usage == Usage.SERVER) {
            ext.add(extension("2.5.29.17", false, Der.sequence(
                    Der.implicit(2, cn.getBytes(StandardCharsets.US_ASCII)),
                    Der.implicit(2, "localhost".getBytes(StandardCharsets.US_ASCII)),
                    Der.implicit(2, "kubernetes".getBytes(StandardCharsets.US_ASCII)),
                    Der.implicit(2, "kubernetes.default.svc".getBytes(StandardCharsets.US_ASCII)),
                    Der.implicit(7, InetAddress.getLoopbackAddress().getAddress()))));
        }
        return ext.toArray(byte[][]::new);
    }

    private static byte[] extension(String oid, boolean critical, byte[] value) {
        return critical ? Der.sequence(Der.oid(oid), Der.bool(true), Der.octets(value))
                : Der.sequence(Der.oid(oid), Der.octets(value));
    }

    private static byte[] name(String cn, List<String> orgs) {
        List<byte[]> rdns = new ArrayList<>();
        for (String o : orgs) {
            rdns.add(Der.set(Der.sequence(Der.oid("2.5.4.10"), Der.utf8(o))));
        }
        rdns.add(Der.set(Der.sequence(Der.oid("2.5.4.3"), Der.utf8(cn))));
        return Der.sequence(rdns.toArray(byte[][]::new));
    }

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    /** Writes the certificate (0644) and key (0600) as kubeadm lays them out: {@code <base>.crt}, {@code <base>.key}. */
    static void write(Issued issued, Path dir, String base) throws IOException, GeneralSecurityException {
        Files.createDirectories(dir);
        Path crt = dir.resolve(base + ".crt");
        Path key = dir.resolve(base + ".key");
        Files.writeString(crt, issued.certificatePem());
        Files.setPosixFilePermissions(crt, PosixFilePermissions.fromString("rw-r--r--"));
        Files.writeString(key, issued.keyPem());
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    }

    static List<X509Certificate> readCertificates(byte[] pem) throws GeneralSecurityException {
        List<X509Certificate> out = new ArrayList<>();
        for (var c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem))) {
            out.add((X509Certificate) c);
        }
        return out;
    }

    /** A PKCS#8 ("PRIVATE KEY") EC or RSA key in PEM. */
    static PrivateKey readKey(String pem) throws GeneralSecurityException {
        String b64 = pem.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
        byte[] der = Base64.getDecoder().decode(b64);
        try {
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        }
    }
}
