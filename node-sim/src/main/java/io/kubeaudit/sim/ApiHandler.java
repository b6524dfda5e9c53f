package io.kubeaudit.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsExchange;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Serves what kubectl and the agent ask a kube-apiserver for (health, version, discovery, nodes, the mirror
 * pod, namespaces; Tables when the client asks with {@code as=Table}) and audits every request through the
 * {@link Auditor}. Authentication is a bearer token: the admin token of the simulated node's admin.conf, no
 * token = system:anonymous (allowed only the public health and version paths), any other token = 401.
 *
 * <p>{@code POST /sim/traffic?requests=N} is the simulator's own endpoint for generating audit traffic; it is
 * not part of the API and not audited itself.
 */
final class ApiHandler implements HttpHandler {

    private static final List<String> PUBLIC_PATHS = List.of("/healthz", "/livez", "/readyz", "/version");
    private static final String PUBLIC_INFO_REASON = "RBAC: allowed by ClusterRoleBinding \"system:public-info-viewer\" of "
            + "ClusterRole \"system:public-info-viewer\" to Group \"system:unauthenticated\"";

    private record Reply(int code, String contentType, byte[] body, JsonNode json, AuditEvent.Status status) {
        static Reply json(int code, JsonNode json) {
            AuditEvent.Status status = code < 400 ? AuditEvent.Status.ok(code)
                    : new AuditEvent.Status(code, "Failure", json.path("reason").asText(), json.path("message").asText());
            return new Reply(code, "application/json", GoJson.write(json).getBytes(StandardCharsets.UTF_8), json, status);
        }

