package io.kubeaudit.kubeadm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * What the agent changed in the ClusterConfiguration, kept on the ConfigMap itself (annotation
 * {@value #ANNOTATION}) and written in the same update as the change, so that teardown removes exactly
 * that and puts back what the operator had: the extraArgs it added, the original values of extraArgs it
 * overwrote, and the extraVolumes it added.
 *
 * <p>Why a record rather than "remove what equals our values": an operator's own {@code audit-log-maxage: "7"}
 * replaced by ours must come back as 7, and an argument the operator had with our value must stay. The
 * record travels with the object (every control-plane node sees it) and is guarded by the same resourceVersion.
 */
record WriteThroughRecord(List<String> args, List<Restore> restores, List<String> volumes) {

    static final String ANNOTATION = "kube-audit-agent/managed";
    static final WriteThroughRecord NONE = new WriteThroughRecord(List.of(), List.of(), List.of());

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of("args", "restore", "volumes");

    /** The {@code occurrence}-th extraArg named {@code name} had {@code value} before the agent set its own. */
    record Restore(String name, int occurrence, String value) {
    }

    WriteThroughRecord {
        args = List.copyOf(args);
        restores = List.copyOf(restores);
        volumes = List.copyOf(volumes);
    }

    boolean isEmpty() {
        return args.isEmpty() && restores.isEmpty() && volumes.isEmpty();
    }

    String toJson() {
        ObjectNode root = JSON.createObjectNode();
        if (!args.isEmpty()) {
            args.forEach(root.putArray("args")::add);
        }
        if (!restores.isEmpty()) {
            ArrayNode list = root.putArray("restore");
            restores.forEach(r -> list.addObject().put("name", r.name()).put("occurrence", r.occurrence()).put("value", r.value()));
        }
        if (!volumes.isEmpty()) {
            volumes.forEach(root.putArray("volumes")::add);
        }
        return root.toString();
    }

    /** @param json the annotation's value; null when the ConfigMap has none (nothing recorded) */
    static WriteThroughRecord fromJson(String json) throws KubeadmConfigException {
        if (json == null) {
            return NONE;
        }
        try {
            JsonNode root = JSON.readTree(json);
            if (root == null || !root.isObject()) {
                throw unreadable("not a JSON object");
            }
            for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
                String field = it.next();
                if (!FIELDS.contains(field)) {
                    throw unreadable("unknown field \"" + field + "\"");
                }
            }
            List<Restore> restores = new ArrayList<>();
            for (JsonNode r : array(root, "restore")) {
                if (!r.path("name").isTextual() || !r.path("value").isTextual() || !r.path("occurrence").canConvertToInt()
                        || r.path("occurrence").asInt() < 0) {
                    throw unreadable("a restore entry without name, occurrence and value");
                }
                restores.add(new Restore(r.path("name").asText(), r.path("occurrence").asInt(), r.path("value").asText()));
            }
            return new WriteThroughRecord(texts(root, "args"), restores, texts(root, "volumes"));
        } catch (JsonProcessingException e) {
            throw unreadable(e.getOriginalMessage());
        }
    }

    private static List<JsonNode> array(JsonNode root, String field) throws KubeadmConfigException {
        JsonNode node = root.path(field);
        if (node.isMissingNode()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw unreadable("\"" + field + "\" is not a list");
        }
        List<JsonNode> out = new ArrayList<>();
        node.forEach(out::add);
        return out;
    }

    private static List<String> texts(JsonNode root, String field) throws KubeadmConfigException {
        List<String> out = new ArrayList<>();
        for (JsonNode n : array(root, field)) {
            if (!n.isTextual()) {
                throw unreadable("\"" + field + "\" must hold strings");
            }
            out.add(n.asText());
        }
        return out;
    }

    private static KubeadmConfigException unreadable(String problem) {
        return new KubeadmConfigException("annotation " + ANNOTATION + " on " + KubeadmConfigMap.OBJECT + " is not what"
                + " kube-audit-agent writes (" + problem + "), so what to undo is unknown: nothing was written. Remove the"
                + " annotation and the agent's audit-* extraArgs and audit extraVolumes from the ClusterConfiguration by hand");
    }

    /** Collects what one write-through changes. */
    static final class Builder {
        private final List<String> args = new ArrayList<>();
        private final List<Restore> restores = new ArrayList<>();
        private final List<String> volumes = new ArrayList<>();

        void addedArg(String name) {
            args.add(name);
        }

        void replacedArg(String name, int occurrence, String original) {
            restores.add(new Restore(name, occurrence, original));
        }

        void addedVolume(String name) {
            volumes.add(name);
        }

        WriteThroughRecord build() {
            return new WriteThroughRecord(args, restores, volumes);
        }
    }
}
