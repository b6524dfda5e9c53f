import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.SplittableRandom;

/**
 * Writes a kube-apiserver audit log (audit.k8s.io/v1 Event JSON lines) shaped like a busy production cluster,
 * deterministically from a seed.
 *
 * <p>Field shapes follow the real v1.20.2 log in the shared corpus (field order of the Go struct, Go's
 * escaping of {@code &} as {@code \u0026}, managedFields, authorization annotations). The mix follows
 * peer-bench.md: about 97% of lines at Metadata level (median about 1.1 KB: kubelets, controllers and service
 * accounts with their {@code user.extra}), about 3% at RequestResponse level (Deployment and ConfigMap writes
 * carrying requestObject/responseObject, 2.5-8.5 KB), and a RequestReceived line for 10% of requests, sharing
 * the auditID of its ResponseComplete line a few lines later. (auditID, stage) is unique per line.
 *
 * <p>With {@code --rate R} it writes like a live API server instead: one write per line, R lines a second, for the
 * steady and recovery scenarios of bench/run.sh. {@code --burst AT:N} then writes N lines at once AT seconds in (a
 * backlog), after which the rate resumes; {@code --timeline F} appends "epoch-millis lines-written" to F every second.
 *
 * <pre>java GenAuditLog --events N --out FILE [--seed S] [--append] [--rate R [--burst AT:N] [--timeline F]]</pre>
 */
public final class GenAuditLog {

    static final double REQUEST_RESPONSE_SHARE = 0.03;
    static final double REQUEST_RECEIVED_SHARE = 0.10;