        static Reply text(String text) {
            return new Reply(200, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8), null,
                    AuditEvent.Status.ok(200));
        }
    }

    private final Auditor auditor;
    private final ClusterObjects objects;
    private final ContainerContext context;
    private final TrafficGenerator traffic;
    private final String serverAddress;
    private final Consumer<RuntimeException> panics;

    ApiHandler(Auditor auditor, ClusterObjects objects, ContainerContext context, TrafficGenerator traffic, int port,
               Consumer<RuntimeException> panics) {
        this.panics = panics;
        this.auditor = auditor;
        this.objects = objects;
        this.context = context;
        this.traffic = traffic;
        this.serverAddress = "127.0.0.1:" + port;
    }

    @Override
    public void handle(HttpExchange http) throws IOException {
        try {
            serve(http);
        } catch (RuntimeException e) {
            // The real server answers a handler panic with a 500 rather than dropping the connection.
            panics.accept(e);
            send(http, Reply.json(500, status(500, "InternalError", "Internal error occurred: " + e, GoJson.object())));
        } finally {
            http.close();
        }
    }

    private void serve(HttpExchange http) throws IOException {
        String path = http.getRequestURI().getRawPath();
        Map<String, String> query = query(http.getRequestURI().getRawQuery());
        byte[] requestBody = http.getRequestBody().readAllBytes();
        if (path.equals("/sim/traffic")) {
            send(http, simTraffic(http.getRequestMethod(), query));
            return;
        }
        String requestURI = http.getRequestURI().getRawPath()
                + (http.getRequestURI().getRawQuery() == null ? "" : "?" + http.getRequestURI().getRawQuery());
        Optional<RequestInfo.UserInfo> user = authenticate(http);
        boolean watch = List.of("true", "1").contains(query.getOrDefault("watch", ""));
        RequestInfo attrs = RequestInfo.fromRequest(user.orElse(RequestInfo.UserInfo.NONE),
                http.getRequestMethod(), path, watch);
        String userAgent = Optional.ofNullable(http.getRequestHeaders().getFirst("User-Agent")).orElse("");
        Auditor.Exchange exchange = auditor.begin(attrs, requestURI, http.getRemoteAddress().getAddress().getHostAddress(),
                userAgent, jsonOrNull(requestBody));
        if (user.isEmpty()) {
            Reply reply = Reply.json(401, status(401, "Unauthorized", "Unauthorized", null));
            auditor.authenticationFailed(exchange, new AuditEvent.Status(401, "", "", "Authentication failed, attempted: bearer"));
            send(http, reply);
            return;
        }
        boolean anonymous = user.get().equals(RequestInfo.UserInfo.ANONYMOUS);
        Reply reply;
        String reason = "";
        if (anonymous && !isPublic(path)) {
            reply = Reply.json(403, status(403, "Forbidden", forbiddenMessage(attrs), forbiddenDetails(attrs)));
        } else {
            reason = anonymous ? PUBLIC_INFO_REASON : "";
            reply = attrs.resourceRequest() ? resource(attrs, query, http.getRequestHeaders().getFirst("Accept"))
                    : nonResource(path, query);
        }
        auditor.complete(exchange, reply.status(), reply.json(), Map.of(
                "authorization.k8s.io/decision", reply.code() == 403 ? "forbid" : "allow",
                "authorization.k8s.io/reason", reason));
        send(http, reply);
    }

    /**
     * x509 client certificates verified against --client-ca-file (CN = user, O = groups), as kubeadm's
     * admin.conf authenticates; no credential = system:anonymous; a bearer token = 401, since the simulated
     * server has no token authenticator.
     */
    static Optional<RequestInfo.UserInfo> authenticate(HttpExchange http) {
        if (http.getRequestHeaders().containsKey("Authorization")) {
            return Optional.empty();
        }
        if (http instanceof HttpsExchange https) {
            try {
                Certificate[] peer = https.getSSLSession().getPeerCertificates();
                if (peer.length > 0 && peer[0] instanceof X509Certificate cert) {
                    return Optional.of(userOf(cert));
                }
            } catch (SSLPeerUnverifiedException e) {
                return Optional.of(RequestInfo.UserInfo.ANONYMOUS);
            }
        }
        return Optional.of(RequestInfo.UserInfo.ANONYMOUS);
    }

    static RequestInfo.UserInfo userOf(X509Certificate cert) {
        String cn = "";
        List<String> groups = new ArrayList<>();
        try {
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    cn = rdn.getValue().toString();
                } else if (rdn.getType().equalsIgnoreCase("O")) {
                    groups.add(rdn.getValue().toString());
                }
            }
        } catch (InvalidNameException e) {
            throw new IllegalStateException("unparsable client certificate subject " + cert.getSubjectX500Principal(), e);
        }
        // LdapName lists RDNs in DER order (rightmost of the RFC 2253 string first), the order kube-apiserver uses.
        groups.add("system:authenticated");
        return new RequestInfo.UserInfo(cn, "", groups);
    }

    private static boolean isPublic(String path) {
        return PUBLIC_PATHS.stream().anyMatch(p -> path.equals(p) || path.startsWith(p + "/"));
    }

    private Reply nonResource(String path, Map<String, String> query) {
        if (List.of("/healthz", "/livez", "/readyz").contains(path)) {
            if (query.containsKey("verbose")) {
                String name = path.substring(1);
                return Reply.text("[+]ping ok\n[+]log ok\n[+]etcd ok\n[+]poststarthook/start-apiserver-admission-initializer ok\n"
                        + name + " check passed\n");
            }
            return Reply.text("ok");
        }
        if (path.matches("/(healthz|livez|readyz)/[a-z/-]+")) {
            return Reply.text("ok");
        }
        return switch (path) {
            case "/version" -> Reply.json(200, version());
            case "/api" -> Reply.json(200, apiVersions());
            case "/apis" -> Reply.json(200, apiGroups());
            case "/api/v1" -> Reply.json(200, coreResources());
            default -> notFound();
        };
    }

    private Reply resource(RequestInfo attrs, Map<String, String> query, String accept) {
        Optional<ClusterObjects.Kind> kind = attrs.apiGroup().isEmpty() && attrs.apiVersion().equals("v1")
                && attrs.subresource().isEmpty() ? objects.kind(attrs.resource()) : Optional.empty();
        if (kind.isEmpty()) {
            return notFound();
        }
        if (!attrs.verb().equals("get") && !attrs.verb().equals("list")) {
            return Reply.json(405, status(405, "MethodNotAllowed",
                    "the simulated API server only serves get and list, not " + attrs.verb(), GoJson.object()));
        }
        List<ObjectNode> items = objects.list(kind.get(), attrs.namespace(), query.get("labelSelector"));
        if (attrs.verb().equals("get")) {
            items = items.stream().filter(o -> o.path("metadata").path("name").asText().equals(attrs.name())).toList();
            if (items.isEmpty()) {
                ObjectNode details = GoJson.object().put("name", attrs.name()).put("kind", attrs.resource());
                return Reply.json(404, status(404, "NotFound", attrs.resource() + " \"" + attrs.name() + "\" not found", details));
            }
        }
        Optional<String> table = tableVersion(accept);
        if (table.isPresent()) {
            return Reply.json(200, objects.table(kind.get(), items, table.get()));
        }
        return Reply.json(200, attrs.verb().equals("get") ? items.get(0) : objects.listObject(kind.get(), items));
    }

    /** kubectl asks {@code application/json;as=Table;v=v1;g=meta.k8s.io, ...;v=v1beta1...}: answer the first we know. */
    static Optional<String> tableVersion(String accept) {
        if (accept == null) {
            return Optional.empty();
        }
        for (String media : accept.split(",")) {
            String m = media.replace(" ", "");
            if (m.contains("as=Table") && m.contains("g=meta.k8s.io")) {
                if (m.contains("v=v1beta1")) {
                    return Optional.of("v1beta1");
                }
                if (m.contains("v=v1")) {
                    return Optional.of("v1");
                }
            }
        }
        return Optional.empty();
    }

    private Reply simTraffic(String method, Map<String, String> query) {
        if (!method.equals("POST")) {
            return Reply.json(405, status(405, "MethodNotAllowed", "POST /sim/traffic?requests=N", GoJson.object()));
        }
        int requests;
        try {
            requests = Integer.parseInt(query.getOrDefault("requests", "1"));
        } catch (NumberFormatException e) {
            return Reply.json(400, status(400, "BadRequest", "requests must be a number", GoJson.object()));
        }
        if (requests < 0 || requests > 1_000_000) {
            return Reply.json(400, status(400, "BadRequest", "requests must be between 0 and 1000000", GoJson.object()));
        }
        TrafficGenerator.Burst burst = traffic.generate(requests);
        ObjectNode out = GoJson.object();
        out.put("requests", burst.requests());
        out.put("events", burst.events());
        ArrayNode ids = out.putArray("auditIDs");
        burst.auditIDs().forEach(ids::add);
        return Reply.json(200, out);
    }

    private ObjectNode version() {
        ObjectNode v = GoJson.object();
        v.put("major", Integer.toString(context.version().major()));
        v.put("minor", Integer.toString(context.version().minor()));
        v.put("gitVersion", context.version().toString());
        v.put("gitCommit", "0000000000000000000000000000000000000000");
        v.put("gitTreeState", "clean");
        v.put("buildDate", "2023-12-13T08:43:41Z");
        v.put("goVersion", "go1.21.5");
        v.put("compiler", "gc");
        v.put("platform", "linux/amd64");
        return v;
    }

    private ObjectNode apiVersions() {
        ObjectNode v = GoJson.object();
        v.put("kind", "APIVersions");
        v.putArray("versions").add("v1");
        v.putArray("serverAddressByClientCIDRs").addObject().put("clientCIDR", "0.0.0.0/0").put("serverAddress", serverAddress);
        return v;
    }

    private static ObjectNode apiGroups() {
        ObjectNode g = GoJson.object();
        g.put("kind", "APIGroupList");
        g.put("apiVersion", "v1");
        g.putArray("groups");
        return g;
    }

    private static ObjectNode coreResources() {
        ObjectNode list = GoJson.object();
        list.put("kind", "APIResourceList");
        list.put("groupVersion", "v1");
        ArrayNode resources = list.putArray("resources");
        resource(resources, "namespaces", "namespace", false, "Namespace", "ns");
        resource(resources, "nodes", "node", false, "Node", "no");
        resource(resources, "pods", "pod", true, "Pod", "po");
        return list;
    }

    private static void resource(ArrayNode into, String name, String singular, boolean namespaced, String kind, String shortName) {
        ObjectNode r = into.addObject();
        r.put("name", name);
        r.put("singularName", singular);
        r.put("namespaced", namespaced);
        r.put("kind", kind);
        ArrayNode verbs = r.putArray("verbs");
        List.of("create", "delete", "get", "list", "patch", "update", "watch").forEach(verbs::add);
        r.putArray("shortNames").add(shortName);
        if (kind.equals("Pod")) {
            r.putArray("categories").add("all");
        }
    }

    private static Reply notFound() {
        return Reply.json(404, status(404, "NotFound", "the server could not find the requested resource", GoJson.object()));
    }

    private static ObjectNode status(int code, String reason, String message, ObjectNode details) {
        ObjectNode s = GoJson.object();
        s.put("kind", "Status");
        s.put("apiVersion", "v1");
        s.putObject("metadata");
        s.put("status", "Failure");
        s.put("message", message);
        s.put("reason", reason);
        if (details != null) {
            s.set("details", details);
        }
        s.put("code", code);
        return s;
    }

    private static String forbiddenMessage(RequestInfo a) {
        String who = "User " + GoStrings.quote(a.user().username());
        if (!a.resourceRequest()) {
            return "forbidden: " + who + " cannot " + a.verb() + " path " + GoStrings.quote(a.path());
        }
        String scope = a.namespace().isEmpty() ? "at the cluster scope" : "in the namespace " + GoStrings.quote(a.namespace());
        String target = a.name().isEmpty() ? a.resource() : a.resource() + " " + GoStrings.quote(a.name());
        return target + " is forbidden: " + who + " cannot " + a.verb() + " resource " + GoStrings.quote(a.resource())
                + " in API group " + GoStrings.quote(a.apiGroup()) + " " + scope;
    }

    private static ObjectNode forbiddenDetails(RequestInfo a) {
        ObjectNode d = GoJson.object();
        if (a.resourceRequest()) {
            if (!a.name().isEmpty()) {
                d.put("name", a.name());
            }
            d.put("kind", a.resource());
        }
        return d;
    }

    private static JsonNode jsonOrNull(byte[] body) {
        if (body.length == 0) {
            return null;
        }
        try {
            return GoJson.MAPPER.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(key, value);
        }
        return out;
    }

    private static void send(HttpExchange http, Reply reply) throws IOException {
        http.getResponseHeaders().set("Content-Type", reply.contentType());
        http.getResponseHeaders().set("Cache-Control", "no-cache, private");
        http.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        http.sendResponseHeaders(reply.code(), reply.body().length);
        try (OutputStream out = http.getResponseBody()) {
            out.write(reply.body());
        }
    }
}
