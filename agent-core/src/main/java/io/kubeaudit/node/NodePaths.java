package io.kubeaudit.node;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Maps paths as the node sees them ({@code /etc/kubernetes/...}) to paths on this machine.
 * With root {@code /} they are the same; tests and the demo use a sandbox root so that
 * nothing outside it is ever touched. Paths written into manifests stay node paths.
 */
public record NodePaths(Path root) {

    public NodePaths {
        Objects.requireNonNull(root, "root");
        root = root.toAbsolutePath().normalize();
    }

    public static NodePaths of(String root) {
        return new NodePaths(Path.of(root));
    }

    /** The host path for a node path; relative node paths are taken as relative to the node's {@code /}. */
    public Path resolve(String nodePath) {
        String relative = nodePath.startsWith("/") ? nodePath.substring(1) : nodePath;
        return relative.isEmpty() ? root : root.resolve(relative).normalize();
    }

    /** The node path of a host path under the root, for messages and manifests. */
    public String toNodePath(Path hostPath) {
        Path rel = root.relativize(hostPath.toAbsolutePath().normalize());
        return "/" + rel.toString().replace('\\', '/');
    }

    public boolean isSandboxed() {
        return root.getParent() != null;
    }
}