    public static void main(String[] args) throws IOException {
        long events = 1_000_000;
        long seed = 1;
        Path out = null;
        boolean append = false;
        double rate = 0;
        String burst = null;
        Path timeline = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--events" -> events = Long.parseLong(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--append" -> append = true;
                case "--rate" -> rate = Double.parseDouble(args[++i]);
                case "--burst" -> burst = args[++i];
                case "--timeline" -> timeline = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + "; usage: " + USAGE);
            }
        }
        if (out == null || events < 1 || (rate <= 0 && (burst != null || timeline != null))) {
            throw new IllegalArgumentException("usage: " + USAGE);
        }
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        long started = System.nanoTime();
        Stats stats;
        try (OutputStream os = new FileOutputStream(out.toFile(), append)) {
            GenAuditLog generator = new GenAuditLog(new SplittableRandom(seed), os);
            if (rate > 0) {
                generator.pace = new Pace(rate, burst, timeline);
            }
            stats = generator.write(events);
        }
        System.out.printf("%s: %d lines, %d bytes, %d distinct auditIDs, %d RequestReceived, %d RequestResponse-level,"
                        + " median Metadata line %d B, RequestResponse ResponseComplete %d-%d B, %.1f s%n",
                out, stats.lines, stats.bytes, stats.requests, stats.requestReceived, stats.requestResponse,
                stats.median(stats.metadataSizes), stats.minRr, stats.maxRr, (System.nanoTime() - started) / 1e9);
    }

    static final String USAGE = "GenAuditLog --events N --out FILE [--seed S] [--append] [--rate R [--burst AT_S:N]"
            + " [--timeline F]]";

    /** Live writing: one write per line at a rate, an optional burst, a timeline of lines written. */
    static final class Pace {
        final double rate;
        final long burstAtNanos;
        final long burstLines;
        final Path timeline;
        final long started = System.nanoTime();
        long scheduleStart = started, scheduleLines, burstLeft, nextTimeline = started;
        boolean burstDone;

        Pace(double rate, String burst, Path timeline) {
            this.rate = rate;
            if (burst == null) {
                burstAtNanos = Long.MAX_VALUE;
                burstLines = 0;
            } else {
                String[] p = burst.split(":", 2);
                burstAtNanos = started + (long) (Double.parseDouble(p[0]) * 1e9);
                burstLines = Long.parseLong(p[1]);
            }
            this.timeline = timeline;
        }
    }

    private Pace pace;

    /** After each line when pacing: write it out, then wait for the next line's due time (or run the burst). */
    private void paced() throws IOException {
        Pace p = pace;
        if (p.burstLeft > 0) {
            if (--p.burstLeft > 0) {
                return;
            }
            p.scheduleStart = System.nanoTime(); // the rate resumes from the end of the burst
            p.scheduleLines = 0;
        }
        flush();
        long now = System.nanoTime();
        if (p.timeline != null && now >= p.nextTimeline) {
            Files.writeString(p.timeline, System.currentTimeMillis() + " " + stats.lines + "\n",
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            p.nextTimeline += 1_000_000_000L;
        }
        if (!p.burstDone && now >= p.burstAtNanos) {
            p.burstDone = true;
            p.burstLeft = p.burstLines;
            return;
        }
        long due = p.scheduleStart + (long) (++p.scheduleLines * 1e9 / p.rate);
        long wait = due - now;
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while pacing", e);
            }
        }
    }

    static final class Stats {
        long lines, bytes, requests, requestReceived, requestResponse;
        final long[] metadataSizes = new long[1 << 16];
        long minRr = Long.MAX_VALUE, maxRr;

        long median(long[] histogram) {
            long total = 0;
            for (long c : histogram) total += c;
            long seen = 0;
            for (int i = 0; i < histogram.length; i++) {
                seen += histogram[i];
                if (seen * 2 >= total && total > 0) return i;
            }
            return 0;
        }
    }

    /** One request as the server logs it: everything but the stage-specific parts. */
    record Request(String auditId, String level, String uri, String verb, String user, String sourceIps,
                   String userAgent, String objectRef, int code, String status, String requestObject,
                   String responseObject, String annotations, long receivedMicros, long completedMicros) {
    }

    private static final String[] NAMESPACES = {"kube-system", "default", "monitoring", "cert-manager", "argocd",
            "ingress-nginx", "payments", "shop", "search", "checkout", "logging", "istio-system"};
    private static final String[] APPS = {"web", "api", "worker", "cart", "checkout", "indexer", "gateway",
            "billing", "ledger", "notifier", "frontend", "recommender"};
    private static final String VERSION = "v1.28.4";
    private static final String GIT = "kubernetes/bae2c62";
    private static final String[] CONTROLLER_SAS = {
            "cert-manager:cert-manager", "argocd:argocd-application-controller", "monitoring:prometheus-k8s",
            "kube-system:coredns", "ingress-nginx:ingress-nginx", "monitoring:kube-state-metrics",
            "logging:fluent-bit", "kube-system:cluster-autoscaler", "istio-system:istiod",
            "kube-system:aws-load-balancer-controller"};
    private static final String[] CONTROLLER_AGENTS = {
            "cert-manager-controller/v1.13.2 (linux/amd64) cert-manager/f0ba1d8a3d9c",
            "argocd-application-controller/v0.0.0 (linux/amd64) kubernetes/$Format",
            "prometheus/2.48.0", "coredns/v1.11.1 (linux/amd64) kubernetes/$Format",
            "nginx-ingress-controller/v1.9.4 (linux/amd64) ingress-nginx/5a4d3cd2d4fa6c4b2cd6d23ef0ffb6c9c7a8c8b5",
            "v2.10.1 (linux/amd64) kubernetes/$Format", "fluent-bit/2.2.0",
            "cluster-autoscaler/v1.28.2 (linux/amd64) kubernetes/$Format",
            "pilot-discovery/1.20.1", "aws-load-balancer-controller/v2.6.2 (linux/amd64) kubernetes/$Format"};

    private final SplittableRandom random;
    private final OutputStream os;
    private final byte[] buf = new byte[8 << 20];
    private int pos;
    private final Stats stats = new Stats();
    private final String[] nodes = new String[40];
    private final String[] nodeIps = new String[40];
    private long clockMicros = Instant.parse("2026-11-26T12:00:00Z").getEpochSecond() * 1_000_000L;
    private long cachedSecond = -1;
    private String cachedSecondText;

    GenAuditLog(SplittableRandom random, OutputStream os) {
        this.random = random;
        this.os = os;
        for (int i = 0; i < nodes.length; i++) {
            int b = random.nextInt(1, 255);
            int c = random.nextInt(1, 255);
            nodeIps[i] = "10.12." + b + "." + c;
            nodes[i] = "ip-10-12-" + b + "-" + c + ".eu-central-1.compute.internal";
        }
    }

    Stats write(long lines) throws IOException {
        // A RequestReceived line is followed by its ResponseComplete a few lines later, as requests overlap.
        ArrayDeque<Request> pending = new ArrayDeque<>();
        ArrayDeque<Long> dueAtLine = new ArrayDeque<>();
        long committed = 0;
        while (stats.lines < lines) {
            if (!pending.isEmpty() && (dueAtLine.peekFirst() <= stats.lines || committed >= lines)) {
                dueAtLine.pollFirst();
                emit(pending.pollFirst(), "ResponseComplete");
                continue;
            }
            Request r = random.nextDouble() < REQUEST_RESPONSE_SHARE ? writeRequest() : metadataRequest();
            stats.requests++;
            if (random.nextDouble() < REQUEST_RECEIVED_SHARE && lines - committed >= 2) {
                committed += 2;
                emit(r, "RequestReceived");
                pending.addLast(r);
                dueAtLine.addLast(stats.lines + random.nextInt(0, 6));
            } else {
                committed += 1;
                emit(r, "ResponseComplete");
            }
        }
        flush();
        return stats;
    }

    // ---- one line ----

    private void emit(Request r, String stage) throws IOException {
        if (buf.length - pos < (1 << 20)) {
            flush();
        }
        int start = pos;
        boolean complete = stage.equals("ResponseComplete");
        put("{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"").put(r.level)
                .put("\",\"auditID\":\"").put(r.auditId).put("\",\"stage\":\"").put(stage)
                .put("\",\"requestURI\":\"").put(r.uri).put("\",\"verb\":\"").put(r.verb)
                .put("\",\"user\":").put(r.user).put(",\"sourceIPs\":").put(r.sourceIps)
                .put(",\"userAgent\":\"").put(r.userAgent).put('"');
        if (r.objectRef != null) {
            put(",\"objectRef\":").put(r.objectRef);
        }
        if (complete) {
            put(",\"responseStatus\":").put(r.status);
        }
        if (r.requestObject != null) {
            put(",\"requestObject\":").put(r.requestObject);
        }
        if (complete && r.responseObject != null) {
            put(",\"responseObject\":").put(r.responseObject);
        }
        put(",\"requestReceivedTimestamp\":\"").timestamp(r.receivedMicros).put("\",\"stageTimestamp\":\"")
                .timestamp(complete ? r.completedMicros : r.receivedMicros).put('"');
        if (complete) {
            put(",\"annotations\":").put(r.annotations);
        }
        put("}\n");
        int size = pos - start;
        stats.lines++;
        stats.bytes += size;
        if (pace != null) {
            paced();
        }
        if (!complete) {
            stats.requestReceived++;
        }
        if (r.level.equals("Metadata")) {
            stats.metadataSizes[Math.min(size, stats.metadataSizes.length - 1)]++;
        } else {
            stats.requestResponse++;
            if (complete) {
                stats.minRr = Math.min(stats.minRr, size);
                stats.maxRr = Math.max(stats.maxRr, size);
            }
        }
    }

    // ---- Metadata-level traffic: who talks to an API server all day ----

    private Request metadataRequest() {
        int pick = random.nextInt(100);
        int node = random.nextInt(nodes.length);
        String ns = NAMESPACES[random.nextInt(NAMESPACES.length)];
        if (pick < 15) {
            String name = nodes[node];
            return simple("/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/" + name + "?timeout=10s",
                    "update", nodeUser(node), ips(nodeIps[node]), kubelet(),
                    updateRef("leases", "kube-node-lease", name, "coordination.k8s.io", "v1"), "");
        }
        if (pick < 21) {
            String name = nodes[node];
            return simple("/api/v1/nodes/" + name + "?resourceVersion=0\\u0026timeout=10s", "get", nodeUser(node),
                    ips(nodeIps[node]), kubelet(), ref("nodes", null, name, null, "v1"), "");
        }
        if (pick < 24) {
            String name = nodes[node];
            return simple("/api/v1/nodes/" + name + "/status?timeout=10s", "patch", nodeUser(node),
                    ips(nodeIps[node]), kubelet(),
                    "{\"resource\":\"nodes\",\"name\":\"" + name + "\",\"apiVersion\":\"v1\",\"subresource\":\"status\"}", "");
        }
        if (pick < 30) {
            String cm = APPS[random.nextInt(APPS.length)] + "-config";
            return simple("/api/v1/namespaces/" + ns + "/configmaps?allowWatchBookmarks=true\\u0026fieldSelector=metadata.name%3D"
                            + cm + "\\u0026resourceVersion=" + resourceVersion() + "\\u0026timeout=7m41s\\u0026timeoutSeconds=461\\u0026watch=true",
                    "watch", nodeUser(node), ips(nodeIps[node]), kubelet(), ref("configmaps", ns, cm, null, "v1"), "");
        }
        if (pick < 62) {
            int sa = random.nextInt(CONTROLLER_SAS.length);
            String[] parts = CONTROLLER_SAS[sa].split(":");
            String resource = random.nextBoolean() ? "leases" : "endpointslices";
            String group = resource.equals("leases") ? "coordination.k8s.io" : "discovery.k8s.io";
            String name = resource.equals("leases") ? parts[1] + "-leader-election" : APPS[random.nextInt(APPS.length)] + "-" + shortId();
            String verb = random.nextInt(3) == 0 ? "get" : "update";
            return simple("/apis/" + group + "/v1/namespaces/" + parts[0] + "/" + resource + "/" + name + (verb.equals("get") ? "" : "?timeout=5s"),
                    verb, serviceAccountUser(parts[0], parts[1], node), ips(podIp()), CONTROLLER_AGENTS[sa],
                    verb.equals("get") ? ref(resource, parts[0], name, group, "v1") : updateRef(resource, parts[0], name, group, "v1"),
                    "RBAC: allowed by ClusterRoleBinding \\\"" + parts[1] + "\\\" of ClusterRole \\\"" + parts[1]
                            + "\\\" to ServiceAccount \\\"" + parts[1] + "/" + parts[0] + "\\\"");
        }
        if (pick < 76) {
            String user = "{\"username\":\"system:kube-controller-manager\",\"groups\":[\"system:authenticated\"]}";
            String app = APPS[random.nextInt(APPS.length)];
            String uri;
            String ref;
            String verb;
            switch (random.nextInt(3)) {
                case 0 -> {
                    uri = "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-controller-manager?timeout=5s";
                    ref = updateRef("leases", "kube-system", "kube-controller-manager", "coordination.k8s.io", "v1");
                    verb = "update";
                }
                case 1 -> {
                    uri = "/apis/apps/v1/namespaces/" + ns + "/replicasets/" + app + "-" + shortId() + "/status";
                    ref = "{\"resource\":\"replicasets\",\"namespace\":\"" + ns + "\",\"name\":\"" + app
                            + "\",\"apiGroup\":\"apps\",\"apiVersion\":\"v1\",\"subresource\":\"status\"}";
                    verb = "update";
                }
                default -> {
                    uri = "/api/v1/namespaces/" + ns + "/endpoints/" + app;
                    ref = ref("endpoints", ns, app, null, "v1");
                    verb = "get";
                }
            }
            return simple(uri, verb, user, ips("10.12.0.10"),
                    "kube-controller-manager/" + VERSION + " (linux/amd64) " + GIT + "/system:serviceaccount:kube-system:endpoint-controller",
                    ref, "RBAC: allowed by ClusterRoleBinding \\\"system:kube-controller-manager\\\" of ClusterRole"
                            + " \\\"system:kube-controller-manager\\\" to User \\\"system:kube-controller-manager\\\"");
        }
        if (pick < 82) {
            String pod = APPS[random.nextInt(APPS.length)] + "-" + shortId() + "-" + shortId();
            return simple("/api/v1/namespaces/" + ns + "/pods/" + pod + "/binding", "create",
                    "{\"username\":\"system:kube-scheduler\",\"groups\":[\"system:authenticated\"]}", ips("10.12.0.10"),
                    "kube-scheduler/" + VERSION + " (linux/amd64) " + GIT + "/scheduler",
                    "{\"resource\":\"pods\",\"namespace\":\"" + ns + "\",\"name\":\"" + pod + "\",\"apiVersion\":\"v1\",\"subresource\":\"binding\"}",
                    "RBAC: allowed by ClusterRoleBinding \\\"system:kube-scheduler\\\" of ClusterRole"
                            + " \\\"system:kube-scheduler\\\" to User \\\"system:kube-scheduler\\\"");
        }
        if (pick < 88) {
            String name = APPS[random.nextInt(APPS.length)] + "-tls";
            return simple("/api/v1/namespaces/" + ns + "/secrets/" + name, "get",
                    serviceAccountUser(ns, "default", node), ips(podIp()),
                    "Go-http-client/2.0", ref("secrets", ns, name, null, "v1"),
                    "RBAC: allowed by RoleBinding \\\"secret-reader/" + ns + "\\\" of Role \\\"secret-reader\\\" to ServiceAccount \\\"default/" + ns + "\\\"");
        }
        if (pick < 90) {
            String name = APPS[random.nextInt(APPS.length)] + "-" + shortId();
            Request r = simple("/api/v1/namespaces/" + ns + "/secrets/" + name, "get",
                    serviceAccountUser(ns, "default", node), ips(podIp()), "curl/8.4.0",
                    ref("secrets", ns, name, null, "v1"), "");
            String status = "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"secrets \\\"" + name
                    + "\\\" is forbidden: User \\\"system:serviceaccount:" + ns + ":default\\\" cannot get resource"
                    + " \\\"secrets\\\" in API group \\\"\\\" in the namespace \\\"" + ns + "\\\"\",\"reason\":\"Forbidden\","
                    + "\"details\":{\"name\":\"" + name + "\",\"kind\":\"secrets\"},\"code\":403}";
            return new Request(r.auditId, r.level, r.uri, r.verb, r.user, r.sourceIps, r.userAgent, r.objectRef, 403,
                    status, null, null, "{\"authorization.k8s.io/decision\":\"forbid\",\"authorization.k8s.io/reason\":\"\"}",
                    r.receivedMicros, r.completedMicros);
        }
        String user = "{\"username\":\"oidc:" + APPS[random.nextInt(APPS.length)] + "-oncall@example.com\",\"groups\":[\"oidc:platform-team\",\"oidc:sre\",\"system:authenticated\"],"
                + "\"extra\":{\"oidc.example.com/session\":[\"" + uuid() + "\"]}}";
        return simple("/api/v1/namespaces/" + ns + "/pods?limit=500", "list", user, ips("203.0.113." + random.nextInt(1, 255)),
                "kubectl/" + VERSION + " (linux/amd64) " + GIT, ref("pods", ns, null, null, "v1"),
                "RBAC: allowed by ClusterRoleBinding \\\"platform-team-view\\\" of ClusterRole \\\"view\\\" to Group \\\"oidc:platform-team\\\"");
    }

    private Request simple(String uri, String verb, String user, String sourceIps, String userAgent, String objectRef,
                           String reason) {
        long received = tick();
        int code = verb.equals("create") ? 201 : 200;
        return new Request(uuid(), "Metadata", uri, verb, user, sourceIps, userAgent, objectRef, code,
                "{\"metadata\":{},\"code\":" + code + "}", null, null,
                "{\"authorization.k8s.io/decision\":\"allow\",\"authorization.k8s.io/reason\":\"" + reason + "\"}",
                received, received + random.nextInt(200, 40_000));
    }

    private String nodeUser(int node) {
        return "{\"username\":\"system:node:" + nodes[node] + "\",\"groups\":[\"system:nodes\",\"system:authenticated\"]}";
    }

    private String serviceAccountUser(String ns, String sa, int node) {
        String pod = sa + "-" + shortId() + "-" + shortId();
        return "{\"username\":\"system:serviceaccount:" + ns + ":" + sa + "\",\"uid\":\"" + uuid()
                + "\",\"groups\":[\"system:serviceaccounts\",\"system:serviceaccounts:" + ns + "\",\"system:authenticated\"],"
                + "\"extra\":{\"authentication.kubernetes.io/node-name\":[\"" + nodes[node] + "\"],"
                + "\"authentication.kubernetes.io/pod-name\":[\"" + pod + "\"],"
                + "\"authentication.kubernetes.io/pod-uid\":[\"" + uuid() + "\"]}}";
    }

    private String kubelet() {
        return "kubelet/" + VERSION + " (linux/amd64) " + GIT;
    }

    private static String ips(String ip) {
        return "[\"" + ip + "\"]";
    }

    private String podIp() {
        return "10.244." + random.nextInt(0, 40) + "." + random.nextInt(2, 255);
    }

    private static String ref(String resource, String ns, String name, String group, String version) {
        return ref(resource, ns, name, null, group, version, 0);
    }

    /** An update names the object's uid and the resourceVersion it was based on. */
    private String updateRef(String resource, String ns, String name, String group, String version) {
        return ref(resource, ns, name, uuid(), group, version, resourceVersion());
    }

    private static String ref(String resource, String ns, String name, String uid, String group, String version,
                              long resourceVersion) {
        StringBuilder sb = new StringBuilder(200).append("{\"resource\":\"").append(resource).append('"');
        if (ns != null) sb.append(",\"namespace\":\"").append(ns).append('"');
        if (name != null) sb.append(",\"name\":\"").append(name).append('"');
        if (uid != null) sb.append(",\"uid\":\"").append(uid).append('"');
        if (group != null) sb.append(",\"apiGroup\":\"").append(group).append('"');
        sb.append(",\"apiVersion\":\"").append(version).append('"');
        if (resourceVersion > 0) sb.append(",\"resourceVersion\":\"").append(resourceVersion).append('"');
        return sb.append('}').toString();
    }

    // ---- RequestResponse-level traffic: Deployment and ConfigMap writes with their objects ----

    private Request writeRequest() {
        String ns = NAMESPACES[random.nextInt(2, NAMESPACES.length)];
        String app = APPS[random.nextInt(APPS.length)];
        boolean deployment = random.nextBoolean();
        int verbPick = random.nextInt(10);
        String verb = verbPick < 3 ? "create" : verbPick < 6 ? "update" : "patch";
        int target = random.nextInt(2_500, 8_500);
        String uid = uuid();
        long rv = resourceVersion();
        long received = tick();
        String time = isoSecond(received);
        String resource = deployment ? "deployments" : "configmaps";
        String group = deployment ? "apps" : null;
        String base = deployment ? "/apis/apps/v1/namespaces/" + ns + "/deployments" : "/api/v1/namespaces/" + ns + "/configmaps";
        String manager = verb.equals("create") ? "kubectl-create" : verb.equals("update") ? "argocd-controller" : "kubectl-client-side-apply";
        String uri = (verb.equals("create") ? base : base + "/" + app) + "?fieldManager=" + manager + "\\u0026fieldValidation=Strict";
        String user = random.nextBoolean()
                ? serviceAccountUser("argocd", "argocd-application-controller", random.nextInt(nodes.length))
                : "{\"username\":\"oidc:deployer@example.com\",\"groups\":[\"oidc:platform-team\",\"system:authenticated\"]}";
        String agent = user.contains("argocd") ? CONTROLLER_AGENTS[1] : "kubectl/" + VERSION + " (linux/amd64) " + GIT;
        // Object size grows linearly with the padding items; measure twice and solve for the target line size.
        int probe0 = writeEvent(deployment, verb, ns, app, uid, rv, time, 0, 0).length();
        int probe1 = writeEvent(deployment, verb, ns, app, uid, rv, time, 8, 0).length();
        // Everything but the objects: the Request's strings, the field names, two timestamps, the reason annotation.
        int envelope = 600 + uri.length() + user.length() + agent.length() + 2 * ns.length() + 2 * app.length();
        int items = Math.max(0, (int) Math.round((target - envelope - probe0) * 8.0 / Math.max(1, probe1 - probe0)));
        long itemSeed = random.nextLong();
        String[] objects = writeEvent(deployment, verb, ns, app, uid, rv, time, items, itemSeed).split("\u0000", 2);
        int code = verb.equals("create") ? 201 : 200;
        return new Request(uuid(), "RequestResponse", uri, verb, user, ips(random.nextBoolean() ? podIp() : "203.0.113.7"), agent,
                ref(resource, ns, app, group, "v1"), code, "{\"metadata\":{},\"code\":" + code + "}", objects[0], objects[1],
                "{\"authorization.k8s.io/decision\":\"allow\",\"authorization.k8s.io/reason\":\"RBAC: allowed by ClusterRoleBinding"
                        + " \\\"platform-deployers\\\" of ClusterRole \\\"edit\\\" to Group \\\"oidc:platform-team\\\"\"}",
                received, received + random.nextInt(2_000, 30_000));
    }

    /** requestObject, a NUL, responseObject. */
    private String writeEvent(boolean deployment, String verb, String ns, String app, String uid, long rv, String time,
                              int items, long itemSeed) {
        SplittableRandom r = new SplittableRandom(itemSeed);
        StringBuilder keys = new StringBuilder();
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < items; i++) {
            String key = deployment ? "FEATURE_" + APPS[r.nextInt(APPS.length)].toUpperCase() + "_" + i : app + ".setting." + i;
            String value = Long.toHexString(r.nextLong()) + "-" + r.nextInt(1_000_000);
            if (i > 0) {
                keys.append(',');
                values.append(',');
            }
            keys.append("\"").append(deployment ? "k:{\\\"name\\\":\\\"" + key + "\\\"}" : "f:" + key).append("\":{")
                    .append(deployment ? "\".\":{},\"f:name\":{},\"f:value\":{}" : "").append('}');
            values.append(deployment ? "{\"name\":\"" + key + "\",\"value\":\"" + value + "\"}" : "\"" + key + "\":\"" + value + "\"");
        }
        String labels = "{\"app\":\"" + app + "\",\"app.kubernetes.io/part-of\":\"" + ns + "\",\"team\":\"platform\"}";
        String spec;
        String managed;
        String kind;
        String apiVersion;
        if (deployment) {
            kind = "Deployment";
            apiVersion = "apps/v1";
            String container = "{\"name\":\"" + app + "\",\"image\":\"registry.example.com/" + ns + "/" + app + ":1." + r.nextInt(40) + "." + r.nextInt(10)
                    + "\",\"ports\":[{\"name\":\"http\",\"containerPort\":8080,\"protocol\":\"TCP\"}],\"env\":[" + values
                    + "],\"resources\":{\"limits\":{\"memory\":\"512Mi\"},\"requests\":{\"cpu\":\"100m\",\"memory\":\"256Mi\"}},"
                    + "\"terminationMessagePath\":\"/dev/termination-log\",\"terminationMessagePolicy\":\"File\",\"imagePullPolicy\":\"IfNotPresent\"}";
            spec = "\"spec\":{\"replicas\":" + r.nextInt(1, 6) + ",\"selector\":{\"matchLabels\":{\"app\":\"" + app + "\"}},\"template\":{\"metadata\":"
                    + "{\"creationTimestamp\":null,\"labels\":" + labels + "},\"spec\":{\"containers\":[" + container + "],\"restartPolicy\":\"Always\","
                    + "\"terminationGracePeriodSeconds\":30,\"dnsPolicy\":\"ClusterFirst\",\"serviceAccountName\":\"" + app + "\",\"securityContext\":{},"
                    + "\"schedulerName\":\"default-scheduler\"}},\"strategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxUnavailable\":\"25%\","
                    + "\"maxSurge\":\"25%\"}},\"revisionHistoryLimit\":10,\"progressDeadlineSeconds\":600}";
            managed = "{\"f:metadata\":{\"f:labels\":{\".\":{},\"f:app\":{},\"f:app.kubernetes.io/part-of\":{},\"f:team\":{}}},\"f:spec\":{\"f:progressDeadlineSeconds\":{},"
                    + "\"f:replicas\":{},\"f:revisionHistoryLimit\":{},\"f:selector\":{},\"f:strategy\":{\"f:rollingUpdate\":{\".\":{},\"f:maxSurge\":{},"
                    + "\"f:maxUnavailable\":{}},\"f:type\":{}},\"f:template\":{\"f:metadata\":{\"f:labels\":{\".\":{},\"f:app\":{}}},\"f:spec\":{\"f:containers\":"
                    + "{\"k:{\\\"name\\\":\\\"" + app + "\\\"}\":{\".\":{},\"f:env\":{\".\":{}" + (items > 0 ? "," : "") + keys + "},\"f:image\":{},"
                    + "\"f:imagePullPolicy\":{},\"f:name\":{},\"f:resources\":{},\"f:terminationMessagePath\":{},\"f:terminationMessagePolicy\":{}}},"
                    + "\"f:dnsPolicy\":{},\"f:restartPolicy\":{},\"f:schedulerName\":{},\"f:securityContext\":{},\"f:terminationGracePeriodSeconds\":{}}}}}";
        } else {
            kind = "ConfigMap";
            apiVersion = "v1";
            spec = "\"data\":{" + values + "}";
            managed = "{\"f:data\":{\".\":{}" + (items > 0 ? "," : "") + keys + "},\"f:metadata\":{\"f:labels\":{\".\":{},\"f:app\":{}}}}";
        }
        String requestObject = "{\"kind\":\"" + kind + "\",\"apiVersion\":\"" + apiVersion + "\",\"metadata\":{\"name\":\"" + app
                + "\",\"namespace\":\"" + ns + "\",\"creationTimestamp\":null,\"labels\":" + labels + "}," + spec
                + (deployment ? ",\"status\":{}" : "") + "}";
        if (verb.equals("patch")) {
            requestObject = "{\"metadata\":{\"labels\":{\"team\":\"platform\"}}," + spec + "}";
        }
        String responseObject = "{\"kind\":\"" + kind + "\",\"apiVersion\":\"" + apiVersion + "\",\"metadata\":{\"name\":\"" + app
                + "\",\"namespace\":\"" + ns + "\",\"uid\":\"" + uid + "\",\"resourceVersion\":\"" + rv + "\","
                + (deployment ? "\"generation\":" + (1 + rv % 40) + "," : "") + "\"creationTimestamp\":\"" + time + "\",\"labels\":" + labels
                + ",\"managedFields\":[{\"manager\":\"kubectl-create\",\"operation\":\"Update\",\"apiVersion\":\"" + apiVersion + "\",\"time\":\""
                + time + "\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":" + managed + "}]}," + spec
                + (deployment ? ",\"status\":{\"observedGeneration\":" + (rv % 40) + ",\"replicas\":3,\"updatedReplicas\":3,\"readyReplicas\":3,"
                + "\"availableReplicas\":3,\"conditions\":[{\"type\":\"Available\",\"status\":\"True\",\"lastUpdateTime\":\"" + time
                + "\",\"lastTransitionTime\":\"" + time + "\",\"reason\":\"MinimumReplicasAvailable\",\"message\":\"Deployment has minimum availability.\"}]}" : "")
                + "}";
        return requestObject + "\u0000" + responseObject;
    }

    // ---- identifiers and time ----

    private static final byte[] HEX = "0123456789abcdef".getBytes();

    private String uuid() {
        long hi = random.nextLong();
        long lo = random.nextLong();
        hi = (hi & ~0xF000L) | 0x4000L;
        lo = (lo & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        byte[] b = new byte[36];
        int p = 0;
        for (int i = 0; i < 32; i++) {
            if (i == 8 || i == 12 || i == 16 || i == 20) b[p++] = '-';
            long word = i < 16 ? hi : lo;
            b[p++] = HEX[(int) (word >>> (60 - 4 * (i % 16))) & 0xF];
        }
        return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private String shortId() {
        return Long.toString(random.nextLong(0x1000000L, 0x7FFFFFFFFL), 36);
    }

    private long resourceVersion() {
        return 1_000_000 + random.nextInt(50_000_000);
    }

    /** Advances the log's clock: a busy server logs a few thousand requests a second. */
    private long tick() {
        clockMicros += random.nextInt(1, 600);
        return clockMicros;
    }

    private static String isoSecond(long micros) {
        return secondText(micros / 1_000_000) + "Z";
    }

    private static String secondText(long epochSecond) {
        String text = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC).toString();
        return text.length() == 16 ? text + ":00" : text; // LocalDateTime.toString drops ":00" seconds
    }

    private GenAuditLog timestamp(long micros) {
        long second = micros / 1_000_000;
        if (second != cachedSecond) {
            cachedSecond = second;
            cachedSecondText = secondText(second);
        }
        put(cachedSecondText).put('.');
        int frac = (int) (micros % 1_000_000);
        for (int div = 100_000; div > 0; div /= 10) {
            buf[pos++] = (byte) ('0' + (frac / div) % 10);
        }
        return put('Z');
    }

    // ---- output buffer ----

    private GenAuditLog put(String s) {
        int n = s.length();
        if (pos + n > buf.length) {
            throw new IllegalStateException("event larger than the output buffer");
        }
        for (int i = 0; i < n; i++) {
            buf[pos++] = (byte) s.charAt(i);
        }
        return this;
    }

    private GenAuditLog put(char c) {
        buf[pos++] = (byte) c;
        return this;
    }

    private void flush() throws IOException {
        os.write(buf, 0, pos);
        pos = 0;
    }
}
