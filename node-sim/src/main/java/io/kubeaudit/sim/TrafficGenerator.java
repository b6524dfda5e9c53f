package io.kubeaudit.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Requests a quiet control plane makes on its own (leader-election lease renewals, node heartbeats and
 * status patches, the API server's own endpoint reconciler, kubelet probes), fed through the same audit
 * pipeline as real HTTP requests, so the log grows with realistic users, verbs and objects. Used for a
 * steady background rate and, through {@code POST /sim/traffic?requests=N}, for bursts in tests.
 */
final class TrafficGenerator implements AutoCloseable {

    /** What a burst produced: the number of requests, event lines written, and the audit IDs that got lines. */
    record Burst(int requests, int events, List<String> auditIDs) {
    }

    private record Template(String method, String path, RequestInfo.UserInfo user, String userAgent, int code,
                            boolean body) {
    }

    private final Auditor auditor;
    private final ContainerContext context;
    private final List<Template> templates;
    private final AtomicLong sequence = new AtomicLong();
    private ScheduledExecutorService background;

    TrafficGenerator(Auditor auditor, ContainerContext context) {
        this.auditor = auditor;
        this.context = context;
        String node = context.nodeName();
        String v = context.version().toString();
        var scheduler = new RequestInfo.UserInfo("system:kube-scheduler", "", List.of("system:authenticated"));
        var kcm = new RequestInfo.UserInfo("system:kube-controller-manager", "", List.of("system:authenticated"));
        var kubelet = new RequestInfo.UserInfo("system:node:" + node, "", List.of("system:nodes", "system:authenticated"));
        var apiserver = new RequestInfo.UserInfo("system:apiserver", "6e2b6b84-3a5c-4f8e-9b0e-2d5b0c1f7a11", List.of("system:masters"));
        var coredns = new RequestInfo.UserInfo("system:serviceaccount:kube-system:coredns", "",
                List.of("system:serviceaccounts", "system:serviceaccounts:kube-system", "system:authenticated"));
        this.templates = List.of(
                new Template("PUT", "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-scheduler", scheduler,
                        "kube-scheduler/" + v + " (linux/amd64) kubernetes/sim/leader-election", 200, true),
                new Template("PUT", "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-controller-manager", kcm,
                        "kube-controller-manager/" + v + " (linux/amd64) kubernetes/sim/leader-election", 200, true),
                new Template("PUT", "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/" + node, kubelet,
                        "kubelet/" + v + " (linux/amd64) kubernetes/sim", 200, true),
                new Template("GET", "/api/v1/namespaces/default/endpoints/kubernetes", apiserver,
                        "kube-apiserver/" + v + " (linux/amd64) kubernetes/sim", 200, false),
                new Template("PATCH", "/api/v1/nodes/" + node + "/status", kubelet,
                        "kubelet/" + v + " (linux/amd64) kubernetes/sim", 200, true),
                new Template("GET", "/livez", RequestInfo.UserInfo.ANONYMOUS, "kube-probe/" + v.substring(1), 200, false),
                new Template("GET", "/api/v1/namespaces/kube-system/configmaps/coredns", coredns,
                        "coredns/v1.11.1 (linux/amd64) kubernetes/sim", 200, false),
                new Template("GET", "/api/v1/namespaces/kube-system/secrets/bootstrap-token-abcdef", kcm,
                        "kube-controller-manager/" + v + " (linux/amd64) kubernetes/sim/tokencleaner", 404, false),
                new Template("POST", "/api/v1/namespaces/kube-system/events", kubelet,
                        "kubelet/" + v + " (linux/amd64) kubernetes/sim", 201, true));
    }

    Burst generate(int requests) {
        int events = 0;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            Auditor.Exchange ex = one(templates.get((int) (sequence.getAndIncrement() % templates.size())));
            events += ex.eventsWritten();
            if (ex.eventsWritten() > 0) {
                ids.add(ex.auditID);
            }
        }
        return new Burst(requests, events, ids);
    }

    private Auditor.Exchange one(Template t) {
        RequestInfo attrs = t.path().startsWith("/api")
                ? RequestInfo.fromRequest(t.user(), t.method(), t.path(), false)
                : RequestInfo.nonResource(t.user(), t.method().toLowerCase(java.util.Locale.ROOT), t.path());
        ObjectNode body = t.body() ? object(attrs) : null;
        Auditor.Exchange ex = auditor.begin(attrs, t.path(), "127.0.0.1", t.userAgent(), body);
        AuditEvent.Status status = t.code() < 300 ? AuditEvent.Status.ok(t.code())
                : new AuditEvent.Status(t.code(), "Failure", "NotFound", attrs.resource() + " \"" + attrs.name() + "\" not found");
        ObjectNode response = body != null ? body.deepCopy() : null;
        if (response != null) {
            response.withObjectProperty("metadata").put("resourceVersion", Long.toString(1000 + sequence.get()));
        }
        auditor.complete(ex, status, response, Map.of("authorization.k8s.io/decision", "allow",
                "authorization.k8s.io/reason", attrs.user().username().startsWith("system:node:")
                        ? "" : "RBAC: allowed by ClusterRoleBinding \"" + attrs.user().username() + "\" of ClusterRole \""
                        + attrs.user().username() + "\" to User \"" + attrs.user().username() + "\""));
        return ex;
    }

    /** A plausible body for a write: a Lease renewal, a status patch or an Event. */
    private ObjectNode object(RequestInfo attrs) {
        ObjectNode o = GoJson.object();
        String now = AuditEvent.MICRO_TIME.format(Instant.now());
        switch (attrs.resource()) {
            case "leases" -> {
                o.put("kind", "Lease");
                o.put("apiVersion", "coordination.k8s.io/v1");
                ObjectNode meta = o.putObject("metadata");
                meta.put("name", attrs.name());
                meta.put("namespace", attrs.namespace());
                ObjectNode spec = o.putObject("spec");
                spec.put("holderIdentity", context.nodeName() + "_" + attrs.name());
                spec.put("leaseDurationSeconds", 15);
                spec.put("renewTime", now);
            }
            case "nodes" -> o.putObject("status").putArray("conditions").addObject().put("type", "Ready")
                    .put("status", "True").put("lastHeartbeatTime", ClusterObjects.timestamp(Instant.now()));
            default -> {
                o.put("kind", "Event");
                o.put("apiVersion", "v1");
                o.putObject("metadata").put("name", "kube-apiserver-" + context.nodeName() + ".sim" + sequence.get())
                        .put("namespace", "kube-system");
                o.put("reason", "Pulled");
                o.put("message", "Container image already present on machine");
                o.put("type", "Normal");
            }
        }
        return o;
    }

    /** Generates about {@code perSecond} requests a second until closed. */
    void startBackground(int perSecond) {
        if (perSecond <= 0) {
            return;
        }
        background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sim-traffic");
            t.setDaemon(true);
            return t;
        });
        long periodMicros = Math.max(1000, 1_000_000L / perSecond);
        int perTick = (int) Math.max(1, perSecond * periodMicros / 1_000_000L);
        background.scheduleAtFixedRate(() -> generate(perTick), periodMicros, periodMicros, TimeUnit.MICROSECONDS);
    }

    @Override
    public void close() {
        if (background != null) {
            background.shutdownNow();
            try {
                background.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
