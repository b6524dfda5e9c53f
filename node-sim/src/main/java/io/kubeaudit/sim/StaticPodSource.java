package io.kubeaudit.sim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The kubelet's file source for static pods (pkg/kubelet/config/file.go, file_linux.go): a store keyed by
 * namespace/name, fed by watch events and replaced by a periodic full re-list.
 * <ul>
 * <li>Names starting with a dot are ignored, subdirectories are not entered, every other file is parsed as a
 * pod whatever its extension.</li>
 * <li>Re-list: files in sorted order, a later file declaring the same pod wins ({@code kube-apiserver.yaml.bak}
 * beats {@code kube-apiserver.yaml}); a file that no longer parses contributes nothing, so its pod is removed.</li>
 * <li>Watch event: the touched file's pod replaces the stored one; a parse error is logged and the old pod
 * stays; a removed file removes the pod it declared, even if another file declares it too (until the next
 * re-list).</li>
 * </ul>
 * Only the kubelet loop thread calls it.
 */
final class StaticPodSource {

    private final Path dir;
    private final String nodeDir;
    private final String nodeName;
    private final KubeletJournal journal;
    private Map<String, StaticPod> store = new LinkedHashMap<>();
    private Map<String, String> fileKeys = new HashMap<>();

    StaticPodSource(Path dir, String nodeDir, String nodeName, KubeletJournal journal) {
        this.dir = dir;
        this.nodeDir = nodeDir;
        this.nodeName = nodeName;
        this.journal = journal;
    }

    Map<String, StaticPod> pods() {
        return Map.copyOf(store);
    }

    void relist() {
        if (!Files.isDirectory(dir)) {
            journal.error("file.go:104", "\"Unable to read config path\" err=\"path does not exist, ignoring\" path="
                    + GoStrings.quote(nodeDir));
            return;
        }
        List<String> names;
        try (Stream<Path> list = Files.list(dir)) {
            names = list.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        } catch (IOException e) {
            journal.error("file.go:104", "\"Unable to read config path\" err=" + GoStrings.quote(e.toString()));
            return;
        }
        Map<String, StaticPod> next = new LinkedHashMap<>();
        Map<String, String> keys = new HashMap<>();
        for (String name : names) {
            Path file = dir.resolve(name);
            if (Files.isDirectory(file)) {
                continue;
            }
            try {
                StaticPod pod = StaticPodParser.parse(file, nodePath(name), nodeName);
                next.put(pod.key(), pod);
                keys.put(name, pod.key());
            } catch (StaticPodParser.ManifestException e) {
                journal.error("file.go:208", "Can't process manifest file " + GoStrings.quote(nodePath(name)) + ": "
                        + e.getMessage());
            } catch (IOException e) {
                journal.error("file.go:208", "Can't process manifest file " + GoStrings.quote(nodePath(name)) + ": " + e);
            }
        }
        store = next;
        fileKeys = keys;
    }

    void fileChanged(String name, boolean removed) {
        if (name.startsWith(".")) {
            return;
        }
        Path file = dir.resolve(name);
        if (removed || !Files.exists(file)) {
            String key = fileKeys.remove(name);
            if (key != null) {
                store.remove(key);
            }
            return;
        }
        if (Files.isDirectory(file)) {
            return;
        }
        try {
            StaticPod pod = StaticPodParser.parse(file, nodePath(name), nodeName);
            store.put(pod.key(), pod);
            fileKeys.put(name, pod.key());
        } catch (StaticPodParser.ManifestException e) {
            journal.error("file_linux.go:112", "Unable to process watch event: can't process config file "
                    + GoStrings.quote(nodePath(name)) + ": " + e.getMessage());
        } catch (java.nio.file.NoSuchFileException e) {
            fileChanged(name, true);
        } catch (IOException e) {
            journal.error("file_linux.go:112", "Unable to process watch event: can't process config file "
                    + GoStrings.quote(nodePath(name)) + ": " + e);
        }
    }

    private String nodePath(String name) {
        return nodeDir + "/" + name;
    }
}
