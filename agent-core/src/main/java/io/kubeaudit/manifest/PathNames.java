package io.kubeaudit.manifest;

import java.util.ArrayList;
import java.util.List;

/** Absolute paths as they appear in manifests and flags, compared by component (so /etc/kube is not in /etc/kubernetes). */
public final class PathNames {

    private PathNames() {
    }

    /** Collapses repeated and trailing slashes and "." components; ".." is kept as written. */
    public static String normalize(String path) {
        if (path == null || path.isEmpty()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/")) {
            if (!part.isEmpty() && !part.equals(".")) {
                parts.add(part);
            }
        }
        String joined = String.join("/", parts);
        return path.startsWith("/") ? "/" + joined : joined;
    }

    static boolean within(String path, String dir) {
        String p = normalize(path);
        String d = normalize(dir);
        if (d.isEmpty() || p.isEmpty()) {
            return false;
        }
        return p.equals(d) || d.equals("/") || p.startsWith(d + "/");
    }

    /** {@code path} relative to {@code dir} ("" when equal); only meaningful when {@link #within} holds. */
    static String relative(String path, String dir) {
        String p = normalize(path);
        String d = normalize(dir);
        if (p.equals(d)) {
            return "";
        }
        return d.equals("/") ? p.substring(1) : p.substring(d.length() + 1);
    }

    static String join(String dir, String relative) {
        String d = normalize(dir);
        if (relative.isEmpty()) {
            return d;
        }
        return d.endsWith("/") ? d + relative : d + "/" + relative;
    }

    static String parent(String path) {
        String p = normalize(path);
        int slash = p.lastIndexOf('/');
        return slash <= 0 ? "/" : p.substring(0, slash);
    }

    static String fileName(String path) {
        String p = normalize(path);
        return p.substring(p.lastIndexOf('/') + 1);
    }
}
