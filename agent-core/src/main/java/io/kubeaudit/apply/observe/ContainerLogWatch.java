package io.kubeaudit.apply.observe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The kubelet's own record of container starts: each start of a container writes a new
 * {@code /var/log/pods/kube-system_kube-apiserver-<node>_<pod uid>/<container>/<restart>.log}, and a
 * changed manifest gets a new pod UID (the config hash). A file that was not there before the swap
 * is a server that started after it.
 */
public final class ContainerLogWatch implements RestartWatch {

    static final String POD_DIR_GLOB = "kube-system_kube-apiserver-*";
    /** Current container logs only; the kubelet's rotated ones are named {@code 0.log.<timestamp>}. */
    private static final Pattern CONTAINER_LOG = Pattern.compile("\\d+\\.log");

    private final Path podsDir;
    private final Set<Path> before;

    private ContainerLogWatch(Path podsDir, Set<Path> before) {
        this.podsDir = podsDir;
        this.before = before;
    }

    /** @param podsDir host path of {@code /var/log/pods} */
    public static ContainerLogWatch start(Path podsDir) throws IOException {
        return new ContainerLogWatch(podsDir, new HashSet<>(containerLogs(podsDir)));
    }

    @Override
    public Restarts poll() throws IOException {
        List<Path> fresh = newLogs();
        if (fresh.isEmpty()) {
            return Restarts.NONE;
        }
        return new Restarts(fresh.size(), "new container log " + fresh.get(fresh.size() - 1));
    }

    /** Container logs created since the watch began, oldest first (by last write). */
    public List<Path> newLogs() throws IOException {
        List<Path> fresh = new ArrayList<>();
        for (Path p : containerLogs(podsDir)) {
            if (!before.contains(p)) {
                fresh.add(p);
            }
        }
        fresh.sort(Comparator.comparing(ContainerLogWatch::lastWrite).thenComparing(Comparator.naturalOrder()));
        return fresh;
    }

    static List<Path> containerLogs(Path podsDir) throws IOException {
        List<Path> logs = new ArrayList<>();
        if (!Files.isDirectory(podsDir)) {
            return logs;
        }
        try (DirectoryStream<Path> pods = Files.newDirectoryStream(podsDir, POD_DIR_GLOB)) {
            for (Path pod : pods) {
                for (Path container : list(pod)) {
                    for (Path log : list(container)) {
                        if (CONTAINER_LOG.matcher(log.getFileName().toString()).matches() && Files.isRegularFile(log)) {
                            logs.add(log);
                        }
                    }
                }
            }
        }
        return logs;
    }

    private static List<Path> list(Path dir) throws IOException {
        List<Path> entries = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return entries;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(entries::add);
        } catch (NoSuchFileException e) {
            // The kubelet removed an old pod's directory while we listed it: it has no logs for us.
            return entries;
        }
        return entries;
    }

    private static FileTime lastWrite(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (NoSuchFileException e) {
            return FileTime.fromMillis(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
