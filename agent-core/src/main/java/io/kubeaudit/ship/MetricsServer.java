package io.kubeaudit.ship;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * {@code /metrics} (Prometheus text) and {@code /healthz} (200 "ok", or 503 naming what stalled) on
 * {@code metrics.listen}, by default a loopback address: nothing on it needs to be reachable from
 * elsewhere, and it says how far the audit trail got.
 */
final class MetricsServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** @param listen {@code host:port}; port 0 picks a free one (tests) */
    static MetricsServer start(String listen, Metrics metrics, Supplier<List<String>> healthProblems) throws IOException {
        InetSocketAddress address = address(listen);
        HttpServer server;
        try {
            server = HttpServer.create(address, 16);
        } catch (IOException e) {
            throw new IOException("cannot listen on metrics.listen " + listen + ": " + e.getMessage(), e);
        }
        server.createContext("/metrics", exchange -> {
            if (refuseNonGet(exchange)) {
                return;
            }
            reply(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.render());
        });
        server.createContext("/healthz", exchange -> {
            if (refuseNonGet(exchange)) {
                return;
            }
            List<String> problems = healthProblems.get();
            reply(exchange, problems.isEmpty() ? 200 : 503, "text/plain; charset=utf-8",
                    problems.isEmpty() ? "ok\n" : String.join("\n", problems) + "\n");
        });
        ExecutorService executor = Executors.newSingleThreadExecutor(DestinationPipeline.threads("ship-metrics"));
        server.setExecutor(executor);
        server.start();
        return new MetricsServer(server, executor);
    }

    static InetSocketAddress address(String listen) throws IOException {
        int colon = listen.lastIndexOf(':');
        if (colon <= 0) {
            throw new IOException("metrics.listen must be host:port, found \"" + listen + "\"");
        }
        String host = listen.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(listen.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IOException("metrics.listen port must be a number, found \"" + listen + "\"", e);
        }
        if (port < 0 || port > 65535) {
            throw new IOException("metrics.listen port must be 0-65535, found " + port);
        }
        return new InetSocketAddress(host, port);
    }

    int port() {
        return server.getAddress().getPort();
    }

    private static boolean refuseNonGet(HttpExchange exchange) throws IOException {
        if (exchange.getRequestMethod().equals("GET") || exchange.getRequestMethod().equals("HEAD")) {
            return false;
        }
        reply(exchange, 405, "text/plain; charset=utf-8", "GET only\n");
        return true;
    }

    private static void reply(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            if (!head) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
