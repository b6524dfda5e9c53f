package io.kubeaudit.manifest;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.Yaml;

/**
 * A manifest loaded as plain data by SnakeYAML, independent of the editor's own parser, so tests check
 * the editor's output the way the kubelet sees it.
 */
@SuppressWarnings("unchecked")
record PodView(Map<String, Object> pod) {

    static PodView of(String text) {
        return new PodView(new Yaml().load(text));
    }

    Map<String, Object> spec() {
        return (Map<String, Object>) pod.get("spec");
    }

    Map<String, Object> container() {
        return ((List<Map<String, Object>>) spec().get("containers")).stream()
                .filter(c -> "kube-apiserver".equals(c.get("name"))).findFirst().orElseThrow();
    }

    List<String> command() {
        return (List<String>) container().get("command");
    }

    /** How many command items set {@code flag}, and the values they set. */
    List<String> values(String flag) {
        return command().stream().filter(i -> i.startsWith(flag + "=")).map(i -> i.substring(flag.length() + 1)).toList();
    }

    List<Map<String, Object>> mounts() {
        return (List<Map<String, Object>>) container().getOrDefault("volumeMounts", List.of());
    }

    List<Map<String, Object>> volumes() {
        return (List<Map<String, Object>>) spec().getOrDefault("volumes", List.of());
    }

    Map<String, Object> volume(String name) {
        return volumes().stream().filter(v -> name.equals(v.get("name"))).findFirst().orElseThrow();
    }

    String annotation(String key) {
        Map<String, Object> metadata = (Map<String, Object>) pod.get("metadata");
        Map<String, Object> annotations = (Map<String, Object>) metadata.getOrDefault("annotations", Map.of());
        return (String) annotations.get(key);
    }

    /** The mount the container sees {@code path} through: the deepest one covering it. */
    Optional<Map<String, Object>> mountCovering(String path) {
        Map<String, Object> best = null;
        for (Map<String, Object> m : mounts()) {
            String mp = ((String) m.get("mountPath")).replaceAll("/+$", "");
            if ((path.equals(mp) || path.startsWith(mp + "/")) && (best == null || mp.length() > ((String) best.get("mountPath")).replaceAll("/+$", "").length())) {
                best = m;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The node path behind a container path, through hostPath volumes only. */
    Optional<String> hostPathOf(String path) {
        return mountCovering(path).flatMap(m -> {
            Map<String, Object> hostPath = (Map<String, Object>) volume((String) m.get("name")).get("hostPath");
            if (hostPath == null) {
                return Optional.empty();
            }
            String mp = ((String) m.get("mountPath")).replaceAll("/+$", "");
            return Optional.of(((String) hostPath.get("path")).replaceAll("/+$", "") + path.substring(mp.length()));
        });
    }

    String hostPath(String volume) {
        return (String) ((Map<String, Object>) volume(volume).get("hostPath")).get("path");
    }

    String hostPathType(String volume) {
        Map<String, Object> hostPath = (Map<String, Object>) volume(volume).get("hostPath");
        return (String) hostPath.getOrDefault("type", "");
    }
}
