package io.kubeaudit.apply.observe;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why the kubelet never started a new kube-apiserver container, in its own words: a volume it could not
 * set up (a hostPath type check, a directory it could not create) or a manifest file it could not use.
 * Read from the kubelet's lines about the pod, so the rollback says what happened instead of guessing.
 */
public final class KubeletRefusal {

    /** nestedpendingoperations / FailedMount: "MountVolume.SetUp failed for volume "v" (UniqueName: ...) pod ... : why". */
    private static final Pattern MOUNT = Pattern.compile("MountVolume\\.SetUp failed for volume \\\\?\"([^\"\\\\]+)\\\\?\""
            + "(?: \\(UniqueName: [^)]*\\))?(?: pod \\\\?\"[^\"\\\\]*\\\\?\" \\(UID: \\\\?\"[^\"\\\\]*\\\\?\"\\))? ?: (.*?)\"?$");
    /** file.go: "Can't process manifest file "path": why" (klog before 1.21), "Could not process manifest file" err=... path=... after. */
    private static final Pattern MANIFEST = Pattern.compile("Can't process manifest file \"([^\"]*)\": (.*)$");
    private static final Pattern MANIFEST_STRUCTURED = Pattern.compile("\"Could not process manifest file\" err=\"(.*)\" path=\"([^\"]*)\"");
    private static final Pattern UNESCAPED_QUOTE = Pattern.compile("(?<!\\\\)\"");
    private static final Pattern REPEATS = Pattern.compile(" \\(and \\d+ more like it\\)$");

    private KubeletRefusal() {
    }

    /** The newest refusal in the kubelet's lines, as a clause: "it could not set up the pod's volume "x": why". */
    public static Optional<String> find(List<Diagnosis> diagnosis) {
        String found = null;
        for (Diagnosis d : diagnosis) {
            if (!d.fromKubelet()) {
                continue;
            }
            for (String raw : d.lines()) {
                String line = REPEATS.matcher(raw).replaceFirst("");
                Matcher m = MOUNT.matcher(line);
                if (m.find()) {
                    String why = m.group(2);
                    if (line.startsWith("MountVolume.SetUp failed for volume \\\"", m.start())) {
                        // Inside a structured err="...": the reason ends at the first unescaped quote.
                        why = UNESCAPED_QUOTE.split(why, 2)[0];
                    }
                    found = "it could not set up the pod's volume \"" + m.group(1) + "\": " + why.replace("\\\"", "\"");
                    continue;
                }
                Matcher f = MANIFEST.matcher(line);
                if (f.find()) {
                    found = "it cannot use the manifest file " + f.group(1) + ": " + f.group(2);
                }
                Matcher g = MANIFEST_STRUCTURED.matcher(line);
                if (g.find()) {
                    found = "it cannot use the manifest file " + g.group(2) + ": " + g.group(1).replace("\\\"", "\"");
                }
            }
        }
        return Optional.ofNullable(found);
    }

    /**
     * The first line of the rollback message when no new server appeared: what the kubelet said, or, when
     * it said nothing about the pod, the question whether it runs at all.
     */
    public static String explain(String noRestart, List<Diagnosis> diagnosis) {
        Optional<String> refusal = find(diagnosis);
        if (refusal.isPresent()) {
            return noRestart + "; the kubelet never started a new kube-apiserver container: " + refusal.get();
        }
        boolean kubeletSpoke = diagnosis.stream().anyMatch(d -> d.fromKubelet() && d.lines().stream().anyMatch(l -> l.contains("kube-apiserver")));
        return noRestart + (kubeletSpoke ? "; the kubelet's lines about the pod follow"
                : " (is the kubelet running and watching the manifests directory? its log says nothing about the pod)");
    }
}
