package io.kubeaudit.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;

/**
 * The few API objects a one-node control plane holds that the agent and kubectl look at: the Node, the
 * kube-apiserver mirror pod (with {@code kubernetes.io/config.hash} = the static pod's UID, which kubeadm
 * watches to know the kubelet replaced the pod) and the standard namespaces, each also as a Table.
 */
final class ClusterObjects {

    private static final String NAME_DESCRIPTION = "Name must be unique within a namespace. Is required when creating "
            + "resources, although some resources may allow a client to request the generation of an appropriate name "
            + "automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be "
            + "updated. More info: http://kubernetes.io/docs/user-guide/identifiers#names";
    private static final String AGE_DESCRIPTION = "CreationTimestamp is a timestamp representing the server time when "
            + "this object was created. It is not guaranteed to be set in happens-before order across separate operations. "
            + "Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system.\n"
            + "Read-only.\nNull for lists.\nMore info: "
            + "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

    /** A Table column; priority 0 is shown by default, 1 only with {@code -o wide}. */
    record Column(String name, String format, int priority, String description) {
    }

    /** A kind the simulator serves: its objects and how a Table shows them. */
    record Kind(String resource, String kind, boolean namespaced, List<Column> columns,
                Function<ObjectNode, List<Object>> cells) {
    }

    private final ContainerContext context;
    private final Instant started;
    private final String nodeUid = UUID.randomUUID().toString();
    private final Map<String, Kind> kinds;

