package io.kubeaudit.ship.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubeaudit.config.HttpEndpointConfig;
import io.kubeaudit.node.NodePaths;
import io.kubeaudit.ship.SinkContract;
import io.kubeaudit.ship.http.HttpEndpoints;
import io.kubeaudit.ship.http.HttpTransport;
import io.kubeaudit.ship.http.RequestWatchdog;
import io.kubeaudit.ship.http.ScriptedHttpDestination;
import io.kubeaudit.ship.http.ScriptedHttpDestination.Answer;
import io.kubeaudit.ship.sink.Sink;
import io.kubeaudit.time.Ticker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The webhook sink passes the sink contract against a scripted receiver that answers for whole requests. */
class WebhookSinkContractTest extends SinkContract {

    @Override
    protected Destination start(Path dir) throws Exception {
        return new Receiver();
    }

    /** A webhook receiver: it takes or refuses a request as a whole, by its status. */
    private static final class Receiver implements Destination {
        private static final ObjectMapper JSON = new ObjectMapper();

        private final ScriptedHttpDestination http;
        private final RequestWatchdog watchdog = new RequestWatchdog(Ticker.system());
        private final WebhookSink sink;
        private final Map<String, Integer> taken = new ConcurrentHashMap<>();
        private final Map<String, Integer> failed = new ConcurrentHashMap<>();
        private final AtomicInteger requests = new AtomicInteger();
        private volatile Behaviour behaviour = new Behaviour.AcceptAll();

        Receiver() throws Exception {
            http = ScriptedHttpDestination.start(this::answer);
            HttpEndpointConfig endpoint = new HttpEndpointConfig(http.url("/k8s-audit"), "", "", "", "", "", "", Map.of(), false,
                    Duration.ofSeconds(2), Duration.ofSeconds(1));
            sink = new WebhookSink(HttpEndpoints.open("contract", endpoint, NodePaths.of("/"), watchdog, Ticker.system(),
                    HttpTransport.EXCERPT_BYTES));
        }

        private synchronized Answer answer(ScriptedHttpDestination.Request r) {
            List<String> ids = auditIds(r);
            int n = requests.incrementAndGet();
            Behaviour b = behaviour;
            if (b instanceof Behaviour.Refuse refuse && ids.stream().anyMatch(refuse.auditIds()::contains)) {
                return Answer.respond(400, "application/json", "{\"error\":\"event refused\"}");
            }
            if (b instanceof Behaviour.FailTemporarily fail) {
                List<String> failing = ids.stream().filter(fail.auditIds()::contains)
                        .filter(id -> failed.getOrDefault(id, 0) < fail.times()).toList();
                if (!failing.isEmpty()) {
                    failing.forEach(id -> failed.merge(id, 1, Integer::sum));
                    return Answer.respond(503, "text/plain", "busy");
                }
            }
            if (b instanceof Behaviour.Throttle t && n <= t.requests()) {
                return new Answer.Respond(429, Map.of("Retry-After", Long.toString(t.retryAfter().toSeconds())), "slow down");
            }
            if (b instanceof Behaviour.Hang h && n <= h.requests()) {
                return new Answer.Hang();
            }
            if (b instanceof Behaviour.ResetAfterRequest reset && n <= reset.requests()) {
                return new Answer.ResetAfterRequest();
            }
            if (b instanceof Behaviour.TakeWithoutAnswer) {
                if (n == 1) {
                    ids.forEach(id -> taken.merge(id, 1, Integer::sum));
                }
                return new Answer.Hang();
            }
            ids.forEach(id -> taken.merge(id, 1, Integer::sum));
            return Answer.respond(200, "application/json", "{}");
        }

        private static List<String> auditIds(ScriptedHttpDestination.Request r) {
            try {
                JsonNode list = JSON.readTree(r.body());
                List<String> ids = new ArrayList<>();
                list.get("items").forEach(item -> ids.add(item.get("auditID").asText()));
                return ids;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public Sink sink() {
            return sink;
        }

        @Override
        public synchronized void behave(Behaviour next) {
            behaviour = next;
            requests.set(0);
            failed.clear();
        }

        @Override
        public Map<String, Integer> taken() {
            return taken;
        }

        @Override
        public boolean deduplicates() {
            return false;
        }

        @Override
        public void cutOff() {
            watchdog.cutAll();
        }

        @Override
        public void close() throws IOException {
            sink.close();
            watchdog.close();
            http.close();
        }
    }
}
