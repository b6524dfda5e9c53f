package io.kubeaudit.query;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code --explain}: each event as answers to the questions an audit trail exists for, in plain words:
 * what happened, when, who did it, on what, where it was observed, from where and to where (the request
 * and how it was answered, with the authorizer's decision).
 */
public final class ExplainOutput implements EventOutput {

    /** The node annotation the agent's shipper adds ("where was it observed"). */
    static final String NODE_ANNOTATION = "kube-audit-agent/node";
    static final String DECISION = "authorization.k8s.io/decision";
    static final String REASON = "authorization.k8s.io/reason";
    private static final Map<Integer, String> PHRASES = Map.ofEntries(Map.entry(101, "Switching Protocols"), Map.entry(200, "OK"),
            Map.entry(201, "Created"), Map.entry(202, "Accepted"), Map.entry(204, "No Content"), Map.entry(304, "Not Modified"),
            Map.entry(400, "Bad Request"), Map.entry(401, "Unauthorized"), Map.entry(403, "Forbidden"), Map.entry(404, "Not Found"),
            Map.entry(405, "Method Not Allowed"), Map.entry(406, "Not Acceptable"), Map.entry(409, "Conflict"), Map.entry(410, "Gone"),
            Map.entry(413, "Request Entity Too Large"), Map.entry(415, "Unsupported Media Type"), Map.entry(422, "Unprocessable Entity"),
            Map.entry(429, "Too Many Requests"), Map.entry(500, "Internal Server Error"), Map.entry(503, "Service Unavailable"),
            Map.entry(504, "Gateway Timeout"));

    private final PrintStream out;
    private boolean first = true;

    public ExplainOutput(PrintStream out) {
        this.out = out;
    }

    @Override
    public boolean wantsLineNumbers() {
        return true;
    }

    @Override
    public void event(MatchedEvent matched) {
        if (!first) {
            out.println();
        }
        first = false;
        AuditEvent e = matched.event();
        line("what", what(e));
        line("when", when(e));
        who(e);
        e.objectRef().filter(r -> e.isResourceRequest()).ifPresent(r -> line("on what", onWhat(e, r)));
        line("observed", observed(matched));
        line("from", from(e));
        line("to", e.requestUri() + ": " + outcome(e));
        decision(e).ifPresent(d -> line("decision", d));
        List<String> other = new ArrayList<>();
        e.annotations().forEach((k, v) -> {
            if (!k.equals(DECISION) && !k.equals(REASON) && !k.equals(NODE_ANNOTATION)) {
                other.add(k + "=" + v);
            }
        });
        if (!other.isEmpty()) {
            line("notes", String.join("; ", other));
        }
    }

    @Override
    public void flush() {
        out.flush();
    }

    @Override
    public void finish() {
        out.flush();
    }

    private void line(String label, String text) {
        out.printf("%-9s %s%n", label, text);
    }

    private void who(AuditEvent e) {
        line("who", person(e.user()));
        e.impersonatedUser().ifPresent(u -> line("", "acting as " + person(u) + " (impersonation: the user above made the request)"));
    }

    private static String what(AuditEvent e) {
        if (!e.isResourceRequest()) {
            return e.verb() + " " + EventColumn.RESOURCE.valueOf(e) + " (not a resource: an API server path)";
        }
        return e.verb() + " " + object(e, e.objectRef().get());
    }

    /** {@code deployments.apps "web" in namespace "shop"}; {@code all pods} for a list, {@code pods (a new object)} for a create. */
    private static String object(AuditEvent e, AuditEvent.ObjectRef r) {
        String resource = EventColumn.RESOURCE.valueOf(e);
        String object = !r.name().isEmpty() ? resource + " \"" + r.name() + "\""
                : List.of("list", "watch", "deletecollection").contains(e.verb()) ? "all " + resource
                : e.verb().equals("create") ? resource + " (a new object)" : resource;
        return object + (r.namespace().isEmpty() ? "" : " in namespace \"" + r.namespace() + "\"");
    }

    private static String when(AuditEvent e) {
        if (e.time().isEmpty()) {
            return "not recorded";
        }
        String text = "received " + e.time();
        Optional<Instant> received = e.receivedAt();
        Optional<Instant> staged = e.stageAt();
        if (!e.stageTime().isEmpty() && !e.stageTime().equals(e.time())) {
            text += ", " + e.stage() + " " + e.stageTime();
            if (received.isPresent() && staged.isPresent()) {
                text += " (" + millis(Duration.between(received.get(), staged.get())) + " later)";
            }
        } else {
            text += " (stage " + e.stage() + ")";
        }
        return text;
    }

    private static String millis(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1f ms", d.toNanos() / 1e6);
    }

    private static String person(AuditEvent.User u) {
        StringBuilder s = new StringBuilder(u.username().isEmpty() ? "(no user name)" : u.username());
        if (!u.groups().isEmpty()) {
            s.append(", groups ").append(String.join(", ", u.groups()));
        }
        if (!u.uid().isEmpty()) {
            s.append(", uid ").append(u.uid());
        }
        u.extra().forEach((k, v) -> s.append(", ").append(k).append('=').append(String.join(",", v)));
        return s.toString();
    }

    private static String onWhat(AuditEvent e, AuditEvent.ObjectRef r) {
        List<String> details = new ArrayList<>();
        if (!r.apiVersion().isEmpty()) {
            details.add(r.apiGroup().isEmpty() ? r.apiVersion() : r.apiGroup() + "/" + r.apiVersion());
        }
        if (!r.uid().isEmpty()) {
            details.add("uid " + r.uid());
        }
        if (!r.resourceVersion().isEmpty()) {
            details.add("resourceVersion " + r.resourceVersion());
        }
        String scope = r.namespace().isEmpty() ? (r.name().isEmpty() ? ", cluster-wide" : ", cluster-scoped") : "";
        return object(e, r) + scope + (details.isEmpty() ? "" : " (" + String.join(", ", details) + ")");
    }

    private static String observed(MatchedEvent m) {
        AuditEvent e = m.event();
        Optional<String> node = Optional.ofNullable(e.annotations().get(NODE_ANNOTATION)).or(m.file()::node);
        String by = node.map(n -> "by the kube-apiserver on node " + n).orElse("by a kube-apiserver (node not recorded)");
        String where = m.deadLetter().map(d -> "dead-letter file " + m.file() + " line " + m.line() + " (destination "
                + d.destination() + " refused it at " + d.time() + ": " + d.reason() + "; from " + d.file() + " offset " + d.offset() + ")")
                .orElse("in " + m.file() + " line " + m.line());
        return by + ", " + where + "; stage " + e.stage() + ", level " + e.level() + ", auditID " + e.auditId();
    }

    private static String from(AuditEvent e) {
        String ips = e.sourceIps().isEmpty() ? "no source IP recorded" : String.join(", ", e.sourceIps())
                + (e.sourceIps().size() > 1 ? " (client first, then the proxies it came through)" : "");
        return ips + (e.userAgent().isEmpty() ? "" : ", user agent " + e.userAgent());
    }

    private static String outcome(AuditEvent e) {
        if (e.responseStatus().isEmpty() || e.code() == 0) {
            return "no response yet at stage " + e.stage();
        }
        AuditEvent.ResponseStatus s = e.responseStatus().get();
        String phrase = PHRASES.getOrDefault(s.code(), "");
        StringBuilder text = new StringBuilder().append(s.code()).append(phrase.isEmpty() ? "" : " " + phrase);
        if (!s.reason().isEmpty() && !s.reason().replace(" ", "").equalsIgnoreCase(phrase.replace(" ", ""))) {
            text.append(" (").append(s.reason()).append(')');
        }
        if (!s.message().isEmpty()) {
            text.append(": ").append(s.message());
        }
        return text.toString();
    }

    private static Optional<String> decision(AuditEvent e) {
        String decision = e.annotations().get(DECISION);
        if (decision == null) {
            return Optional.empty();
        }
        String reason = e.annotations().getOrDefault(REASON, "");
        String verdict = switch (decision) {
            case "allow" -> "allowed";
            case "forbid" -> "forbidden";
            default -> decision;
        };
        return Optional.of(verdict + " by the authorizer" + (reason.isEmpty() ? " (no reason recorded)" : ": " + reason));
    }
}
