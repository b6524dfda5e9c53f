package io.kubeaudit.apply;

import io.kubeaudit.manifest.ApiServerManifest;
import io.kubeaudit.manifest.HostPathMount;
import io.kubeaudit.node.NodePaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The kubelet's hostPath checks (pkg/volume/hostpath/host_path.go checkType), applied before the change to
 * every hostPath volume the new kube-apiserver container mounts, on the node's file system as it is now. A
 * volume the kubelet refuses means no container at all: the pod stays ContainerCreating and the API server
 * is down until the rollback. The kubelet follows symbolic links (os.Stat), creates a missing
 * DirectoryOrCreate path with its parents (os.MkdirAll, 0755) and a missing FileOrCreate file but not its
 * directory; the other types must exist as that type.
 */
final class HostPathPreflight {

    /**
     * @param policyPath the node path setup writes the policy to before the swap (a regular file, parents created),
     *                   when it does
     * @param logDir     the audit log directory, to name the setting that fixes a problem there
     */
    record Paths(Optional<String> policyPath, Optional<String> logDir) {
    }

    private final NodePaths node;
    private final Paths settings;

    HostPathPreflight(NodePaths node, Paths settings) {
        this.node = node;
        this.settings = settings;
    }

    /** One problem per volume the kubelet would refuse, each with its path, what the kubelet would say and the fix. */
    List<String> problems(ApiServerManifest after) {
        Map<String, HostPathMount> volumes = new LinkedHashMap<>();
        after.hostPathMounts().forEach(m -> volumes.putIfAbsent(m.volumeName(), m));
        List<String> out = new ArrayList<>();
        for (HostPathMount m : volumes.values()) {
            refusal(m).ifPresent(why -> out.add(m.hostPath() + (node.isSandboxed() ? " (" + node.resolve(m.hostPath()) + ")" : "")
                    + ": the kubelet would not start the new kube-apiserver container: MountVolume.SetUp failed for volume \""
                    + m.volumeName() + "\" (hostPath type " + (m.type().isEmpty() ? "unset" : m.type()) + ") : " + why
                    + "; " + fix(m)));
        }
        return out;
    }

    /** What the kubelet would say about this volume, or empty when it sets it up. */
    private Optional<String> refusal(HostPathMount m) {
        String shown = m.hostPath();
        Path p = node.resolve(shown);
        boolean written = settings.policyPath().filter(shown::equals).isPresent();
        return switch (m.type()) {
            case "" -> Optional.empty();
            case "DirectoryOrCreate" -> Files.exists(p) ? notA(p, shown, "directory", Files.isDirectory(p)) : creatable(p, shown);
            case "Directory" -> notA(p, shown, "directory", Files.isDirectory(p));
            case "File" -> written && !Files.exists(p) ? creatable(p.getParent(), node.toNodePath(p.getParent()))
                    : notA(p, shown, "file", Files.isRegularFile(p));
            case "FileOrCreate" -> Files.exists(p) ? notA(p, shown, "file", Files.isRegularFile(p))
                    : Files.isDirectory(p.getParent()) ? Optional.empty()
                    : Optional.of("open " + shown + ": " + (Files.exists(p.getParent()) ? "not a directory" : "no such file or directory"));
            case "Socket" -> notA(p, shown, "socket file", "socket".equals(kind(p)));
            case "CharDevice" -> notA(p, shown, "character device", "character device".equals(kind(p)));
            case "BlockDevice" -> notA(p, shown, "block device", "block device".equals(kind(p)));
            default -> Optional.of(m.type() + " is an invalid volume type");
        };
    }

    private Optional<String> notA(Path p, String shown, String expected, boolean is) {
        return is ? Optional.empty() : Optional.of("hostPath type check failed: " + shown + " is not a " + expected + " (it is "
                + describe(p) + ")");
    }

    /** os.MkdirAll: the nearest existing ancestor must be a directory the kubelet (root) can write to. */
    private Optional<String> creatable(Path dir, String shown) {
        if (Files.isSymbolicLink(dir)) {
            return Optional.of("mkdir " + shown + ": file exists (a symbolic link to nothing)");
        }
        Path child = dir;
        Path ancestor = dir.getParent();
        while (ancestor != null && !Files.exists(ancestor)) {
            child = ancestor;
            ancestor = ancestor.getParent();
        }
        if (ancestor == null || Files.isDirectory(ancestor) && Files.isWritable(ancestor)) {
            return Optional.empty();
        }
        return Optional.of(Files.isDirectory(ancestor) ? "mkdir " + node.toNodePath(child) + ": permission denied"
                : "mkdir " + node.toNodePath(ancestor) + ": not a directory (it is " + describe(ancestor) + ")");
    }

    private String fix(HostPathMount m) {
        String path = m.hostPath();
        if (settings.logDir().filter(path::equals).isPresent()) {
            return "move what is in the way, or set audit.logPath to a file in a directory that can be created";
        }
        if (settings.policyPath().filter(path::equals).isPresent()) {
            return "move what is at " + path + " out of the way, or set audit.policyPath to another file";
        }
        return "the volume \"" + m.volumeName() + "\" was already in the manifest: make " + path + " what its type says (or"
                + " correct the volume) first";
    }

    private static String describe(Path p) {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return "missing";
        }
        if (Files.isSymbolicLink(p) && !Files.exists(p)) {
            return "a symbolic link to nothing";
        }
        String kind = kind(p);
        return kind.equals("directory") ? "a directory" : kind.equals("file") ? "a regular file" : "a " + kind;
    }

    /** The file type behind the path, links followed, as the kubelet's GetFileType names it. */
    private static String kind(Path p) {
        try {
            int mode = (Integer) Files.getAttribute(p, "unix:mode");
            return switch (mode & 0170000) {
                case 0140000 -> "socket";
                case 0020000 -> "character device";
                case 0060000 -> "block device";
                case 0040000 -> "directory";
                case 0100000 -> "file";
                case 0010000 -> "named pipe";
                default -> "special file";
            };
        } catch (IOException | UnsupportedOperationException e) {
            return "missing";
        }
    }
}
