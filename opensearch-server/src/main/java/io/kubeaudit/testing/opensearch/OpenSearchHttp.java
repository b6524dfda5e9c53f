package io.kubeaudit.testing.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The tests' own requests to a test OpenSearch: JSON in, status and JSON out. */
public final class OpenSearchHttp {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One answer; {@link #json} parses the body on demand. */
    public record Reply(int status, String body) {

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON (" + status + "): " + body, e);
            }
        }
    }

    private final URI base;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    OpenSearchHttp(URI base) {
        this.base = base;
    }

    /** A request with a JSON body (or none when {@code json} is null). */
    public Reply call(String method, String path, String json) throws IOException, InterruptedException {
        return send(method, path, "application/json", json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    /** POST {path}/_bulk with an NDJSON body. */
    public Reply bulk(String path, byte[] ndjson) throws IOException, InterruptedException {
        return send("POST", path + "/_bulk", "application/x-ndjson", ndjson);
    }

    /** The answer's JSON, failing the test with the body when the status is not 2xx. */
    public JsonNode ok(String method, String path, String json) throws IOException, InterruptedException {
        Reply reply = call(method, path, json);
        if (reply.status() / 100 != 2) {
            throw new AssertionError(method + " " + path + " answered " + reply.status() + ": " + reply.body());
        }
        return reply.json();
    }

    /** Documents matching a query in an index pattern, after a refresh so that everything indexed is seen. */
    public long count(String index, String query) throws IOException, InterruptedException {
        ok("POST", "/" + index + "/_refresh", null);
        return ok("POST", "/" + index + "/_count", query == null ? null : "{\"query\":" + query + "}").get("count").asLong();
    }

    private Reply send(String method, String path, String contentType, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(120));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Reply(response.statusCode(), response.body());
    }
}
