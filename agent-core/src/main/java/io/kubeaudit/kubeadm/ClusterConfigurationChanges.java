package io.kubeaudit.kubeadm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The audit-relevant content of a ClusterConfiguration (extraArgs by name, extraVolumes by name) and the
 * differences between two of them, one line each. Equal content means no write: the order of different
 * names in extraArgs or of volumes does not change what kubeadm renders.
 */
record ClusterConfigurationChanges(Map<String, List<String>> args, Map<String, HostPathVolume> volumes) {

    static ClusterConfigurationChanges of(ClusterConfiguration c) throws KubeadmConfigException {
        Map<String, List<String>> args = new LinkedHashMap<>();
        for (Arg a : c.extraArgs().all()) {
            args.computeIfAbsent(a.name(), k -> new ArrayList<>()).add(a.value());
        }
        Map<String, HostPathVolume> volumes = new LinkedHashMap<>();
        for (HostPathVolume v : c.extraVolumes().all()) {
            volumes.putIfAbsent(v.name(), v);
        }
        return new ClusterConfigurationChanges(args, volumes);
    }

    List<String> to(ClusterConfigurationChanges after) {
        List<String> lines = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>(args.keySet());
        names.addAll(after.args.keySet());
        for (String name : names) {
            List<String> was = args.getOrDefault(name, List.of());
            List<String> now = after.args.getOrDefault(name, List.of());
            if (was.isEmpty()) {
                lines.add(ExtraArgs.PATH + ": added " + name + "=" + String.join(",", now));
            } else if (now.isEmpty()) {
                lines.add(ExtraArgs.PATH + ": removed " + name + "=" + String.join(",", was));
            } else if (!was.equals(now)) {
                lines.add(ExtraArgs.PATH + ": " + name + " set to " + String.join(",", now) + " (was " + String.join(",", was) + ")");
            }
        }
        Set<String> volumeNames = new LinkedHashSet<>(volumes.keySet());
        volumeNames.addAll(after.volumes.keySet());
        for (String name : volumeNames) {
            HostPathVolume was = volumes.get(name);
            HostPathVolume now = after.volumes.get(name);
            if (was == null) {
                lines.add(ExtraVolumes.PATH + ": added " + now.describe());
            } else if (now == null) {
                lines.add(ExtraVolumes.PATH + ": removed " + was.describe());
            } else if (!was.equals(now)) {
                lines.add(ExtraVolumes.PATH + ": " + now.describe() + " (was " + was.describe() + ")");
            }
        }
        return lines;
    }
}
