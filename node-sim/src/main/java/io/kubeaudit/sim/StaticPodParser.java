package io.kubeaudit.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads one static-pod manifest the way the kubelet's file source does (pkg/kubelet/config: common.go
 * tryDecodeSinglePod, applyDefaults): YAML to JSON, decode as a v1 Pod (any other kind "couldn't parse as
 * pod"), default the namespace and name, compute the config hash, then validate what a broken manifest edit
 * would break (containers, images, volume names, mounts that name no volume, hostPath types). Unknown fields
 * are dropped silently, as the kubelet does.
 */
final class StaticPodParser {

    /** The kubelet reads at most this much of a manifest (maxConfigLength). */
    static final long MAX_CONFIG_LENGTH = 10L * 1024 * 1024;

    private static final ObjectMapper CANONICAL = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    private static final Set<String> HOST_PATH_TYPES = Set.of("", "DirectoryOrCreate", "Directory", "FileOrCreate", "File",
            "Socket", "CharDevice", "BlockDevice");

    /** Why a manifest yields no pod; the message is what the kubelet logs after the file name. */
    static final class ManifestException extends Exception {
        ManifestException(String message) {
            super(message);
        }
    }

    private StaticPodParser() {
    }

    /**
     * @param file the manifest on this machine
     * @param nodePath the same file as the node sees it (goes into the config hash and messages)
     */
    static StaticPod parse(Path file, String nodePath, String nodeName) throws ManifestException, IOException {
        byte[] data = Files.readAllBytes(file);
        if (data.length > MAX_CONFIG_LENGTH) {
            throw new ManifestException(nodePath + ": couldn't parse as pod(file is larger than " + MAX_CONFIG_LENGTH
                    + " bytes), please check config file");
        }
        JsonNode json;
        try {
            json = toJson(new String(data, StandardCharsets.UTF_8));
            checkKind(json);
        } catch (ManifestException e) {
            throw new ManifestException(nodePath + ": couldn't parse as pod(" + e.getMessage() + "), please check config file");
        }
        ObjectNode pod = (ObjectNode) json;
        try {
            return build(pod, nodePath, nodeName);
        } catch (ManifestException e) {
            throw new ManifestException(e.getMessage().startsWith("json: ")
                    ? nodePath + ": couldn't parse as pod(" + e.getMessage() + "), please check config file"
                    : "invalid pod: " + e.getMessage());
        }
    }

    /** sigs.k8s.io/yaml: the first document, converted to JSON types (timestamps stay strings). */
    private static JsonNode toJson(String text) throws ManifestException {
        try {
            for (Node n : new Yaml(new LoaderOptions()).composeAll(new StringReader(text))) {
                if (n != null) {
                    return convert(n);
                }
            }
            return JsonNodeFactory.instance.nullNode();
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw new ManifestException("yaml: line " + line + ": " + e.getProblem());
        } catch (YAMLException e) {
            throw new ManifestException("yaml: " + e.getMessage());
        }
    }

    private static JsonNode convert(Node n) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (n instanceof MappingNode m) {
            ObjectNode o = f.objectNode();
            for (NodeTuple t : m.getValue()) {
                String key = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : t.getKeyNode().toString();
                o.set(key, convert(t.getValueNode()));
            }
            return o;
        }
        if (n instanceof SequenceNode s) {
            ArrayNode a = f.arrayNode();
            s.getValue().forEach(item -> a.add(convert(item)));
            return a;
        }
        ScalarNode s = (ScalarNode) n;
        Tag tag = s.getTag();
        if (tag.equals(Tag.NULL)) {
            return f.nullNode();
        }
        if (tag.equals(Tag.BOOL)) {
            return f.booleanNode(List.of("true", "yes", "on", "y").contains(s.getValue().toLowerCase(Locale.ROOT)));
        }
        if (tag.equals(Tag.INT)) {
            try {
                return f.numberNode(Long.decode(s.getValue().replace("_", "")));
            } catch (NumberFormatException e) {
                return f.textNode(s.getValue());
            }
        }
        if (tag.equals(Tag.FLOAT)) {
            try {
                return f.numberNode(Double.parseDouble(s.getValue()));
            } catch (NumberFormatException e) {
                return f.textNode(s.getValue());
            }
        }
        return f.textNode(s.getValue());
    }

    private static void checkKind(JsonNode json) throws ManifestException {
        if (!(json instanceof ObjectNode o)) {
            throw new ManifestException("couldn't get version/kind; json parse error: json: cannot unmarshal "
                    + jsonType(json) + " into Go value of type struct { APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; "
                    + "Kind string \"json:\\\"kind,omitempty\\\"\" }");
        }
        String kind = o.path("kind").asText("");
        String apiVersion = o.path("apiVersion").asText("");
        if (kind.isEmpty()) {
            throw new ManifestException("Object 'Kind' is missing in '" + GoJson.write(json) + "'");
        }
        if (apiVersion.isEmpty()) {
            throw new ManifestException("Object 'apiVersion' is missing in '" + GoJson.write(json) + "'");
        }
        if (!apiVersion.equals("v1") || !kind.equals("Pod")) {
            throw new ManifestException("no kind " + GoStrings.quote(kind) + " is registered for version "
                    + GoStrings.quote(apiVersion) + " in scheme \"pkg/api/legacyscheme/scheme.go:30\"");
        }
    }

    private static StaticPod build(ObjectNode pod, String nodePath, String nodeName)
            throws ManifestException {
        JsonNode meta = object(pod.path("metadata"), "Pod.metadata", "v1.ObjectMeta");
        JsonNode spec = object(pod.path("spec"), "Pod.spec", "v1.PodSpec");
        String namespace = text(meta.path("namespace"), "ObjectMeta.metadata.namespace");
        if (namespace.isEmpty()) {
            namespace = "default";
            ((ObjectNode) pod.withObjectProperty("metadata")).put("namespace", namespace);
        }
        String name = text(meta.path("name"), "ObjectMeta.metadata.name");
        String uid = text(meta.path("uid"), "ObjectMeta.metadata.uid");
        if (uid.isEmpty()) {
            uid = configHash(pod, nodePath, nodeName);
        }
        List<StaticPod.Container> containers = new ArrayList<>();
        JsonNode cs = array(spec.path("containers"), "PodSpec.spec.containers", "[]v1.Container");
        for (JsonNode c : cs) {
            containers.add(container(object(c, "PodSpec.spec.containers", "v1.Container")));
        }
        List<StaticPod.Volume> volumes = new ArrayList<>();
        for (JsonNode v : array(spec.path("volumes"), "PodSpec.spec.volumes", "[]v1.Volume")) {
            volumes.add(volume(object(v, "PodSpec.spec.volumes", "v1.Volume")));
        }
        long grace = spec.path("terminationGracePeriodSeconds").asLong(30);
        validate(name, nodeName, containers, volumes);
        return new StaticPod(nodePath, uid, namespace, name, name + "-" + nodeName.toLowerCase(Locale.ROOT),
                containers.get(0), volumes, grace, pod);
    }

    private static StaticPod.Container container(JsonNode c) throws ManifestException {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode e : array(c.path("env"), "Container.spec.containers.env", "[]v1.EnvVar")) {
            env.put(text(e.path("name"), "EnvVar.spec.containers.env.name"), text(e.path("value"), "EnvVar.spec.containers.env.value"));
        }
        List<StaticPod.VolumeMount> mounts = new ArrayList<>();
        for (JsonNode m : array(c.path("volumeMounts"), "Container.spec.containers.volumeMounts", "[]v1.VolumeMount")) {
            JsonNode ro = m.path("readOnly");
            if (!ro.isMissingNode() && !ro.isNull() && !ro.isBoolean()) {
                throw new ManifestException("json: cannot unmarshal " + jsonType(ro)
                        + " into Go struct field VolumeMount.spec.containers.volumeMounts.readOnly of type bool");
            }
            mounts.add(new StaticPod.VolumeMount(text(m.path("name"), "VolumeMount.spec.containers.volumeMounts.name"),
                    text(m.path("mountPath"), "VolumeMount.spec.containers.volumeMounts.mountPath"), ro.asBoolean(false),
                    text(m.path("subPath"), "VolumeMount.spec.containers.volumeMounts.subPath")));
        }
        return new StaticPod.Container(text(c.path("name"), "Container.spec.containers.name"),
                text(c.path("image"), "Container.spec.containers.image"),
                strings(c.path("command"), "Container.spec.containers.command"),
                strings(c.path("args"), "Container.spec.containers.args"), env, mounts);
    }

    private static StaticPod.Volume volume(JsonNode v) throws ManifestException {
        String name = text(v.path("name"), "Volume.spec.volumes.name");
        JsonNode hp = v.path("hostPath");
        if (hp.isMissingNode() || hp.isNull()) {
            return new StaticPod.Volume(name, Optional.empty());
        }
        object(hp, "Volume.spec.volumes.hostPath", "v1.HostPathVolumeSource");
        return new StaticPod.Volume(name, Optional.of(new StaticPod.HostPath(
                text(hp.path("path"), "HostPathVolumeSource.spec.volumes.hostPath.path"),
                text(hp.path("type"), "HostPathVolumeSource.spec.volumes.hostPath.type"))));
    }

    /** The parts of ValidatePodCreate a manifest edit can get wrong; messages as field.ErrorList prints them. */
    private static void validate(String name, String nodeName, List<StaticPod.Container> containers,
                                 List<StaticPod.Volume> volumes) throws ManifestException {
        List<String> errors = new ArrayList<>();
        if (name.isEmpty()) {
            errors.add("metadata.name: Invalid value: \"-" + nodeName.toLowerCase(Locale.ROOT)
                    + "\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
                    + "and must start and end with an alphanumeric character");
        }
        Set<String> volumeNames = new HashSet<>();
        for (int i = 0; i < volumes.size(); i++) {
            StaticPod.Volume v = volumes.get(i);
            String p = "spec.volumes[" + i + "]";
            if (v.name().isEmpty()) {
                errors.add(p + ".name: Required value");
            } else if (!volumeNames.add(v.name())) {
                errors.add(p + ".name: Duplicate value: " + GoStrings.quote(v.name()));
            }
            if (v.hostPath().isPresent()) {
                StaticPod.HostPath hp = v.hostPath().get();
                if (hp.path().isEmpty()) {
                    errors.add(p + ".hostPath.path: Required value");
                }
                if (!HOST_PATH_TYPES.contains(hp.type())) {
                    errors.add(p + ".hostPath.type: Unsupported value: " + GoStrings.quote(hp.type())
                            + ": supported values: \"\", \"BlockDevice\", \"CharDevice\", \"Directory\", \"DirectoryOrCreate\", "
                            + "\"File\", \"FileOrCreate\", \"Socket\"");
                }
            }
        }
        if (containers.isEmpty()) {
            errors.add("spec.containers: Required value");
        }
        for (int i = 0; i < containers.size(); i++) {
            StaticPod.Container c = containers.get(i);
            String p = "spec.containers[" + i + "]";
            if (c.name().isEmpty()) {
                errors.add(p + ".name: Required value");
            }
            if (c.image().isEmpty()) {
                errors.add(p + ".image: Required value");
            }
            Set<String> mountPaths = new HashSet<>();
            for (int j = 0; j < c.volumeMounts().size(); j++) {
                StaticPod.VolumeMount m = c.volumeMounts().get(j);
                String mp = p + ".volumeMounts[" + j + "]";
                if (m.name().isEmpty()) {
                    errors.add(mp + ".name: Required value");
                } else if (!volumeNames.contains(m.name())) {
                    errors.add(mp + ".name: Not found: " + GoStrings.quote(m.name()));
                }
                if (m.mountPath().isEmpty()) {
                    errors.add(mp + ".mountPath: Required value");
                } else if (!mountPaths.add(m.mountPath())) {
                    errors.add(mp + ".mountPath: Invalid value: " + GoStrings.quote(m.mountPath()) + ": must be unique");
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new ManifestException("[" + String.join(", ", errors) + "]");
        }
    }

    /**
     * kubernetes.io/config.hash: md5 of the node name, the file path and the decoded pod. Hashing the decoded
     * object (keys sorted) means comments, whitespace and key order do not change it; any semantic change or a
     * different file name does.
     */
    static String configHash(JsonNode pod, String nodePath, String nodeName) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update(("host:" + nodeName).getBytes(StandardCharsets.UTF_8));
            md5.update(("file:" + nodePath).getBytes(StandardCharsets.UTF_8));
            md5.update(CANONICAL.writeValueAsBytes(CANONICAL.treeToValue(pod, Object.class)));
            return HexFormat.of().formatHex(md5.digest());
        } catch (NoSuchAlgorithmException | IOException e) {
            throw new IllegalStateException("cannot hash a decoded pod", e);
        }
    }

    private static JsonNode object(JsonNode n, String field, String goType) throws ManifestException {
        if (n.isMissingNode() || n.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!n.isObject()) {
            throw typeError(n, field, goType);
        }
        return n;
    }

    private static JsonNode array(JsonNode n, String field, String goType) throws ManifestException {
        if (n.isMissingNode() || n.isNull()) {
            return JsonNodeFactory.instance.arrayNode();
        }
        if (!n.isArray()) {
            throw typeError(n, field, goType);
        }
        return n;
    }

    private static String text(JsonNode n, String field) throws ManifestException {
        if (n.isMissingNode() || n.isNull()) {
            return "";
        }
        if (!n.isTextual()) {
            throw typeError(n, field, "string");
        }
        return n.asText();
    }

    private static List<String> strings(JsonNode n, String field) throws ManifestException {
        List<String> out = new ArrayList<>();
        for (JsonNode item : array(n, field, "[]string")) {
            out.add(text(item, field));
        }
        return out;
    }

    private static ManifestException typeError(JsonNode n, String field, String goType) {
        return new ManifestException("json: cannot unmarshal " + jsonType(n) + " into Go struct field " + field
                + " of type " + goType);
    }

    private static String jsonType(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return "null";
        }
        if (n.isObject()) {
            return "object";
        }
        if (n.isArray()) {
            return "array";
        }
        if (n.isBoolean()) {
            return "bool";
        }
        return n.isNumber() ? "number" : "string";
    }
}
