package io.kubeaudit.ship;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.SSLContext;

/**
 * A webhook receiver on 127.0.0.1 that behaves like Falco's k8saudit endpoint (POST, application/json,
 * EventList) and counts auditIDs of accepted events. It can be slow, fail a share of requests with
 * 503, throttle with 429 + Retry-After, refuse credentials, or refuse a batch holding a poison event.
 */
final class Receiver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as seen here. */
    record Request(long atNanos, int status, int events, String contentEncoding, String authorization) {
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, Integer> accepted = new ConcurrentHashMap<>();
    private final Map<String, JsonNode> lastEvent = new ConcurrentHashMap<>();
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger current = new AtomicInteger();
    private final AtomicInteger maxConcurrent = new AtomicInteger();
    private final Random random = new Random(42);

    volatile Duration delay = Duration.ZERO;
    /** Delay only the request holding this auditID (out-of-order acknowledgements). */
    volatile String slowId;
    volatile Duration slowDelay = Duration.ZERO;
    volatile double failRate;
    final AtomicInteger throttleNext = new AtomicInteger();
    volatile int retryAfterSeconds = 1;
    final AtomicBoolean refuseCredentials = new AtomicBoolean();
    volatile String expectedAuthorization;
    final Set<String> poisonIds = ConcurrentHashMap.newKeySet();
    volatile boolean keepEvents = true;
    /** A poison batch's 400 answer echoes the request's headers, as debugging proxies and some collectors do. */
    volatile boolean echoHeaders;

    private Receiver(HttpServer server) {
        this.server = server;
        this.executor = Executors.newFixedThreadPool(16);
        server.createContext("/audit", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    static Receiver start() throws IOException {
        return startOn(0);
    }

    static Receiver startOn(int port) throws IOException {
        return new Receiver(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64));
    }

    static Receiver startTls(SSLContext context, boolean requireClientCertificate) throws IOException {
        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        https.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
                // setNeedClientAuth alone is not applied by the JDK server; the SSLParameters are.
                javax.net.ssl.SSLParameters p = getSSLContext().getDefaultSSLParameters();
                p.setNeedClientAuth(requireClientCertificate);
                params.setSSLParameters(p);
            }
        });
        return new Receiver(https);
    }

    String url() {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        return scheme + "://127.0.0.1:" + port() + "/audit";
    }

    /** For https: the name in the test certificate. */
    String urlByName() {
        return "https://localhost:" + port() + "/audit";
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        int now = current.incrementAndGet();
        maxConcurrent.accumulateAndGet(now, Math::max);
        try {
            respond(exchange);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.close();
        } finally {
            current.decrementAndGet();
        }
    }

    private void respond(HttpExchange exchange) throws IOException, InterruptedException {
        String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        byte[] raw;
        try (InputStream in = exchange.getRequestBody()) {
            raw = in.readAllBytes();
        }
        if (!"POST".equals(exchange.getRequestMethod())) {
            reply(exchange, 405, "POST only", 0, encoding, auth);
            return;
        }
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.startsWith("application/json")) {
            reply(exchange, 400, "wrong content type " + type, 0, encoding, auth);
            return;
        }
        if (!delay.isZero()) {
            Thread.sleep(delay.toMillis());
        }
        if (refuseCredentials.get() || (expectedAuthorization != null && !expectedAuthorization.equals(auth))) {
            reply(exchange, 401, "Unauthorized", 0, encoding, auth);
            return;
        }
        if (throttleNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            exchange.getResponseHeaders().set("Retry-After", Integer.toString(retryAfterSeconds));
            reply(exchange, 429, "Too Many Requests", 0, encoding, auth);
            return;
        }
        boolean fail;
        synchronized (random) {
            fail = failRate > 0 && random.nextDouble() < failRate;
        }
        if (fail) {
            reply(exchange, 503, "Service Unavailable", 0, encoding, auth);
            return;
        }
        byte[] body = "gzip".equals(encoding) ? new GZIPInputStream(new java.io.ByteArrayInputStream(raw)).readAllBytes() : raw;
        JsonNode list;
        try {
            list = JSON.readTree(body);
        } catch (IOException e) {
            reply(exchange, 400, "bad JSON: " + e.getMessage(), 0, encoding, auth);
            return;
        }
        if (!"EventList".equals(list.path("kind").asText()) || !"audit.k8s.io/v1".equals(list.path("apiVersion").asText())
                || !list.path("items").isArray()) {
            reply(exchange, 400, "not an audit.k8s.io/v1 EventList", 0, encoding, auth);
            return;
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode item : list.get("items")) {
            ids.add(item.path("auditID").asText());
        }
        if (ids.stream().anyMatch(poisonIds::contains)) {
            String echo = echoHeaders ? ",\"request\":{\"headers\":" + JSON.writeValueAsString(exchange.getRequestHeaders()) + "}" : "";
            reply(exchange, 400, "{\"error\":\"poison event refused\"" + echo + "}", 0, encoding, auth);
            return;
        }
        if (slowId != null && ids.contains(slowId)) {
            Thread.sleep(slowDelay.toMillis());
        }
        for (JsonNode item : list.get("items")) {
            String id = item.path("auditID").asText();
            accepted.merge(id, 1, Integer::sum);
            if (keepEvents) {
                lastEvent.put(id, item);
            }
        }
        reply(exchange, 200, "{}", ids.size(), encoding, auth);
    }

    private void reply(HttpExchange exchange, int status, String body, int events, String encoding, String auth) throws IOException {
        requests.add(new Request(System.nanoTime(), status, events, encoding, auth));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    int distinct() {
        return accepted.size();
    }

    int total() {
        return accepted.values().stream().mapToInt(Integer::intValue).sum();
    }

    boolean has(String auditId) {
        return accepted.containsKey(auditId);
    }

    JsonNode event(String auditId) {
        return lastEvent.get(auditId);
    }

    List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    int maxConcurrent() {
        return maxConcurrent.get();
    }

    /** Waits (bounded) until {@code n} distinct events arrived; returns how many did. */
    int awaitDistinct(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (distinct() < n && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return distinct();
    }

    /** auditIDs among {@code 0..count-1} (numbered by {@link AuditLines#id}) that never arrived. */
    List<Integer> missing(int from, int count) {
        List<Integer> missing = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            if (!accepted.containsKey(AuditLines.id(i))) {
                missing.add(i);
            }
        }
        return missing;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
