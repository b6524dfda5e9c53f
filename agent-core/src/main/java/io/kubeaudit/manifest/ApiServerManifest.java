package io.kubeaudit.manifest;

import io.kubeaudit.node.KubeVersion;
import io.kubeaudit.yaml.InvalidInputException;
import io.kubeaudit.yaml.SourceLocation;
import io.kubeaudit.yaml.YamlDocuments;
import io.kubeaudit.yaml.YamlNodes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions.FlowStyle;
import org.yaml.snakeyaml.DumperOptions.ScalarStyle;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A kube-apiserver static Pod manifest as the kubelet reads it, kept together with its exact text so
 * that edits touch only what they change. Parsing refuses what is not a Pod running kube-apiserver, or
 * a kube-apiserver whose flags are hidden in one shell string.
 */
public final class ApiServerManifest {

    static final String COMPONENT = "kube-apiserver";
    private static final int DEFAULT_SECURE_PORT = 6443;
    private static final String KUBEADM_ENDPOINT_ANNOTATION = "kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint";

    private final String fileName;
    private final SourceText source;
    private final MappingNode root;
    private final MappingNode metadata;
    private final MappingNode spec;
    private final SequenceNode containers;
    private final MappingNode container;
    private final int containerIndex;
    private final CommandLine commandLine;
    private final List<PodVolume> volumes;
    private final List<VolumeMount> mounts;

    private ApiServerManifest(String fileName, SourceText source, MappingNode root, MappingNode metadata, MappingNode spec,
                              SequenceNode containers, int containerIndex) throws InvalidInputException {
        this.fileName = fileName;
        this.source = source;
        this.root = root;
        this.metadata = metadata;
        this.spec = spec;
        this.containers = containers;
        this.containerIndex = containerIndex;
        this.container = (MappingNode) containers.getValue().get(containerIndex);
        String path = containerPath();
        this.commandLine = CommandLine.of(fileName, container, path);
        this.volumes = PodVolume.list(fileName, volumesNode());
        this.mounts = VolumeMount.list(fileName, mountsNode());
        Optional<String> port = flag("--secure-port");
        if (port.isPresent() && !port.get().matches("\\d{1,5}")) {
            throw YamlNodes.error(fileName, flagItems("--secure-port").get(0).valueCarrier(),
                    "--secure-port must be a port number, found \"" + port.get() + "\"");
        }
    }

    public static ApiServerManifest parse(String fileName, String text) throws InvalidInputException {
        Node doc = YamlDocuments.single(fileName, text);
        if (!(doc instanceof MappingNode root)) {
            throw YamlNodes.error(fileName, doc, "is not a Kubernetes object (expected a mapping with kind: Pod)");
        }
        Optional<ScalarNode> kind = YamlNodes.scalarAt(fileName, root, "kind", "kind");
        if (kind.isEmpty()) {
            throw YamlNodes.error(fileName, root, "has no kind, so it is not a Pod manifest");
        }
        if (!kind.get().getValue().equals("Pod")) {
            throw YamlNodes.error(fileName, kind.get(), "kind is " + kind.get().getValue()
                    + ", not Pod: only a static Pod manifest runs kube-apiserver");
        }
        Optional<ScalarNode> apiVersion = YamlNodes.scalarAt(fileName, root, "apiVersion", "apiVersion");
        if (apiVersion.isEmpty() || !apiVersion.get().getValue().equals("v1")) {
            throw YamlNodes.error(fileName, apiVersion.<Node>map(n -> n).orElse(root), "apiVersion must be v1 for a Pod");
        }
        MappingNode metadata = YamlNodes.mappingAt(fileName, root, "metadata", "metadata")
                .orElseThrow(() -> YamlNodes.error(fileName, root, "has no metadata"));
        MappingNode spec = YamlNodes.mappingAt(fileName, root, "spec", "spec")
                .orElseThrow(() -> YamlNodes.error(fileName, root, "has no spec"));
        SequenceNode containers = YamlNodes.sequenceAt(fileName, spec, "containers", "spec.containers")
                .orElseThrow(() -> YamlNodes.error(fileName, spec, "spec has no containers"));
        return new ApiServerManifest(fileName, new SourceText(text), root, metadata, spec, containers,
                apiServerContainer(fileName, containers));
    }

