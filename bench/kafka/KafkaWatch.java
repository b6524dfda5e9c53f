import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The benchmark's Kafka destination side: creates the run's topic, then watches the sum of its partitions' end
 * offsets (every record the broker acknowledged) and, when it reaches {@code --expect}, writes the same result file
 * as Receiver (time, shipper CPU and peak RSS). Then it reads the whole topic back, writes its counters (distinct
 * (auditID, stage), duplicates, parse errors) to {@code --stats} and exits. Watching offsets instead of consuming
 * keeps the watcher's CPU out of the shipper's way while the run is timed.
 *
 * <pre>java KafkaWatch --bootstrap HOST:PORT --topic T --partitions P --expect N --result F --stats F --pid-file F --ready F</pre>
 */
public final class KafkaWatch {

    public static void main(String[] args) throws Exception {
        String bootstrap = null, topic = null;
        int partitions = 3;
        long expect = -1;
        Path result = null, stats = null, pidFile = null, ready = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--bootstrap" -> bootstrap = args[++i];
                case "--topic" -> topic = args[++i];
                case "--partitions" -> partitions = Integer.parseInt(args[++i]);
                case "--expect" -> expect = Long.parseLong(args[++i]);
                case "--result" -> result = Path.of(args[++i]);
                case "--stats" -> stats = Path.of(args[++i]);
                case "--pid-file" -> pidFile = Path.of(args[++i]);
                case "--ready" -> ready = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (bootstrap == null || topic == null || expect < 1 || result == null || stats == null || ready == null) {
            throw new IllegalArgumentException("usage: KafkaWatch --bootstrap B --topic T [--partitions P] --expect N --result F --stats F [--pid-file F] --ready F");
        }
        String name = topic;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(60, TimeUnit.SECONDS);
        }
        Map<String, Object> props = Map.of("bootstrap.servers", bootstrap, "enable.auto.commit", "false",
                "max.partition.fetch.bytes", Integer.toString(8 << 20));
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = consumer.partitionsFor(name).stream().map(p -> new TopicPartition(name, p.partition())).toList();
            Receiver.writeAtomically(ready, "ready\n");
            long acknowledged = 0;
            while (acknowledged < expect) {
                Thread.sleep(20);
                acknowledged = consumer.endOffsets(tps).values().stream().mapToLong(Long::longValue).sum();
            }
            Receiver.writeAtomically(result, Receiver.completion("records=" + acknowledged + "\n", pidFile));
            // The timed part is over: read everything back, write the counters and exit (run.sh waits for that).
            Receiver.writeAtomically(stats, readBack(consumer, tps, expect));
        }
    }

    /** Every record of the topic, scanned like a webhook body: distinct (auditID, stage) and duplicates. */
    private static String readBack(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> tps, long expect) {
        consumer.assign(tps);
        consumer.seekToBeginning(tps);
        Map<TopicPartition, Long> end = consumer.endOffsets(tps);
        Receiver.EventKeySet seen = new Receiver.EventKeySet(expect);
        long records = 0, duplicates = 0, parseErrors = 0;
        while (tps.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                records++;
                Receiver.Scan scan = new Receiver.Scan(r.value(), r.value().length);
                scan.body();
                parseErrors += scan.errors;
                for (int i = 0; i < scan.count; i++) {
                    if (!seen.add(scan.hi[i], scan.lo[i], scan.stage[i], scan.fallback[i])) {
                        duplicates++;
                    }
                }
            }
        }
        return "distinct=" + seen.size() + "\nevents=" + records + "\nduplicates=" + duplicates + "\nparse_errors=" + parseErrors
                + "\nrequests=\nfailed_requests=\n";
    }
}
