package io.kubeaudit.manifest;

import io.kubeaudit.yaml.InvalidInputException;
import io.kubeaudit.yaml.YamlNodes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A manifest being edited, one small text edit at a time. After every edit the text is parsed again, so
 * each step sees exact positions and an edit that broke the YAML is caught at once. Nodes handed to
 * these methods must come from the current {@link #manifest()}.
 */
final class WorkingCopy {

    private ApiServerManifest current;

    WorkingCopy(ApiServerManifest start) {
        this.current = start;
    }

    ApiServerManifest manifest() {
        return current;
    }

    private void apply(TextEdit edit) throws InvalidInputException {
        current = ApiServerManifest.parse(current.fileName(), edit.applyTo(current.text()));
    }

    private YamlEdits edits() {
        return current.edits();
    }

    void replaceScalar(ScalarNode node, String value) throws InvalidInputException {
        apply(edits().replaceScalar(node, value));
    }

    String scalarRegion(ScalarNode node) {
        return edits().scalarRegion(node);
    }

    void restoreScalarRegion(ScalarNode node, String region) throws InvalidInputException {
        apply(edits().restoreScalarRegion(node, region));
    }

    void insertEntry(MappingNode map, String key, YamlValue value) throws InvalidInputException {
        apply(edits().insertEntry(map, key, value));
    }

    // ---- flags

    /** Adds {@code name=value} where it sorts if the flags are sorted (as kubeadm writes them), else last. */
    void addFlag(String name, String value) throws InvalidInputException {
        CommandLine line = current.commandLine();
        SequenceNode target = line.target();
        int before = -1;
        List<FlagItem> inTarget = line.flags().stream().filter(f -> f.sequence() == target).toList();
        if (YamlEdits.isSorted(inTarget.stream().map(FlagItem::name).toList())) {
            before = inTarget.stream().filter(f -> f.name().compareTo(name) > 0).mapToInt(FlagItem::index).findFirst().orElse(-1);
        }
        apply(edits().insertItem(target, before, new YamlValue.Text(name + "=" + value)));
    }

    void removeFlag(FlagItem flag) throws InvalidInputException {
        apply(edits().removeItems(flag.sequence(), flag.index(), flag.itemCount()));
    }

    // ---- volumes and mounts

    void addVolume(String name, String hostPath, String type) throws InvalidInputException {
        YamlValue.Entries volume = YamlValue.Entries.of(
                YamlValue.entry("hostPath", YamlValue.Entries.of(YamlValue.entry("path", hostPath), YamlValue.entry("type", type))),
                YamlValue.entry("name", name));
        addNamedItem(ApiServerManifest::specNode, "volumes", "spec.volumes", volume, name);
    }

    void addMount(String volume, String mountPath, boolean readOnly) throws InvalidInputException {
        List<YamlValue.Entry> entries = new ArrayList<>(List.of(YamlValue.entry("mountPath", mountPath), YamlValue.entry("name", volume)));
        if (readOnly) {
            entries.add(YamlValue.entry("readOnly", true));
        }
        addNamedItem(ApiServerManifest::containerNode, "volumeMounts", current.containerPath() + ".volumeMounts",
                new YamlValue.Entries(entries), volume);
    }

    void removeVolume(String name) throws InvalidInputException {
        Optional<PodVolume> v = current.volume(name);
        if (v.isPresent()) {
            removeItem(ApiServerManifest::specNode, "volumes", v.get().index());
        }
    }

    void removeMount(String volume, String mountPath) throws InvalidInputException {
        Optional<VolumeMount> m = current.mounts().stream()
                .filter(x -> x.name().equals(volume) && PathNames.normalize(x.mountPath()).equals(PathNames.normalize(mountPath)))
                .findFirst();
        if (m.isPresent()) {
            removeItem(ApiServerManifest::containerNode, "volumeMounts", m.get().index());
        }
    }

    /** A list of things with a "name", kept in name order when it already is. */
    private void addNamedItem(Function<ApiServerManifest, MappingNode> owner, String key, String path,
                              YamlValue.Entries item, String name) throws InvalidInputException {
        Optional<SequenceNode> list = YamlNodes.sequenceAt(current.fileName(), owner.apply(current), key, path);
        if (list.isEmpty()) {
            dropNullEntry(owner.apply(current), key);
            apply(edits().insertEntry(owner.apply(current), key, new YamlValue.Items(List.of(item))));
            return;
        }
        List<String> names = new ArrayList<>();
        for (Node n : list.get().getValue()) {
            names.add(n instanceof MappingNode m ? YamlNodes.scalarText(m, "name").orElse("") : "");
        }
        int before = -1;
        if (YamlEdits.isSorted(names)) {
            for (int i = 0; i < names.size() && before < 0; i++) {
                if (names.get(i).compareTo(name) > 0) {
                    before = i;
                }
            }
        }
        apply(edits().insertItem(list.get(), before, item));
    }

    /** Removes a list item; the whole key when it was the last item of a block list (the agent created it). */
    private void removeItem(Function<ApiServerManifest, MappingNode> owner, String key, int index) throws InvalidInputException {
        SequenceNode list = (SequenceNode) YamlNodes.present(owner.apply(current), key).orElseThrow();
        if (list.getValue().size() == 1 && BlockIndent.isBlock(list)) {
            apply(edits().removeEntry(owner.apply(current), key));
        } else {
            apply(edits().removeItems(list, index, 1));
        }
    }

    // ---- annotations

    void setAnnotation(String key, String value) throws InvalidInputException {
        MappingNode metadata = current.metadataNode();
        Optional<MappingNode> annotations = YamlNodes.mappingAt(current.fileName(), metadata, "annotations", "metadata.annotations");
        if (annotations.isEmpty()) {
            dropNullEntry(metadata, "annotations");
            apply(edits().insertEntry(current.metadataNode(), "annotations", YamlValue.Entries.of(YamlValue.entry(key, value))));
            return;
        }
        Optional<NodeTuple> existing = YamlNodes.entry(annotations.get(), key);
        if (existing.isEmpty()) {
            apply(edits().insertEntry(annotations.get(), key, new YamlValue.Text(value)));
        } else if (!(existing.get().getValueNode() instanceof ScalarNode s)) {
            throw YamlNodes.error(current.fileName(), existing.get().getValueNode(), "annotation " + key + " must be a string");
        } else if (!s.getValue().equals(value)) {
            replaceScalar(s, value);
        }
    }

    void removeAnnotation(String key) throws InvalidInputException {
        Optional<MappingNode> annotations = current.annotationsNode();
        if (annotations.isEmpty() || YamlNodes.entry(annotations.get(), key).isEmpty()) {
            return;
        }
        if (annotations.get().getValue().size() == 1 && BlockIndent.isBlock(annotations.get())) {
            apply(edits().removeEntry(current.metadataNode(), "annotations"));
        } else {
            apply(edits().removeEntry(annotations.get(), key));
        }
    }

    /** A key written with no value ({@code volumes:}) is replaced rather than given a twin. */
    private void dropNullEntry(MappingNode owner, String key) throws InvalidInputException {
        if (YamlNodes.entry(owner, key).isPresent()) {
            apply(edits().removeEntry(owner, key));
        }
    }
}
