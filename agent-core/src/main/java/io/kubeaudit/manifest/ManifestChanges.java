package io.kubeaudit.manifest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Describes, for an operator, how two versions of a manifest differ in flags, hostPath mounts and annotations. */
final class ManifestChanges {

    private static final int SHOWN_VALUE = 72;

    private ManifestChanges() {
    }

    static List<String> between(ApiServerManifest before, ApiServerManifest after) {
        List<String> out = new ArrayList<>();
        diff(before.flags(), after.flags(), "flag ", "=", Integer.MAX_VALUE, out);
        diff(mounts(before), mounts(after), "mount at ", " ", Integer.MAX_VALUE, out);
        // annotation values can be long (the agent's own record is JSON): shown by their start
        diff(before.annotations(), after.annotations(), "annotation ", "=", SHOWN_VALUE, out);
        return out;
    }

    private static void diff(Map<String, String> before, Map<String, String> after, String what, String joiner, int shown,
                             List<String> out) {
        for (Map.Entry<String, String> e : after.entrySet()) {
            String old = before.get(e.getKey());
            if (old == null) {
                out.add("added " + what + e.getKey() + joiner + shorten(e.getValue(), shown));
            } else if (!old.equals(e.getValue())) {
                out.add("changed " + what + e.getKey() + ": " + shorten(old, shown) + " -> " + shorten(e.getValue(), shown));
            }
        }
        for (String key : before.keySet()) {
            if (!after.containsKey(key)) {
                out.add("removed " + what + key);
            }
        }
    }

    private static Map<String, String> mounts(ApiServerManifest m) {
        Map<String, String> out = new LinkedHashMap<>();
        for (HostPathMount h : m.hostPathMounts()) {
            out.put(PathNames.normalize(h.mountPath()), "(volume " + h.volumeName() + ", host path " + h.hostPath()
                    + (h.type().isEmpty() ? "" : ", " + h.type()) + (h.readOnly() ? ", read-only" : ", read-write") + ")");
        }
        return out;
    }

    private static String shorten(String value, int max) {
        return value.length() <= max ? value : value.substring(0, max) + "...";
    }
}
