package io.kubeaudit.kube;

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
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The namespaced-object part of a Kubernetes API on 127.0.0.1 (plain HTTP), plus a settable {@code /metrics},
 * answering as the real one does: GET, POST (create) and PUT (replace) of any namespaced resource
 * (Leases, ConfigMaps), 404 NotFound, 409 AlreadyExists on a second create, 409 Conflict on a replace
 * carrying a resourceVersion other than the stored one. Enough for the real kubectl's
 * {@code get|create|replace --raw}. Another writer can be made to change an object right after a GET,
 * which is the race a resourceVersion guards against.
 */
public final class FakeKubeApi implements AutoCloseable {

    public static final String LEASES = "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases";
    public static final String CONFIGMAPS = "/api/v1/namespaces/kube-system/configmaps";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    /** Collection path to name to object. Guarded by {@code this}. */
    private final Map<String, Map<String, ObjectNode>> objects = new HashMap<>();
    /** "METHOD collection" to how many requests came. Guarded by {@code this}. */
    private final Map<String, Integer> requests = new HashMap<>();
    private long resourceVersion = 100;
    private int racesLeft;
    private Consumer<ObjectNode> otherWriter = o -> { };
    /** What {@code /metrics} answers (Prometheus text), as an API server's own metrics endpoint. */
    public volatile String metrics = "";

    public FakeKubeApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/api/", this::handle);
        server.createContext("/apis/", this::handle);
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
    public Path kubeconfig(Path file) throws IOException {
        return Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters: [{name: sim, cluster: {server: "http://127.0.0.1:%d"}}]
                users: [{name: anonymous, user: {}}]
                contexts: [{name: sim, context: {cluster: sim, user: anonymous}}]
                current-context: sim
                """.formatted(server.getAddress().getPort()));
    }

    /** Stores {@code object} (named by its metadata.name) with a fresh resourceVersion, as a create would. */
    public synchronized void put(String collection, ObjectNode object) {
        ObjectNode copy = object.deepCopy();
        stamp(copy);
        objects.computeIfAbsent(collection, c -> new HashMap<>()).put(copy.path("metadata").path("name").asText(), copy);
    }

    /** A copy of the stored object; null when there is none. */
    public synchronized ObjectNode object(String collection, String name) {
        ObjectNode o = objects.getOrDefault(collection, Map.of()).get(name);
        return o == null ? null : o.deepCopy();
    }

    /** How many {@code method} requests reached {@code collection} (or one of its objects). */
    public synchronized int requests(String method, String collection) {
        return requests.getOrDefault(method + " " + collection, 0);
    }

    /**
     * After each of the next {@code times} GETs of an object, another writer changes it with {@code change}
     * and it gets a new resourceVersion, so a replace based on that GET meets a 409 Conflict.
     */
    public synchronized void raceAfterGets(int times, Consumer<ObjectNode> change) {
        racesLeft = times;
        otherWriter = change;
    }

    private synchronized void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String[] parts = path.split("/");
            int ns = indexOf(parts, "namespaces");
            if (ns < 0 || parts.length < ns + 3) {
                status(exchange, 404, "NotFound", "the server could not find the requested resource");
                return;
            }
            String collection = String.join("/", Arrays.copyOfRange(parts, 0, ns + 3));
            String name = parts.length > ns + 3 ? parts[ns + 3] : "";
            String kind = parts[ns + 2] + (parts[1].equals("apis") ? "." + parts[2] : "");
            String method = exchange.getRequestMethod();
            requests.merge(method + " " + collection, 1, Integer::sum);
            Map<String, ObjectNode> stored = objects.computeIfAbsent(collection, c -> new HashMap<>());
            if (method.equals("GET")) {
                ObjectNode object = stored.get(name);
                if (object == null) {
                    status(exchange, 404, "NotFound", kind + " \"" + name + "\" not found");
                    return;
                }
                send(exchange, 200, object.deepCopy());
                if (racesLeft > 0) {
                    racesLeft--;
                    otherWriter.accept(object);
                    stamp(object);
                }
                return;
            }
            ObjectNode body = (ObjectNode) JSON.readTree(exchange.getRequestBody());
            String bodyName = body.path("metadata").path("name").asText();
            if (method.equals("POST")) {
                if (stored.containsKey(bodyName)) {
                    status(exchange, 409, "AlreadyExists", kind + " \"" + bodyName + "\" already exists");
                    return;
                }
                stamp(body);
                stored.put(bodyName, body);
                send(exchange, 201, body);
            } else if (method.equals("PUT")) {
                ObjectNode current = stored.get(name);
                String sent = body.path("metadata").path("resourceVersion").asText("");
                if (current == null) {
                    status(exchange, 404, "NotFound", kind + " \"" + name + "\" not found");
                } else if (!sent.isEmpty() && !current.path("metadata").path("resourceVersion").asText().equals(sent)) {
                    status(exchange, 409, "Conflict", "Operation cannot be fulfilled on " + kind + " \"" + name
                            + "\": the object has been modified; please apply your changes to the latest version and try again");
                } else {
                    stamp(body);
                    stored.put(name, body);
                    send(exchange, 200, body);
                }
            } else {
                status(exchange, 405, "MethodNotAllowed", method + " is not supported here");
            }
        }
    }

    private static int indexOf(String[] parts, String segment) {
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].equals(segment)) {
                return i;
            }
        }
        return -1;
    }

    private void stamp(ObjectNode object) {
        object.withObjectProperty("metadata").put("resourceVersion", Long.toString(++resourceVersion));
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
