package io.kubeaudit.sim;

import io.kubeaudit.node.NodePaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The kubelet's hostPath volume setup (pkg/volume/hostpath): type checks with their exact messages,
 * DirectoryOrCreate and FileOrCreate creating what is missing, and the resulting container mount table.
 * A failed check means no container at all (the pod stays ContainerCreating), the failure mode the agent
 * can only see in the kubelet journal.
 */
final class HostPathVolumes {

    /** A volume that could not be set up; the message is the kubelet's MountVolume.SetUp error. */
    static final class SetUpException extends Exception {
        final String volume;

        SetUpException(String volume, String message) {
            super(message);
            this.volume = volume;
        }
    }

    private HostPathVolumes() {
    }

    /** Checks and creates every hostPath volume the container mounts, then returns its mounts. */
    static List<ContainerFilesystem.Mount> setUp(StaticPod pod, NodePaths node) throws SetUpException {
        for (StaticPod.Volume v : pod.volumes()) {
            if (v.hostPath().isPresent()) {
                check(v.name(), v.hostPath().get(), node);
            }
        }
        List<ContainerFilesystem.Mount> mounts = new ArrayList<>();
        for (StaticPod.VolumeMount m : pod.container().volumeMounts()) {
            Optional<StaticPod.HostPath> hp = pod.volumes().stream().filter(v -> v.name().equals(m.name())).findFirst()
                    .flatMap(StaticPod.Volume::hostPath);
            if (hp.isPresent()) {
                Path host = node.resolve(hp.get().path());
                if (!m.subPath().isEmpty()) {
                    host = host.resolve(m.subPath()).normalize();
                }
                mounts.add(new ContainerFilesystem.Mount(m.mountPath(), host, m.readOnly()));
            }
        }
        return mounts;
    }

    private static void check(String volume, StaticPod.HostPath hp, NodePaths node) throws SetUpException {
        Path p = node.resolve(hp.path());
        String shown = hp.path();
        try {
            switch (hp.type()) {
                case "DirectoryOrCreate" -> {
                    if (!Files.exists(p)) {
                        Files.createDirectories(p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
                    } else if (!Files.isDirectory(p)) {
                        throw new SetUpException(volume, "hostPath type check failed: " + shown + " is not a directory");
                    }
                }
                case "Directory" -> {
                    if (!Files.isDirectory(p)) {
                        throw new SetUpException(volume, "hostPath type check failed: " + shown + " is not a directory");
                    }
                }
                case "FileOrCreate" -> {
                    if (!Files.exists(p)) {
                        if (!Files.isDirectory(p.getParent())) {
                            throw new SetUpException(volume, "open " + shown + ": no such file or directory");
                        }
                        Files.createFile(p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
                    } else if (!Files.isRegularFile(p)) {
                        throw new SetUpException(volume, "hostPath type check failed: " + shown + " is not a file");
                    }
                }
                case "File" -> {
                    if (!Files.isRegularFile(p)) {
                        throw new SetUpException(volume, "hostPath type check failed: " + shown + " is not a file");
                    }
                }
                case "Socket" -> {
                    if (!"socket".equals(fileType(p))) {
                        throw new SetUpException(volume, "hostPath type check failed: " + shown + " is not a socket file");
                    }
                }
                case "CharDevice" -> {
                    if (!"char".equals(fileType(p))) {
                        throw new SetUpException(volume, "hostPath type check failed: " + shown + " is not a character device");
                    }
                }
                case "BlockDevice" -> {
                    if (!"block".equals(fileType(p))) {
                        throw new SetUpException(volume, "hostPath type check failed: " + shown + " is not a block device");
                    }
                }
                default -> {
                    // No type: no check. The container runtime creates a missing path as a directory.
                    if (!Files.exists(p)) {
                        Files.createDirectories(p);
                    }
                }
            }
        } catch (IOException e) {
            throw new SetUpException(volume, "hostPath setup failed for " + shown + ": " + e.getMessage());
        }
    }

    private static String fileType(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return "missing";
        }
        int mode = (Integer) Files.getAttribute(p, "unix:mode");
        return switch (mode & 0170000) {
            case 0140000 -> "socket";
            case 0020000 -> "char";
            case 0060000 -> "block";
            default -> "other";
        };
    }
}