    /**
     * Whether any document in {@code text} is a Pod the kubelet would run as an API server: named
     * kube-apiserver (in any namespace: the kubelet defaults a missing one), labelled
     * component=kube-apiserver, or with a container named kube-apiserver or running the binary. Lenient,
     * for scanning the other files of the manifests directory.
     */
    public static boolean declaresKubeApiServer(String text) {
        List<Node> docs;
        try {
            docs = YamlDocuments.all("", text);
        } catch (InvalidInputException e) {
            return false; // the kubelet cannot parse this file either, so it runs no pod from it
        }
        for (Node doc : docs) {
            if (doc instanceof MappingNode root && YamlNodes.scalarText(root, "kind").orElse("").equals("Pod")
                    && declaresApiServer(root)) {
                return true;
            }
        }
        return false;
    }

    private static boolean declaresApiServer(MappingNode pod) {
        if (YamlNodes.present(pod, "metadata").orElse(null) instanceof MappingNode metadata) {
            boolean named = YamlNodes.scalarText(metadata, "name").orElse("").equals(COMPONENT);
            boolean labelled = YamlNodes.present(metadata, "labels").orElse(null) instanceof MappingNode labels
                    && YamlNodes.scalarText(labels, "component").orElse("").equals(COMPONENT);
            if (named || labelled) {
                return true;
            }
        }
        if (YamlNodes.present(pod, "spec").orElse(null) instanceof MappingNode spec
                && YamlNodes.present(spec, "containers").orElse(null) instanceof SequenceNode list) {
            for (Node c : list.getValue()) {
                if (c instanceof MappingNode m && (YamlNodes.scalarText(m, "name").orElse("").equals(COMPONENT)
                        || YamlNodes.present(m, "command").orElse(null) instanceof SequenceNode cmd && CommandLine.runsApiServer(cmd))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int apiServerContainer(String file, SequenceNode containers) throws InvalidInputException {
        List<Node> items = containers.getValue();
        List<String> names = new ArrayList<>();
        int byCommand = -1;
        for (int i = 0; i < items.size(); i++) {
            if (!(items.get(i) instanceof MappingNode c)) {
                throw YamlNodes.error(file, items.get(i), "spec.containers[" + i + "] must be a mapping");
            }
            String name = YamlNodes.scalarText(c, "name").orElse("");
            if (name.equals(COMPONENT)) {
                return i;
            }
            names.add(name);
            if (byCommand < 0 && YamlNodes.present(c, "command").orElse(null) instanceof SequenceNode cmd && CommandLine.runsApiServer(cmd)) {
                byCommand = i;
            }
        }
        if (byCommand >= 0) {
            return byCommand;
        }
        throw YamlNodes.error(file, containers, "no container is named kube-apiserver or runs the kube-apiserver binary"
                + " (containers: " + String.join(", ", names) + ")");
    }

    public String fileName() {
        return fileName;
    }

    public String text() {
        return source.text();
    }

    /** The version in the kube-apiserver container's image tag; empty for digests and tags like "latest". */
    public Optional<KubeVersion> serverVersion() {
        return KubeVersion.fromImage(image());
    }

    /** The image reference, "" when the container has none. */
    public String image() {
        return YamlNodes.scalarText(container, "image").orElse("");
    }

    /**
     * The kube-apiserver flags by name with their leading dashes ({@code "--audit-log-path"}), in order
     * of appearance; for a flag given twice the last value wins, as the server reads it. A bare boolean
     * flag reads "true".
     */
    public Map<String, String> flags() {
        Map<String, String> out = new LinkedHashMap<>();
        for (FlagItem f : commandLine.flags()) {
            out.remove(f.name());
            out.put(f.name(), f.value());
        }
        return Collections.unmodifiableMap(out);
    }

    public Optional<String> flag(String name) {
        return Optional.ofNullable(flags().get(name));
    }

    /** The container's mounts of hostPath volumes, in the order of its volumeMounts. */
    public List<HostPathMount> hostPathMounts() {
        List<HostPathMount> out = new ArrayList<>();
        for (VolumeMount m : mounts) {
            volume(m.name()).flatMap(PodVolume::hostPath).ifPresent(hp ->
                    out.add(new HostPathMount(m.name(), hp.path(), m.mountPath(), hp.type(), m.readOnly())));
        }
        return out;
    }

    /** The port the server serves HTTPS on: --secure-port, 6443 by default. */
    public int securePort() {
        return flag("--secure-port").map(Integer::parseInt).orElse(DEFAULT_SECURE_PORT);
    }

    /**
     * The address this node's API server answers on: --advertise-address, else the host of kubeadm's
     * endpoint annotation, else a specific --bind-address, else 127.0.0.1 (the server binds all
     * interfaces by default).
     */
    public String advertiseAddress() {
        Optional<String> advertised = flag("--advertise-address").filter(a -> !a.isBlank());
        if (advertised.isPresent()) {
            return advertised.get();
        }
        Optional<String> endpoint = annotation(KUBEADM_ENDPOINT_ANNOTATION).filter(e -> e.lastIndexOf(':') > 0);
        if (endpoint.isPresent()) {
            String host = endpoint.get().substring(0, endpoint.get().lastIndexOf(':'));
            return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        }
        return flag("--bind-address").filter(b -> !b.isBlank() && !b.equals("0.0.0.0") && !b.equals("::"))
                .orElse("127.0.0.1");
    }

    public Optional<String> annotation(String key) {
        return Optional.ofNullable(annotations().get(key));
    }

    /** metadata.annotations with their string values, in file order. */
    public Map<String, String> annotations() {
        Map<String, String> out = new LinkedHashMap<>();
        annotationsNode().ifPresent(a -> {
            for (NodeTuple t : a.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k && t.getValueNode() instanceof ScalarNode v) {
                    out.put(k.getValue(), v.getValue());
                }
            }
        });
        return Collections.unmodifiableMap(out);
    }

    /**
     * The node path behind a path inside the container: the deepest mount covering it decides, as in
     * the container itself. Empty when that mount is not a hostPath, or nothing covers the path.
     */
    public Optional<String> mountedHostPathFor(String containerPath) {
        return coveringMount(containerPath).flatMap(m -> volume(m.name()).flatMap(PodVolume::hostPath)
                .map(hp -> PathNames.join(hp.path(), PathNames.relative(containerPath, m.mountPath()))));
    }

    // ---- for the editor and preflight in this package

    /** The deepest mount of the container whose mountPath contains {@code containerPath}. */
    Optional<VolumeMount> coveringMount(String containerPath) {
        VolumeMount best = null;
        for (VolumeMount m : mounts) {
            if (volume(m.name()).isPresent() && PathNames.within(containerPath, m.mountPath())
                    && (best == null || PathNames.normalize(m.mountPath()).length() > PathNames.normalize(best.mountPath()).length())) {
                best = m;
            }
        }
        return Optional.ofNullable(best);
    }

    Optional<PodVolume> volume(String name) {
        return volumes.stream().filter(v -> !name.isEmpty() && v.name().equals(name)).findFirst();
    }

    List<PodVolume> volumes() {
        return volumes;
    }

    List<VolumeMount> mounts() {
        return mounts;
    }

    List<FlagItem> flagItems(String name) {
        return commandLine.flags().stream().filter(f -> f.name().equals(name)).toList();
    }

    CommandLine commandLine() {
        return commandLine;
    }

    MappingNode metadataNode() {
        return metadata;
    }

    Optional<MappingNode> annotationsNode() {
        return YamlNodes.present(metadata, "annotations").filter(MappingNode.class::isInstance).map(MappingNode.class::cast);
    }

    MappingNode specNode() {
        return spec;
    }

    MappingNode containerNode() {
        return container;
    }

    Optional<SequenceNode> volumesNode() {
        return YamlNodes.present(spec, "volumes").filter(SequenceNode.class::isInstance).map(SequenceNode.class::cast);
    }

    Optional<SequenceNode> mountsNode() {
        return YamlNodes.present(container, "volumeMounts").filter(SequenceNode.class::isInstance).map(SequenceNode.class::cast);
    }

    String containerPath() {
        return "spec.containers[" + containerIndex + "]";
    }

    SourceLocation location(Node node) {
        return SourceLocation.of(fileName, node);
    }

    SourceLocation imageLocation() {
        return location(YamlNodes.present(container, "image").orElse(container));
    }

    YamlEdits edits() {
        boolean json = root.getFlowStyle() == FlowStyle.FLOW && !root.getValue().isEmpty()
                && root.getValue().get(0).getKeyNode() instanceof ScalarNode k && k.getScalarStyle() == ScalarStyle.DOUBLE_QUOTED;
        return new YamlEdits(fileName, source, BlockIndent.of(root), json);
    }

    /** Names of other containers (and init containers) that mount volume {@code name}. */
    List<String> otherContainersMounting(String name) {
        List<String> out = new ArrayList<>();
        for (String list : List.of("containers", "initContainers")) {
            if (YamlNodes.present(spec, list).orElse(null) instanceof SequenceNode seq) {
                for (Node c : seq.getValue()) {
                    if (c != container && c instanceof MappingNode m && YamlNodes.present(m, "volumeMounts").orElse(null) instanceof SequenceNode vm
                            && vm.getValue().stream().anyMatch(x -> x instanceof MappingNode xm && YamlNodes.scalarText(xm, "name").orElse("").equals(name))) {
                        out.add(YamlNodes.scalarText(m, "name").orElse("?"));
                    }
                }
            }
        }
        return out;
    }

    /**
     * Refuses to edit a pod the kubelet would reject anyway (a volume without a name, a mount of a
     * volume that does not exist: the editor must not make it worse or hide it), or one whose parts
     * to edit use YAML anchors (changing one place would silently change another).
     */
    void requireEditable() throws InvalidInputException {
        requireNoAnchors(metadata);
        requireNoAnchors(container);
        if (volumesNode().isPresent()) {
            requireNoAnchors(volumesNode().get());
        }
        Set<String> names = new HashSet<>();
        for (PodVolume v : volumes) {
            if (v.name().isEmpty()) {
                throw YamlNodes.error(fileName, v.node(), "spec.volumes[" + v.index() + "] has no name; the kubelet rejects"
                        + " this pod, so no API server runs from it: fix the manifest before enabling audit");
            }
            if (!names.add(v.name())) {
                throw YamlNodes.error(fileName, v.node(), "spec.volumes[" + v.index() + "]: volume name \"" + v.name()
                        + "\" is used twice; the kubelet rejects this pod: fix the manifest before enabling audit");
            }
        }
        for (VolumeMount m : mounts) {
            if (!names.contains(m.name())) {
                throw YamlNodes.error(fileName, m.node(), containerPath() + ".volumeMounts[" + m.index() + "] mounts volume \""
                        + m.name() + "\", which spec.volumes does not define; the kubelet rejects this pod:"
                        + " fix the manifest before enabling audit");
            }
        }
    }

    private void requireNoAnchors(Node part) throws InvalidInputException {
        Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Node> todo = new ArrayList<>(List.of(part));
        while (!todo.isEmpty()) {
            Node n = todo.remove(todo.size() - 1);
            if (n.getAnchor() != null || !seen.add(n)) {
                throw YamlNodes.error(fileName, n, "uses a YAML anchor or alias (&name / *name) in a part kube-audit-agent"
                        + " would edit; an edit there could silently change another place, so write it out in full");
            }
            if (n instanceof MappingNode m) {
                for (NodeTuple t : m.getValue()) {
                    todo.add(t.getKeyNode());
                    todo.add(t.getValueNode());
                }
            } else if (n instanceof SequenceNode s) {
                todo.addAll(s.getValue());
            }
        }
    }
}
