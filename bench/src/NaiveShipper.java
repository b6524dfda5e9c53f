import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.util.Arrays;

/**
 * The benchmark's floor: reads a file from the start to its end and POSTs whole lines, unparsed, as NDJSON in
 * batches of about 1 MiB, one request at a time, over HttpURLConnection (keep-alive, fixed-length streaming, written
 * straight from the read buffer). A failed request (non-2xx or I/O error) is retried forever with a backoff from
 * 100 ms doubling to 5 s. It keeps no checkpoint: it is the cost of moving the bytes. With {@code --follow MS} it
 * follows the file instead of stopping at its end: at the end it posts the whole lines it holds, sleeps MS and reads
 * on (the floor of the steady scenario: a shipper that polls and does nothing else).
 *
 * <pre>java NaiveShipper --file F --url U [--batch-bytes B] [--follow MS]</pre>
 */
public final class NaiveShipper {

    public static void main(String[] args) throws IOException, InterruptedException {
        String file = null;
        String url = null;
        int batchBytes = 1 << 20;
        long followMs = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--file" -> file = args[++i];
                case "--url" -> url = args[++i];
                case "--batch-bytes" -> batchBytes = Integer.parseInt(args[++i]);
                case "--follow" -> followMs = Long.parseLong(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (file == null || url == null) {
            throw new IllegalArgumentException("usage: NaiveShipper --file F --url U [--batch-bytes B] [--follow MS]");
        }
        NaiveShipper shipper = new NaiveShipper(new URL(url));
        byte[] buf = new byte[batchBytes];
        int filled = 0;
        try (InputStream in = new FileInputStream(file)) {
            while (true) {
                int n = in.read(buf, filled, buf.length - filled);
                if (n < 0 && followMs > 0) {
                    filled = shipper.postWholeLines(buf, filled);
                    Thread.sleep(followMs);
                    continue;
                }
                if (n < 0) {
                    break;
                }
                filled += n;
                if (filled < buf.length) {
                    continue;
                }
                if (lastNewline(buf, filled) < 0) {
                    buf = Arrays.copyOf(buf, buf.length * 2); // a line longer than a batch: the batch grows
                    continue;
                }
                filled = shipper.postWholeLines(buf, filled);
            }
        }
        if (filled > 0) {
            shipper.post(buf, filled);
        }
        System.err.printf("naive: %d requests, %d retries, %d bytes%n", shipper.requests, shipper.retries, shipper.bytes);
    }

    /** Posts the whole lines at the start of buf, moves the rest to the front; returns the bytes left. */
    int postWholeLines(byte[] buf, int filled) throws InterruptedException {
        int end = lastNewline(buf, filled);
        if (end < 0) {
            return filled;
        }
        post(buf, end + 1);
        System.arraycopy(buf, end + 1, buf, 0, filled - end - 1);
        return filled - end - 1;
    }

    private static int lastNewline(byte[] buf, int filled) {
        for (int k = filled - 1; k >= 0; k--) {
            if (buf[k] == '\n') return k;
        }
        return -1;
    }

    private final URL url;
    private long requests, retries, bytes;
    private final byte[] drain = new byte[8192];

    NaiveShipper(URL url) {
        this.url = url;
    }

    void post(byte[] buf, int len) throws InterruptedException {
        long backoffMs = 100;
        while (true) {
            requests++;
            try {
                HttpURLConnection c = (HttpURLConnection) url.openConnection();
                c.setRequestMethod("POST");
                c.setDoOutput(true);
                c.setFixedLengthStreamingMode(len);
                c.setRequestProperty("Content-Type", "application/x-ndjson");
                try (OutputStream out = c.getOutputStream()) {
                    out.write(buf, 0, len);
                }
                int code = c.getResponseCode();
                // Reading the answer to its end lets the connection be kept alive.
                try (InputStream in = code < 400 ? c.getInputStream() : c.getErrorStream()) {
                    while (in != null && in.read(drain) >= 0) {
                        // discard
                    }
                }
                if (code / 100 == 2) {
                    bytes += len;
                    return;
                }
            } catch (IOException e) {
                // connection refused or reset: retried below like a 5xx
            }
            retries++;
            Thread.sleep(backoffMs);
            backoffMs = Math.min(5_000, backoffMs * 2);
        }
    }
}
