package io.kubeaudit.node;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Kubernetes minor version, as read from an image tag such as {@code registry.k8s.io/kube-apiserver:v1.29.0}. */
public record KubeVersion(int major, int minor, int patch) implements Comparable<KubeVersion> {

    private static final Pattern TAG = Pattern.compile(":v?(\\d+)\\.(\\d+)(?:\\.(\\d+))?[^/]*$");
    private static final Pattern VERSION = Pattern.compile("^v?(\\d+)\\.(\\d+)(?:\\.(\\d+))?(?:[-+].*)?$");

    /** The version in an image reference's tag; empty for digests, "latest" and the like. */
    public static Optional<KubeVersion> fromImage(String image) {
        if (image == null) {
            return Optional.empty();
        }
        String ref = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        Matcher m = TAG.matcher(ref);
        return m.find() ? Optional.of(of(m)) : Optional.empty();
    }

    /** A version as written in configuration ("v1.28.13", "1.32.0"); empty for labels such as "stable-1". */
    public static Optional<KubeVersion> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = VERSION.matcher(text.strip());
        return m.matches() ? Optional.of(of(m)) : Optional.empty();
    }

    private static KubeVersion of(Matcher m) {
        return new KubeVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
    }

    public boolean atLeast(int wantMajor, int wantMinor) {
        return major > wantMajor || (major == wantMajor && minor >= wantMinor);
    }

    @Override
    public int compareTo(KubeVersion o) {
        int c = Integer.compare(major, o.major);
        if (c == 0) {
            c = Integer.compare(minor, o.minor);
        }
        return c != 0 ? c : Integer.compare(patch, o.patch);
    }

    @Override
    public String toString() {
        return "v" + major + "." + minor + "." + patch;
    }
}