    ClusterObjects(ContainerContext context, Instant started) {
        this.context = context;
        this.started = started;
        this.kinds = Map.of(
                "nodes", new Kind("nodes", "Node", false, List.of(
                        col("Name", "name", 0, NAME_DESCRIPTION), col("Status", "", 0, "The status of the node"),
                        col("Roles", "", 0, "The roles of the node"), col("Age", "", 0, AGE_DESCRIPTION),
                        col("Version", "", 0, "Kubelet Version reported by the node."),
                        col("Internal-IP", "", 1, "List of internal IPs for the node."),
                        col("External-IP", "", 1, "List of external IPs for the node."),
                        col("OS-Image", "", 1, "OS image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy))."),
                        col("Kernel-Version", "", 1, "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64)."),
                        col("Container-Runtime", "", 1, "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).")),
                        n -> List.of(name(n), "Ready", "control-plane", age(n), context.version().toString(), "127.0.0.1",
                                "<none>", "Debian GNU/Linux 12 (bookworm)", System.getProperty("os.version"),
                                "containerd://1.7.24")),
                "pods", new Kind("pods", "Pod", true, List.of(
                        col("Name", "name", 0, NAME_DESCRIPTION),
                        col("Ready", "", 0, "The aggregate readiness state of this pod for accepting traffic."),
                        col("Status", "", 0, "The aggregate status of the containers in this pod."),
                        col("Restarts", "", 0, "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
                        col("Age", "", 0, AGE_DESCRIPTION),
                        col("IP", "", 1, "IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated."),
                        col("Node", "", 1, "NodeName is a request to schedule this pod onto a specific node. If it is non-empty, the scheduler simply schedules this pod onto that node, assuming that it fits resource requirements."),
                        col("Nominated Node", "", 1, "nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods."),
                        col("Readiness Gates", "", 1, "If specified, all readiness gates will be evaluated for pod readiness.")),
                        p -> List.of(name(p), "1/1", "Running", Integer.toString(context.restartCount()), age(p), "127.0.0.1",
                                context.nodeName(), "<none>", "<none>")),
                "namespaces", new Kind("namespaces", "Namespace", false, List.of(
                        col("Name", "name", 0, NAME_DESCRIPTION),
                        col("Status", "", 0, "The status of the namespace"), col("Age", "", 0, AGE_DESCRIPTION)),
                        ns -> List.of(name(ns), "Active", age(ns))));
    }

    Optional<Kind> kind(String resource) {
        return Optional.ofNullable(kinds.get(resource));
    }

    /** The objects of a kind in a namespace ("" = all namespaces), filtered by an equality label selector. */
    List<ObjectNode> list(Kind kind, String namespace, String labelSelector) {
        List<ObjectNode> all = switch (kind.resource()) {
            case "nodes" -> List.of(node());
            case "pods" -> context.pod().isEmpty() ? List.of() : List.of(mirrorPod());
            default -> List.of(namespace("default"), namespace("kube-node-lease"), namespace("kube-public"),
                    namespace("kube-system"));
        };
        List<ObjectNode> out = new ArrayList<>();
        for (ObjectNode o : all) {
            JsonNode meta = o.path("metadata");
            if (kind.namespaced() && !namespace.isEmpty() && !namespace.equals(meta.path("namespace").asText())) {
                continue;
            }
            if (LabelSelector.matches(labelSelector, meta.path("labels"))) {
                out.add(o);
            }
        }
        return out;
    }

    String resourceVersion() {
        return Long.toString(started.getEpochSecond() % 100000);
    }

    ObjectNode listObject(Kind kind, List<ObjectNode> items) {
        ObjectNode list = GoJson.object();
        list.put("kind", kind.kind() + "List");
        list.put("apiVersion", "v1");
        list.putObject("metadata").put("resourceVersion", resourceVersion());
        ArrayNode arr = list.putArray("items");
        for (ObjectNode item : items) {
            ObjectNode copy = item.deepCopy();
            copy.remove("kind");
            copy.remove("apiVersion");
            arr.add(copy);
        }
        return list;
    }

    ObjectNode table(Kind kind, List<ObjectNode> items, String tableVersion) {
        ObjectNode table = GoJson.object();
        table.put("kind", "Table");
        table.put("apiVersion", "meta.k8s.io/" + tableVersion);
        table.putObject("metadata").put("resourceVersion", resourceVersion());
        ArrayNode cols = table.putArray("columnDefinitions");
        for (Column c : kind.columns()) {
            ObjectNode col = cols.addObject();
            col.put("name", c.name());
            col.put("type", "string");
            col.put("format", c.format());
            col.put("description", c.description());
            col.put("priority", c.priority());
        }
        ArrayNode rows = table.putArray("rows");
        for (ObjectNode item : items) {
            ObjectNode row = rows.addObject();
            ArrayNode cells = row.putArray("cells");
            kind.cells().apply(item).forEach(v -> cells.add(v.toString()));
            ObjectNode partial = row.putObject("object");
            partial.put("kind", "PartialObjectMetadata");
            partial.put("apiVersion", "meta.k8s.io/" + tableVersion);
            partial.set("metadata", item.path("metadata").deepCopy());
        }
        return table;
    }

    private ObjectNode node() {
        ObjectNode n = GoJson.object();
        n.put("kind", "Node");
        n.put("apiVersion", "v1");
        ObjectNode meta = n.putObject("metadata");
        meta.put("name", context.nodeName());
        meta.put("uid", nodeUid);
        meta.put("resourceVersion", resourceVersion());
        meta.put("creationTimestamp", timestamp(context.nodeCreated()));
        ObjectNode labels = meta.putObject("labels");
        labels.put("beta.kubernetes.io/arch", "amd64");
        labels.put("beta.kubernetes.io/os", "linux");
        labels.put("kubernetes.io/arch", "amd64");
        labels.put("kubernetes.io/hostname", context.nodeName());
        labels.put("kubernetes.io/os", "linux");
        labels.put("node-role.kubernetes.io/control-plane", "");
        labels.put("node.kubernetes.io/exclude-from-external-load-balancers", "");
        meta.putObject("annotations").put("kubeadm.alpha.kubernetes.io/cri-socket", "unix:///var/run/containerd/containerd.sock");
        n.putObject("spec").putArray("taints").addObject().put("key", "node-role.kubernetes.io/control-plane")
                .put("effect", "NoSchedule");
        ObjectNode status = n.putObject("status");
        ObjectNode ready = status.putArray("conditions").addObject();
        ready.put("type", "Ready");
        ready.put("status", "True");
        ready.put("lastHeartbeatTime", timestamp(Instant.now()));
        ready.put("lastTransitionTime", timestamp(context.nodeCreated()));
        ready.put("reason", "KubeletReady");
        ready.put("message", "kubelet is posting ready status");
        ArrayNode addresses = status.putArray("addresses");
        addresses.addObject().put("type", "InternalIP").put("address", "127.0.0.1");
        addresses.addObject().put("type", "Hostname").put("address", context.nodeName());
        ObjectNode info = status.putObject("nodeInfo");
        info.put("kernelVersion", System.getProperty("os.version"));
        info.put("osImage", "Debian GNU/Linux 12 (bookworm)");
        info.put("containerRuntimeVersion", "containerd://1.7.24");
        info.put("kubeletVersion", context.version().toString());
        info.put("kubeProxyVersion", context.version().toString());
        info.put("operatingSystem", "linux");
        info.put("architecture", "amd64");
        return n;
    }

    /** The static pod's manifest as the kubelet mirrors it into the API, with the annotations kubeadm reads. */
    private ObjectNode mirrorPod() {
        ObjectNode p = context.pod().deepCopy();
        p.put("kind", "Pod");
        p.put("apiVersion", "v1");
        ObjectNode meta = p.withObjectProperty("metadata");
        String base = meta.path("name").asText("kube-apiserver");
        meta.put("name", base + "-" + context.nodeName().toLowerCase(java.util.Locale.ROOT));
        if (!meta.has("namespace")) {
            meta.put("namespace", "default");
        }
        meta.put("uid", UUID.nameUUIDFromBytes(context.podUid().getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString());
        meta.put("resourceVersion", resourceVersion());
        meta.put("creationTimestamp", timestamp(started));
        ObjectNode annotations = meta.withObjectProperty("annotations");
        annotations.put("kubernetes.io/config.hash", context.podUid());
        annotations.put("kubernetes.io/config.mirror", context.podUid());
        annotations.put("kubernetes.io/config.seen", timestamp(started));
        annotations.put("kubernetes.io/config.source", "file");
        // A Go map: encoding/json writes its keys sorted.
        TreeMap<String, JsonNode> sorted = new TreeMap<>();
        annotations.properties().forEach(en -> sorted.put(en.getKey(), en.getValue()));
        annotations.removeAll();
        annotations.setAll(sorted);
        ObjectNode owner = meta.putArray("ownerReferences").addObject();
        owner.put("apiVersion", "v1");
        owner.put("kind", "Node");
        owner.put("name", context.nodeName());
        owner.put("uid", nodeUid);
        owner.put("controller", true);
        p.withObjectProperty("spec").put("nodeName", context.nodeName());
        p.remove("status");
        ObjectNode status = p.putObject("status");
        status.put("phase", "Running");
        status.put("hostIP", "127.0.0.1");
        status.put("podIP", "127.0.0.1");
        status.put("startTime", timestamp(started));
        ObjectNode cs = status.putArray("containerStatuses").addObject();
        cs.put("name", p.path("spec").path("containers").path(0).path("name").asText("kube-apiserver"));
        cs.put("ready", true);
        cs.put("restartCount", context.restartCount());
        cs.put("image", p.path("spec").path("containers").path(0).path("image").asText(""));
        cs.put("containerID", "containerd://" + context.containerId());
        cs.put("started", true);
        cs.putObject("state").putObject("running").put("startedAt", timestamp(started));
        return p;
    }

    private ObjectNode namespace(String name) {
        ObjectNode ns = GoJson.object();
        ns.put("kind", "Namespace");
        ns.put("apiVersion", "v1");
        ObjectNode meta = ns.putObject("metadata");
        meta.put("name", name);
        meta.put("uid", UUID.nameUUIDFromBytes(name.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString());
        meta.put("resourceVersion", resourceVersion());
        meta.put("creationTimestamp", timestamp(context.nodeCreated()));
        meta.putObject("labels").put("kubernetes.io/metadata.name", name);
        ns.putObject("spec").putArray("finalizers").add("kubernetes");
        ns.putObject("status").put("phase", "Active");
        return ns;
    }

    private static Column col(String name, String format, int priority, String description) {
        return new Column(name, format, priority, description);
    }

    private static String name(ObjectNode o) {
        return o.path("metadata").path("name").asText();
    }

    private static String age(ObjectNode o) {
        Instant created = Instant.parse(o.path("metadata").path("creationTimestamp").asText());
        return humanDuration(Duration.between(created, Instant.now()));
    }

    static String timestamp(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** k8s.io/apimachinery duration.HumanDuration, which the server uses for Age cells. */
    static String humanDuration(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 120) {
            return s + "s";
        }
        long m = s / 60;
        if (m < 10) {
            return s % 60 == 0 ? m + "m" : m + "m" + (s % 60) + "s";
        }
        if (m < 180) {
            return m + "m";
        }
        long h = m / 60;
        if (h < 8) {
            return m % 60 == 0 ? h + "h" : h + "h" + (m % 60) + "m";
        }
        if (h < 48) {
            return h + "h";
        }
        if (h < 24 * 8) {
            return h % 24 == 0 ? (h / 24) + "d" : (h / 24) + "d" + (h % 24) + "h";
        }
        if (h < 24 * 365 * 2) {
            return (h / 24) + "d";
        }
        long days = h / 24;
        return days / 365 < 8 ? (days / 365) + "y" + (days % 365) + "d" : (days / 365) + "y";
    }
}
