import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The benchmark's Kafka floor: a bare producer that reads a file from the start to its end and sends each line as
 * one record, keyed by its auditID and with the node header, with the producer settings the agent uses
 * (io.kubeaudit.ship.kafka.ProducerProperties: idempotent, acks=all, 256 KiB batches, the same compression), then
 * flushes and exits. No following, no checkpoint, no per-record bookkeeping: the cost of moving the lines into Kafka.
 *
 * <pre>java KafkaFloor --file F --bootstrap HOST:PORT --topic T [--compression zstd] [--buffer-bytes B] [--hold-until F] [--property k=v]...</pre>
 */
public final class KafkaFloor {

    private static final byte[] AUDIT_ID = "\"auditID\":\"".getBytes(StandardCharsets.US_ASCII);

    public static void main(String[] args) throws Exception {
        String file = null, topic = null;
        Path holdUntil = null;
        Map<String, Object> p = new HashMap<>();
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        p.put("compression.type", "zstd");
        p.put("batch.size", Integer.toString(256 * 1024));
        p.put("buffer.memory", Long.toString(16L << 20));
        p.put("max.request.size", Integer.toString(1024 * 1024 + 64 * 1024));
        p.put("metric.reporters", "");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--file" -> file = args[++i];
                case "--bootstrap" -> p.put("bootstrap.servers", args[++i]);
                case "--topic" -> topic = args[++i];
                case "--compression" -> p.put("compression.type", args[++i]);
                case "--buffer-bytes" -> p.put("buffer.memory", args[++i]);
                case "--hold-until" -> holdUntil = Path.of(args[++i]);
                case "--property" -> {
                    String[] kv = args[++i].split("=", 2);
                    p.put(kv[0], kv[1]);
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (file == null || topic == null || !p.containsKey("bootstrap.servers")) {
            throw new IllegalArgumentException("usage: KafkaFloor --file F --bootstrap B --topic T [--compression C] [--property k=v]...");
        }
        Header[] headers = {new RecordHeader("kube-audit-agent/node", "bench".getBytes(StandardCharsets.UTF_8))};
        AtomicLong failed = new AtomicLong();
        long records = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
             InputStream in = new FileInputStream(file)) {
            byte[] buf = new byte[128 * 1024];
            int filled = 0;
            int n;
            while ((n = in.read(buf, filled, buf.length - filled)) >= 0) {
                filled += n;
                int start = 0;
                for (int i = 0; i < filled; i++) {
                    if (buf[i] != '\n') {
                        continue;
                    }
                    byte[] value = Arrays.copyOfRange(buf, start, i);
                    start = i + 1;
                    producer.send(new ProducerRecord<>(topic, null, null, auditId(value), value, new RecordHeaders(headers)), (m, e) -> {
                        if (e != null) {
                            failed.incrementAndGet();
                        }
                    });
                    records++;
                }
                filled -= start;
                System.arraycopy(buf, start, buf, 0, filled);
                if (filled == buf.length) {
                    buf = Arrays.copyOf(buf, buf.length * 2); // a line longer than the buffer
                }
            }
            producer.flush();
        }
        System.err.printf("kafka floor: %d records, %d failed%n", records, failed.get());
        // Stay alive (bounded) until the watcher has read this process's CPU and peak RSS from /proc.
        for (int waited = 0; holdUntil != null && !Files.exists(holdUntil) && waited < 600; waited++) {
            Thread.sleep(100);
        }
        if (failed.get() > 0) {
            System.exit(1);
        }
    }

    /** The value of the first "auditID":"..." (the API server writes it fourth, before any nested object). */
    private static byte[] auditId(byte[] line) {
        outer:
        for (int i = 0; i + AUDIT_ID.length < line.length; i++) {
            for (int k = 0; k < AUDIT_ID.length; k++) {
                if (line[i + k] != AUDIT_ID[k]) {
                    continue outer;
                }
            }
            int start = i + AUDIT_ID.length;
            int end = start;
            while (end < line.length && line[end] != '"') {
                end++;
            }
            return Arrays.copyOfRange(line, start, end);
        }
        return null;
    }
}
