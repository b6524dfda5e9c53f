import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;

/**
 * The benchmark's destination: an HTTP server on loopback that accepts POSTs of NDJSON audit events, JSON arrays of
 * them, or audit.k8s.io/v1 {@code EventList} bodies (as the kube-apiserver's webhook backend sends), optionally
 * gzip-encoded, and counts distinct (auditID, stage) pairs.
 *
 * <p>Every body is scanned structurally (strings, escapes, nesting), so a truncated or malformed event counts as a
 * parse error; only the top-level {@code auditID} and {@code stage} of each event are extracted. When the count
 * reaches {@code --expect}, it snapshots the shipper's CPU time and peak RSS (from /proc, pid read from
 * {@code --pid-file}), its own CPU time and the machine's busy time, and writes them to {@code --result} before it
 * answers the request that completed the set. On SIGTERM it writes its final counters to {@code --stats}.
 *
 * <pre>java Receiver --expect N --port-file F --result F [--stats F] [--pid-file F] [--port P]
 *               [--delay-ms D] [--fail-rate R] [--seed S]</pre>
 */
public final class Receiver {

    public static void main(String[] args) throws IOException {
        Options o = Options.parse(args);
        Receiver receiver = new Receiver(o);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), o.port), 256);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        server.setExecutor(pool);
        server.createContext("/", receiver::handle);
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop(0);
            pool.shutdownNow();
            if (o.stats != null) {
                writeAtomically(o.stats, receiver.counters());
            }
        }));
        writeAtomically(o.portFile, server.getAddress().getPort() + "\n");
    }

    record Options(long expect, Path portFile, Path result, Path stats, Path pidFile, int port, long delayMs,
                   double failRate, long seed) {
        static Options parse(String[] args) {
            long expect = -1;
            Path portFile = null, result = null, stats = null, pidFile = null;
            int port = 0;
            long delayMs = 0;
            double failRate = 0;
            long seed = 1;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--expect" -> expect = Long.parseLong(args[++i]);
                    case "--port-file" -> portFile = Path.of(args[++i]);
                    case "--result" -> result = Path.of(args[++i]);
                    case "--stats" -> stats = Path.of(args[++i]);
                    case "--pid-file" -> pidFile = Path.of(args[++i]);
                    case "--port" -> port = Integer.parseInt(args[++i]);
                    case "--delay-ms" -> delayMs = Long.parseLong(args[++i]);
                    case "--fail-rate" -> failRate = Double.parseDouble(args[++i]);
                    case "--seed" -> seed = Long.parseLong(args[++i]);
                    default -> throw new IllegalArgumentException("unknown argument " + args[i]);
                }
            }
            if (expect < 1 || portFile == null || result == null) {
                throw new IllegalArgumentException("usage: Receiver --expect N --port-file F --result F [--stats F]"
                        + " [--pid-file F] [--port P] [--delay-ms D] [--fail-rate R] [--seed S]");
            }
            return new Options(expect, portFile, result, stats, pidFile, port, delayMs, failRate, seed);
        }
    }

    private final Options options;
    private final Random failures;
    private final EventKeySet seen;
    private long requests, failedRequests, wireBytes, bodyBytes, duplicates, parseErrors, events;
    private boolean complete;

    Receiver(Options options) {
        this.options = options;
        this.failures = new Random(options.seed);
        this.seen = new EventKeySet(options.expect);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (ex.getRequestMethod().equals("GET")) {
                respond(ex, 200, counters());
                return;
            }
            byte[] wire = readBody(ex);
            int wireLength = wireLength(ex, wire);
            boolean fail;
            synchronized (this) {
                requests++;
                wireBytes += wireLength;
                fail = options.failRate > 0 && failures.nextDouble() < options.failRate;
                if (fail) {
                    failedRequests++;
                }
            }
            if (options.delayMs > 0) {
                Thread.sleep(options.delayMs);
            }
            if (fail) {
                respond(ex, 503, "injected failure\n");
                return;
            }
            String encoding = ex.getRequestHeaders().getFirst("Content-Encoding");
            boolean gzip = encoding != null && encoding.equalsIgnoreCase("gzip");
            byte[] body = gzip ? gunzip(wire, wireLength) : wire;
            int bodyLength = gzip ? body.length : wireLength;
            Scan scan = new Scan(body, bodyLength);
            scan.body();
            record(scan, bodyLength);
            respond(ex, 200, "{}");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | IOException e) {
            System.err.println("receiver: " + e);
            throw e;
        }
    }

    private synchronized void record(Scan scan, int decodedBytes) throws IOException {
        bodyBytes += decodedBytes;
        parseErrors += scan.errors;
        events += scan.count;
        for (int i = 0; i < scan.count; i++) {
            if (!seen.add(scan.hi[i], scan.lo[i], scan.stage[i], scan.fallback[i])) {
                duplicates++;
            }
        }
        if (!complete && seen.size() >= options.expect) {
            complete = true;
            writeAtomically(options.result, completion());
        }
    }

    /** Taken while the last request is still unanswered, so the shipper is still alive. */
    private String completion() {
        return completion(counters(), options.pidFile);
    }

    /**
     * The result file's text at the moment a destination holds every expected event: the time, the counters, this
     * process's CPU, the machine's busy time and the shipper's CPU, memory and threads (pid from {@code pidFile}).
     * Every destination's watcher writes it the same way, so run.sh reads one format.
     */
    static String completion(String counters, Path pidFile) {
        StringBuilder sb = new StringBuilder();
        sb.append("done_ns=").append(epochNanos()).append('\n');
        sb.append(counters);
        try {
            sb.append("receiver_cpu_ticks=").append(ProcStat.cpuTicks("self")).append('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        sb.append("sys_busy_ticks=").append(ProcStat.busyTicks()).append('\n');
        if (pidFile != null) {
            try {
                String pid = Files.readString(pidFile).trim();
                sb.append("shipper_cpu_ticks=").append(ProcStat.cpuTicks(pid)).append('\n');
                sb.append("shipper_hwm_kb=").append(ProcStat.statusKb(pid, "VmHWM")).append('\n');
                sb.append("shipper_rss_kb=").append(ProcStat.statusKb(pid, "VmRSS")).append('\n');
                sb.append("shipper_rss_anon_kb=").append(ProcStat.statusKb(pid, "RssAnon")).append('\n');
                sb.append("shipper_rss_file_kb=").append(ProcStat.statusKb(pid, "RssFile")).append('\n');
                sb.append("shipper_threads=").append(ProcStat.threadTicks(pid)).append('\n');
            } catch (IOException e) {
                sb.append("shipper_error=").append(e.toString().replace('\n', ' ')).append('\n');
            }
        }
        return sb.toString();
    }

    private synchronized String counters() {
        return "distinct=" + seen.size() + "\nevents=" + events + "\nduplicates=" + duplicates
                + "\nparse_errors=" + parseErrors + "\nrequests=" + requests + "\nfailed_requests=" + failedRequests
                + "\nwire_bytes=" + wireBytes + "\nbody_bytes=" + bodyBytes + "\n";
    }

    private static long epochNanos() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** Bodies of known length are read into a buffer kept per handler thread: no megabyte-sized garbage per request. */
    private static final ThreadLocal<byte[]> BUFFERS = ThreadLocal.withInitial(() -> new byte[4 << 20]);

    private static byte[] readBody(HttpExchange ex) throws IOException {
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        if (length == null) {
            return ex.getRequestBody().readAllBytes(); // chunked: its length is the array's
        }
        int n = Integer.parseInt(length.trim());
        byte[] buf = BUFFERS.get();
        if (buf.length < n) {
            buf = new byte[Math.max(n, buf.length * 2)];
            BUFFERS.set(buf);
        }
        InputStream in = ex.getRequestBody();
        int read = in.readNBytes(buf, 0, n);
        if (read != n) {
            throw new IOException("body ended after " + read + " of " + n + " bytes");
        }
        return buf;
    }

    private static int wireLength(HttpExchange ex, byte[] wire) {
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        return length == null ? wire.length : Integer.parseInt(length.trim());
    }

    private static byte[] gunzip(byte[] wire, int length) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(wire, 0, length), 65536)) {
            return in.readAllBytes();
        }
    }

    private static void respond(HttpExchange ex, int code, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", code == 200 && text.startsWith("{") ? "application/json" : "text/plain");
        ex.sendResponseHeaders(code, b.length);
        ex.getResponseBody().write(b);
    }

    static void writeAtomically(Path target, String text) {
        try {
            Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
            Files.writeString(tmp, text);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    /** CPU and memory figures from /proc. */
    static final class ProcStat {
        static long cpuTicks(String pid) throws IOException {
            String stat = Files.readString(Path.of("/proc", pid, "stat"));
            // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        }

        static long statusKb(String pid, String key) throws IOException {
            for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
                if (line.startsWith(key + ":")) {
                    return Long.parseLong(line.substring(key.length() + 1).trim().split("\\s+")[0]);
                }
            }
            return -1;
        }

        /** CPU ticks per thread name (digits folded, so a pool shows as one), busiest first: where the CPU went. */
        static String threadTicks(String pid) throws IOException {
            java.util.Map<String, Long> byName = new java.util.HashMap<>();
            try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc", pid, "task"))) {
                for (Path task : tasks.toList()) {
                    try {
                        String name = Files.readString(task.resolve("comm")).trim().replaceAll("[0-9]+", "#");
                        byName.merge(name, cpuTicks(pid + "/task/" + task.getFileName()), Long::sum);
                    } catch (IOException e) {
                        // the thread ended between the listing and the read: it no longer counts
                    }
                }
            }
            return byName.entrySet().stream().filter(en -> en.getValue() > 0)
                    .sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed())
                    .map(en -> en.getKey().replace(' ', '_') + ":" + en.getValue())
                    .collect(java.util.stream.Collectors.joining(","));
        }

        /** user+nice+system+irq+softirq+steal of all CPUs: time nobody was idle. */
        static long busyTicks() {
            try {
                String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                return Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
                        + Long.parseLong(f[7]) + Long.parseLong(f[8]);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * A structural JSON scan of one body. Events are the top-level objects (NDJSON or concatenated), the elements
     * of a top-level array, or the elements of the top-level {@code items} array of an EventList.
     */
    static final class Scan {
        private final byte[] b;
        private final int end;
        private int i;
        int count, errors;
        long[] hi = new long[1024], lo = new long[1024];
        byte[] stage = new byte[1024];
        String[] fallback = new String[1024];
        private String auditId, stageName;

        Scan(byte[] b, int end) {
            this.b = b;
            this.end = end;
        }

        void body() {
            while (true) {
                skipWs();
                if (i >= end) return;
                int start = i;
                try {
                    if (peek() == '[') {
                        array(true);
                    } else if (peek() == '{') {
                        object(true);
                    } else {
                        throw new IllegalStateException("expected an object");
                    }
                } catch (IllegalStateException | ArrayIndexOutOfBoundsException e) {
                    errors++;
                    i = start;
                    while (i < end && b[i] != '\n') i++; // resynchronise on the next line
                }
            }
        }

        /** An object at event level: records its auditID and stage; an EventList's items are events. */
        private void object(boolean eventLevel) {
            i++; // {
            String id = null, st = null;
            boolean first = true;
            while (true) {
                skipWs();
                if (peek() == '}') {
                    i++;
                    break;
                }
                if (!first) {
                    expect(',');
                    skipWs();
                }
                first = false;
                int keyStart = i + 1;
                skipString();
                int keyEnd = i - 1;
                skipWs();
                expect(':');
                skipWs();
                if (eventLevel && is("auditID", keyStart, keyEnd) && peek() == '"') {
                    id = readString();
                } else if (eventLevel && is("stage", keyStart, keyEnd) && peek() == '"') {
                    st = readString();
                } else if (eventLevel && is("items", keyStart, keyEnd) && peek() == '[') {
                    array(true);
                } else {
                    value();
                }
            }
            if (eventLevel && id != null) {
                add(id, st == null ? "" : st);
            }
        }

        private void array(boolean eventLevel) {
            i++; // [
            boolean first = true;
            while (true) {
                skipWs();
                if (peek() == ']') {
                    i++;
                    return;
                }
                if (!first) {
                    expect(',');
                    skipWs();
                }
                first = false;
                if (eventLevel && peek() == '{') {
                    object(true);
                } else {
                    value();
                }
            }
        }

        private void value() {
            byte c = peek();
            if (c == '"') {
                skipString();
            } else if (c == '{' || c == '[') {
                skipNested();
            } else {
                int start = i;
                while (i < end && (Character.isLetterOrDigit(b[i]) || b[i] == '-' || b[i] == '+' || b[i] == '.')) i++;
                if (i == start) throw new IllegalStateException("unexpected byte " + c);
            }
        }

        /**
         * Skips an object or array below event level by balancing brackets outside strings: the cheap part of the
         * scan, which most bytes of an event go through. Brackets of either kind count alike, so a malformed body
         * can slip through here, but a truncated one cannot.
         */
        private void skipNested() {
            int depth = 0;
            do {
                if (i >= end) throw new IllegalStateException("body ends inside a value");
                byte c = b[i++];
                if (c == '"') {
                    skipStringBody();
                } else if (c == '{' || c == '[') {
                    depth++;
                } else if (c == '}' || c == ']') {
                    depth--;
                }
            } while (depth > 0);
        }

        private void skipString() {
            if (peek() != '"') throw new IllegalStateException("expected a string");
            i++;
            skipStringBody();
        }

        private static final java.lang.invoke.VarHandle LONGS =
                java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
        private static final long ONES = 0x0101010101010101L, HIGHS = 0x8080808080808080L;

        /** From just after the opening quote to just after the closing one; eight bytes a step while none can end it. */
        private void skipStringBody() {
            while (true) {
                if (i + 8 <= end) {
                    long w = (long) LONGS.get(b, i);
                    long quote = w ^ (ONES * '"'), backslash = w ^ (ONES * '\\'), newline = w ^ (ONES * '\n');
                    long found = ((quote - ONES) & ~quote) | ((backslash - ONES) & ~backslash) | ((newline - ONES) & ~newline);
                    if ((found & HIGHS) == 0) {
                        i += 8;
                        continue;
                    }
                }
                if (i >= end) throw new IllegalStateException("body ends inside a string");
                byte c = b[i++];
                if (c == '"') return;
                if (c == '\\') i++;
                else if (c == '\n') throw new IllegalStateException("newline inside a string");
            }
        }

        private String readString() {
            int start = i + 1;
            skipString();
            return new String(b, start, i - 1 - start, StandardCharsets.ISO_8859_1);
        }

        private boolean is(String key, int start, int end) {
            if (end - start != key.length()) return false;
            for (int k = 0; k < key.length(); k++) {
                if (b[start + k] != key.charAt(k)) return false;
            }
            return true;
        }

        private void expect(char c) {
            if (peek() != c) throw new IllegalStateException("expected " + c);
            i++;
        }

        private byte peek() {
            if (i >= end) throw new IllegalStateException("body ends early");
            return b[i];
        }

        private void skipWs() {
            while (i < end && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) i++;
        }

        private void add(String id, String st) {
            if (count == hi.length) {
                int n = count * 2;
                hi = java.util.Arrays.copyOf(hi, n);
                lo = java.util.Arrays.copyOf(lo, n);
                stage = java.util.Arrays.copyOf(stage, n);
                fallback = java.util.Arrays.copyOf(fallback, n);
            }
            byte code = EventKeySet.stageCode(st);
            long[] uuid = EventKeySet.parseUuid(id);
            if (uuid != null && code != 0) {
                hi[count] = uuid[0];
                lo[count] = uuid[1];
                stage[count] = code;
                fallback[count] = null;
            } else {
                fallback[count] = id + "\u0000" + st;
            }
            count++;
        }
    }

    /** Distinct (auditID, stage): UUIDs packed into an open-addressing table of longs, anything else in a HashSet. */
    static final class EventKeySet {
        private long[] hi, lo;
        private byte[] st;
        private int size;
        private final Set<String> other = new HashSet<>();

        EventKeySet(long expected) {
            int cap = Integer.highestOneBit((int) Math.min(1 << 29, Math.max(1024, expected * 2))) << 1;
            hi = new long[cap];
            lo = new long[cap];
            st = new byte[cap];
        }

        static byte stageCode(String stage) {
            return switch (stage) {
                case "RequestReceived" -> 1;
                case "ResponseStarted" -> 2;
                case "ResponseComplete" -> 3;
                case "Panic" -> 4;
                default -> 0;
            };
        }

        static long[] parseUuid(String s) {
            if (s.length() != 36 || s.charAt(8) != '-' || s.charAt(13) != '-' || s.charAt(18) != '-' || s.charAt(23) != '-') {
                return null;
            }
            long[] r = new long[2];
            int nibbles = 0;
            for (int k = 0; k < 36; k++) {
                char c = s.charAt(k);
                if (c == '-') continue;
                int d = Character.digit(c, 16);
                if (d < 0 || Character.isUpperCase(c)) return null; // keep the text exact: "A" and "a" differ
                r[nibbles / 16] = (r[nibbles / 16] << 4) | d;
                nibbles++;
            }
            return r;
        }

        int size() {
            return size + other.size();
        }

        boolean add(long h, long l, byte stage, String fallbackKey) {
            if (fallbackKey != null) {
                return other.add(fallbackKey);
            }
            if ((size + 1) * 2 > st.length) {
                grow();
            }
            int mask = st.length - 1;
            long x = h * 0x9E3779B97F4A7C15L ^ l * 0xC2B2AE3D27D4EB4FL ^ stage;
            int slot = (int) (x ^ (x >>> 29)) & mask;
            while (st[slot] != 0) {
                if (st[slot] == stage && hi[slot] == h && lo[slot] == l) return false;
                slot = (slot + 1) & mask;
            }
            st[slot] = stage;
            hi[slot] = h;
            lo[slot] = l;
            size++;
            return true;
        }

        private void grow() {
            long[] oh = hi, ol = lo;
            byte[] os = st;
            hi = new long[oh.length * 2];
            lo = new long[ol.length * 2];
            st = new byte[os.length * 2];
            size = 0;
            for (int k = 0; k < os.length; k++) {
                if (os[k] != 0) add(oh[k], ol[k], os[k], null);
            }
        }
    }
}
