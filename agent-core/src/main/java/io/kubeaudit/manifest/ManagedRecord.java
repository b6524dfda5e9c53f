package io.kubeaudit.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeaudit.yaml.InvalidInputException;
import io.kubeaudit.yaml.SourceLocation;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * What the agent changed in a manifest, kept in the manifest itself (annotation
 * {@value #ANNOTATION}) so that teardown removes exactly that and leaves what the operator had:
 * the flags, volumes and mounts it added, and the original text of flag values it overwrote.
 */
record ManagedRecord(List<String> flags, List<String> volumes, List<MountRef> mounts, List<Restore> restores) {

    static final String ANNOTATION = "kube-audit-agent/managed";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of("flags", "volumes", "mounts", "restore");

    /** A mount the agent added to the kube-apiserver container. */
    record MountRef(String volume, String mountPath) {
    }

    /** The n-th occurrence of a flag had its value text replaced; {@code text} is what stood there. */
    record Restore(String flag, int occurrence, String text) {
    }

    ManagedRecord {
        flags = List.copyOf(flags);
        volumes = List.copyOf(volumes);
        mounts = List.copyOf(mounts);
        restores = List.copyOf(restores);
    }

    String toJson() {
        ObjectNode root = JSON.createObjectNode();
        if (!flags.isEmpty()) {
            flags.forEach(root.putArray("flags")::add);
        }
        if (!volumes.isEmpty()) {
            volumes.forEach(root.putArray("volumes")::add);
        }
        if (!mounts.isEmpty()) {
            ArrayNode list = root.putArray("mounts");
            mounts.forEach(m -> list.addObject().put("volume", m.volume()).put("mountPath", m.mountPath()));
        }
        if (!restores.isEmpty()) {
            ArrayNode list = root.putArray("restore");
            restores.forEach(r -> list.addObject().put("flag", r.flag()).put("occurrence", r.occurrence()).put("text", r.text()));
        }
        return root.toString();
    }

    static ManagedRecord fromJson(String json, SourceLocation at) throws InvalidInputException {
        try {
            JsonNode root = JSON.readTree(json);
            if (root == null || !root.isObject()) {
                throw unreadable(at, "not a JSON object");
            }
            for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
                String field = it.next();
                if (!FIELDS.contains(field)) {
                    throw unreadable(at, "unknown field \"" + field + "\"");
                }
            }
            List<MountRef> mounts = new ArrayList<>();
            for (JsonNode m : array(root, "mounts", at)) {
                mounts.add(new MountRef(text(m, "volume", at), text(m, "mountPath", at)));
            }
            List<Restore> restores = new ArrayList<>();
            for (JsonNode r : array(root, "restore", at)) {
                if (!r.path("occurrence").canConvertToInt() || r.path("occurrence").asInt() < 0) {
                    throw unreadable(at, "restore entry without a valid occurrence");
                }
                restores.add(new Restore(text(r, "flag", at), r.path("occurrence").asInt(), text(r, "text", at)));
            }
            return new ManagedRecord(texts(root, "flags", at), texts(root, "volumes", at), mounts, restores);
        } catch (JsonProcessingException e) {
            throw unreadable(at, e.getOriginalMessage());
        }
    }

    private static List<JsonNode> array(JsonNode root, String field, SourceLocation at) throws InvalidInputException {
        JsonNode node = root.path(field);
        if (node.isMissingNode()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw unreadable(at, "\"" + field + "\" is not a list");
        }
        List<JsonNode> out = new ArrayList<>();
        node.forEach(out::add);
        return out;
    }

    private static List<String> texts(JsonNode root, String field, SourceLocation at) throws InvalidInputException {
        List<String> out = new ArrayList<>();
        for (JsonNode n : array(root, field, at)) {
            if (!n.isTextual()) {
                throw unreadable(at, "\"" + field + "\" must hold strings");
            }
            out.add(n.asText());
        }
        return out;
    }

    private static String text(JsonNode n, String field, SourceLocation at) throws InvalidInputException {
        if (!n.path(field).isTextual()) {
            throw unreadable(at, "entry without \"" + field + "\"");
        }
        return n.path(field).asText();
    }

    private static InvalidInputException unreadable(SourceLocation at, String problem) {
        return new InvalidInputException(at, "annotation " + ANNOTATION + " is not what kube-audit-agent writes ("
                + problem + "), so what to undo is unknown; remove the annotation and the agent's audit flags,"
                + " volumes and mounts by hand");
    }

    /** Collects what one enable run changes. */
    static final class Builder {
        private final List<String> flags = new ArrayList<>();
        private final List<String> volumes = new ArrayList<>();
        private final List<MountRef> mounts = new ArrayList<>();
        private final List<Restore> restores = new ArrayList<>();

        void addedFlag(String name) {
            flags.add(name);
        }

        void addedVolume(String name) {
            volumes.add(name);
        }

        void addedMount(String volume, String mountPath) {
            mounts.add(new MountRef(volume, mountPath));
        }

        void replacedFlagValue(String flag, int occurrence, String originalText) {
            restores.add(new Restore(flag, occurrence, originalText));
        }

        ManagedRecord build() {
            return new ManagedRecord(flags, volumes, mounts, restores);
        }
    }
}
