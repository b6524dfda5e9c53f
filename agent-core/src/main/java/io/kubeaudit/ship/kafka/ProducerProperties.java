package io.kubeaudit.ship.kafka;

import io.kubeaudit.config.KafkaConfig;
import io.kubeaudit.node.NodePaths;
import io.kubeaudit.ship.http.PemTls;
import io.kubeaudit.ship.sink.SinkSetupException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The producer's properties for one destination. What makes delivery safe is fixed here: the idempotent producer
 * with {@code acks=all} (the broker drops the producer's own resends, and a record counts only once every in-sync
 * replica has it); the rest follows from the destination's settings. TLS files are read with the agent's own PEM
 * reader (PKCS#1, SEC1 and PKCS#8 keys, as the HTTP destinations take them) and handed to the client as PEM text;
 * the SASL password is read from its file: neither appears in the configuration or a log line.
 */
final class ProducerProperties {

    /**
     * Larger than the client's 16 KiB default: a batch of the pipeline (up to 2000 events) spread over the
     * partitions fills several of these, and bigger record batches compress better and cost the broker fewer writes.
     */
    static final int BATCH_SIZE = 256 * 1024;

    private ProducerProperties() {
    }

    /**
     * @param bufferBytes the producer's {@code buffer.memory}, taken from ship.memoryBudget
     */
    static Map<String, Object> of(KafkaConfig c, NodePaths paths, long bufferBytes) throws SinkSetupException {
        Map<String, Object> p = new HashMap<>();
        p.put("bootstrap.servers", String.join(",", c.bootstrapServers()));
        p.put("client.id", "kube-audit-agent-" + c.name());
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        p.put("compression.type", c.compression().clientName());
        p.put("batch.size", Integer.toString(BATCH_SIZE));
        p.put("buffer.memory", Long.toString(bufferBytes));
        // An event may be up to maxEventBytes; the request must hold it with its key, headers and batch header.
        p.put("max.request.size", Long.toString(Math.max(1024 * 1024, c.maxEventBytes() + 64 * 1024)));
        Duration request = c.requestTimeout();
        // send() waits this long for metadata (brokers unreachable) or buffer space before it fails the record.
        p.put("max.block.ms", Long.toString(request.toMillis()));
        p.put("request.timeout.ms", Long.toString(request.toMillis()));
        // Room for the client's own quick retries (a leader moving) inside one attempt of the pipeline; past it the
        // record fails with a timeout and goes back through the shared backoff, which retries forever.
        p.put("delivery.timeout.ms", Long.toString(deliveryTimeout(c).toMillis()));
        // The agent has its own metrics; the client's JMX reporter would only cost memory.
        p.put("metric.reporters", "");
        p.putAll(c.properties());
        security(c, paths, p);
        return p;
    }

    /** The client reports every record within this after send() returned. */
    static Duration deliveryTimeout(KafkaConfig c) {
        return c.requestTimeout().multipliedBy(2).plusMillis(lingerMs(c));
    }

    private static long lingerMs(KafkaConfig c) {
        return Long.parseLong(c.properties().getOrDefault("linger.ms", "5"));
    }

    private static void security(KafkaConfig c, NodePaths paths, Map<String, Object> p) throws SinkSetupException {
        boolean tls = c.usesTls();
        p.put("security.protocol", c.sasl().isOn() ? (tls ? "SASL_SSL" : "SASL_PLAINTEXT") : (tls ? "SSL" : "PLAINTEXT"));
        try {
            if (!c.caFile().isEmpty()) {
                p.put("ssl.truststore.type", "PEM");
                p.put("ssl.truststore.certificates", pem(PemTls.certificates(paths.resolve(c.caFile()))));
            }
            if (!c.certFile().isEmpty()) {
                p.put("ssl.keystore.type", "PEM");
                p.put("ssl.keystore.certificate.chain", pem(PemTls.certificates(paths.resolve(c.certFile()))));
                p.put("ssl.keystore.key", pem("PRIVATE KEY", PemTls.privateKey(paths.resolve(c.keyFile())).getEncoded()));
            }
        } catch (PemTls.TlsSetupException e) {
            throw new SinkSetupException("destination " + c.name() + ": " + e.getMessage(), e);
        }
        if (c.sasl().isOn()) {
            KafkaConfig.Sasl sasl = c.sasl();
            p.put("sasl.mechanism", sasl.mechanism().clientName());
            p.put("sasl.jaas.config", sasl.mechanism().loginModule() + " required username=\"" + quoted(sasl.username())
                    + "\" password=\"" + quoted(password(c.name(), paths.resolve(sasl.passwordFile()))) + "\";");
        }
    }

    private static String password(String destination, Path file) throws SinkSetupException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SinkSetupException("destination " + destination + ": cannot read sasl.passwordFile " + file + ": " + e.getMessage(), e);
        }
        String password = text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        if (password.isEmpty() || password.indexOf('\n') >= 0) {
            throw new SinkSetupException("destination " + destination + ": sasl.passwordFile " + file
                    + " must hold the password on one line");
        }
        return password;
    }

    /** A JAAS option value between double quotes: the parser takes backslash escapes. */
    private static String quoted(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static String pem(List<Certificate> certificates) throws SinkSetupException {
        StringBuilder out = new StringBuilder();
        for (Certificate certificate : certificates) {
            try {
                out.append(pem("CERTIFICATE", certificate.getEncoded()));
            } catch (CertificateEncodingException e) {
                throw new SinkSetupException("a certificate read from PEM cannot be encoded again: " + e.getMessage(), e);
            }
        }
        return out.toString();
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
