import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * How the gzip level was chosen: compress real audit events (the v1.20.2 lab log from the test corpus,
 * cut into ~1 MiB batch-sized pieces) at each level and print CPU seconds per GB and the ratio.
 *
 *   java GzipLevelChoice.java testdata/corpus/auditlogs/real-kube-apiserver-v1.20.2-lab 1000
 */
public class GzipLevelChoice {
    public static void main(String[] args) throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        try (var files = Files.list(Path.of(args[0]))) {
            for (Path p : files.sorted().toList()) {
                if (p.toString().endsWith(".gz")) {
                    try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
                        in.transferTo(all);
                    }
                } else if (p.toString().endsWith(".log")) {
                    all.writeBytes(Files.readAllBytes(p));
                }
            }
        }
        byte[] log = all.toByteArray();
        long target = Long.parseLong(args[1]) * 1_000_000L;
        var bean = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int level : new int[] {1, 6, 1, 6}) {
            long in = 0;
            long out = 0;
            long cpu = bean.getProcessCpuTime();
            while (in < target) {
                for (int off = 0; off + (1 << 20) <= log.length && in < target; off += 1 << 20) {
                    ByteArrayOutputStream gz = new ByteArrayOutputStream(1 << 18);
                    try (GZIPOutputStream g = new Leveled(gz, level)) {
                        g.write(log, off, 1 << 20);
                    }
                    in += 1 << 20;
                    out += gz.size();
                }
            }
            double seconds = (bean.getProcessCpuTime() - cpu) / 1e9;
            System.out.printf("level %d: %.0f MB -> %.1f MB (%.1fx), %.1f CPU s/GB%n", level, in / 1e6, out / 1e6, (double) in / out,
                    seconds / (in / 1e9));
        }
    }

    static final class Leveled extends GZIPOutputStream {
        Leveled(OutputStream out, int level) throws IOException {
            super(out, 64 * 1024);
            def.setLevel(level);
        }
    }
}
