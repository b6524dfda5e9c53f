package io.kubeaudit.daemon;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The Lease part of a Kubernetes API on 127.0.0.1 (plain HTTP), plus a settable {@code /metrics}, answering as the real one does: 404
 * NotFound, 409 AlreadyExists on a second create, 409 Conflict on a replace with a stale resourceVersion.
 * Enough for the real kubectl's {@code get|create|replace --raw}.
 */
final class FakeLeaseApi implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases";

    private final HttpServer server;
    /** Guarded by {@code this}. */
    private final Map<String, ObjectNode> leases = new HashMap<>();
    private long resourceVersion = 100;
    /** When set, the next GET is followed by another writer's update (a race lost between read and replace). */
    volatile boolean raceAfterNextGet;
    /** What {@code /metrics} answers (Prometheus text), as an API server's own metrics endpoint. */
    volatile String metrics = "";

    FakeLeaseApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext(PREFIX, this::handle);
        server.createContext("/metrics", exchange -> {
            try (exchange) {
                byte[] body = metrics.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.start();
    }

    /** Writes a kubeconfig for this server to {@code file}. */
    Path kubeconfig(Path file) throws IOException {
        return Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters: [{name: sim, cluster: {server: "http://127.0.0.1:%d"}}]
                users: [{name: anonymous, user: {}}]
                contexts: [{name: sim, context: {cluster: sim, user: anonymous}}]
                current-context: sim
                """.formatted(server.getAddress().getPort()));
    }

    synchronized ObjectNode lease(String name) {
        return leases.get(name);
    }

    private synchronized void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String name = path.length() > PREFIX.length() + 1 ? path.substring(PREFIX.length() + 1) : "";
            String method = exchange.getRequestMethod();
            if (method.equals("GET")) {
                ObjectNode lease = leases.get(name);
                if (lease == null) {
                    status(exchange, 404, "NotFound", "leases.coordination.k8s.io \"" + name + "\" not found");
                    return;
                }
                send(exchange, 200, lease.deepCopy());
                if (raceAfterNextGet) {
                    raceAfterNextGet = false;
                    ((ObjectNode) lease.get("spec")).put("holderIdentity", "racer");
                    stamp(lease);
                }
                return;
            }
            ObjectNode body = (ObjectNode) JSON.readTree(exchange.getRequestBody());
            String bodyName = body.path("metadata").path("name").asText();
            if (method.equals("POST")) {
                if (leases.containsKey(bodyName)) {
                    status(exchange, 409, "AlreadyExists", "leases.coordination.k8s.io \"" + bodyName + "\" already exists");
                    return;
                }
                stamp(body);
                leases.put(bodyName, body);
                send(exchange, 201, body);
            } else if (method.equals("PUT")) {
                ObjectNode current = leases.get(name);
                if (current == null) {
                    status(exchange, 404, "NotFound", "leases.coordination.k8s.io \"" + name + "\" not found");
                } else if (!current.path("metadata").path("resourceVersion").asText().equals(body.path("metadata").path("resourceVersion").asText())) {
                    status(exchange, 409, "Conflict", "Operation cannot be fulfilled on leases.coordination.k8s.io \"" + name
                            + "\": the object has been modified; please apply your changes to the latest version and try again");
                } else {
                    stamp(body);
                    leases.put(name, body);
                    send(exchange, 200, body);
                }
            } else {
                status(exchange, 405, "MethodNotAllowed", method + " is not supported here");
            }
        }
    }

    private void stamp(ObjectNode object) {
        ((ObjectNode) object.with("metadata")).put("resourceVersion", Long.toString(++resourceVersion));
    }

    private static void status(HttpExchange exchange, int code, String reason, String message) throws IOException {
        ObjectNode status = JSON.createObjectNode().put("kind", "Status").put("apiVersion", "v1").put("status", "Failure")
                .put("message", message).put("reason", reason).put("code", code);
        status.putObject("metadata");
        send(exchange, code, status);
    }

    private static void send(HttpExchange exchange, int code, ObjectNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
