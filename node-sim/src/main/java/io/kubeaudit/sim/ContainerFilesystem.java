package io.kubeaudit.sim;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The simulated API server's view of files: what a container sees. A path under a volume mount maps to the
 * host path the kubelet resolved for that mount; any other path lands in the container's own scratch
 * directory, which the kubelet throws away when the container is replaced. So a policy that is not mounted
 * is "not found" and an audit log outside every mount is lost on restart, exactly as on a real node.
 *
 * <p>The kubelet passes the table in {@value #MOUNTS_ENV} as {@code containerPath=hostPath:ro|rw;...} and the
 * scratch directory in {@value #SCRATCH_ENV}. Without them (the server started by hand) paths are host paths.
 */
final class ContainerFilesystem {

    static final String MOUNTS_ENV = "KAA_SIM_MOUNTS";
    static final String SCRATCH_ENV = "KAA_SIM_SCRATCH";

    /** One bind mount: a container path backed by a host path. */
    record Mount(String containerPath, Path hostPath, boolean readOnly) {
        Mount {
            containerPath = normalize(containerPath);
            hostPath = hostPath.toAbsolutePath().normalize();
        }

        boolean covers(String path) {
            return path.equals(containerPath) || containerPath.equals("/") || path.startsWith(containerPath + "/");
        }
    }

    /** Where a container path really is, and the mount (if any) that put it there. */
    record Resolved(String containerPath, Path hostPath, Optional<Mount> mount) {
        boolean readOnly() {
            return mount.map(Mount::readOnly).orElse(false);
        }

        /** True when the path is itself a mount point: renaming it fails with EBUSY, as for a bind-mounted file. */
        boolean isMountPoint() {
            return mount.map(m -> m.containerPath().equals(containerPath)).orElse(false);
        }
    }

    private final List<Mount> mounts;
    private final Optional<Path> scratch;

    ContainerFilesystem(List<Mount> mounts, Optional<Path> scratch) {
        // Longest mount path first, so nested mounts win over their parents.
        this.mounts = mounts.stream().sorted(Comparator.comparingInt((Mount m) -> m.containerPath().length()).reversed())
                .toList();
        this.scratch = scratch.map(p -> p.toAbsolutePath().normalize());
    }

    static ContainerFilesystem fromEnvironment(Map<String, String> env) {
        String scratch = env.get(SCRATCH_ENV);
        return new ContainerFilesystem(parse(env.getOrDefault(MOUNTS_ENV, "")),
                scratch == null || scratch.isEmpty() ? Optional.empty() : Optional.of(Path.of(scratch)));
    }

    static List<Mount> parse(String table) {
        List<Mount> out = new ArrayList<>();
        for (String entry : table.split(";")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            int colon = entry.lastIndexOf(':');
            if (eq <= 0 || colon < eq) {
                throw new IllegalArgumentException(MOUNTS_ENV + " entry \"" + entry + "\" is not containerPath=hostPath:ro|rw");
            }
            String mode = entry.substring(colon + 1);
            if (!mode.equals("ro") && !mode.equals("rw")) {
                throw new IllegalArgumentException(MOUNTS_ENV + " entry \"" + entry + "\" must end in :ro or :rw");
            }
            out.add(new Mount(entry.substring(0, eq), Path.of(entry.substring(eq + 1, colon)), mode.equals("ro")));
        }
        return out;
    }

    static String encode(List<Mount> mounts) {
        return mounts.stream().map(m -> m.containerPath() + "=" + m.hostPath() + (m.readOnly() ? ":ro" : ":rw"))
                .collect(Collectors.joining(";"));
    }

    Resolved resolve(String containerPath) {
        String path = normalize(containerPath);
        for (Mount m : mounts) {
            if (m.covers(path)) {
                String rest = m.containerPath().equals("/") ? path.substring(1)
                        : path.substring(m.containerPath().length()).replaceFirst("^/", "");
                return new Resolved(path, rest.isEmpty() ? m.hostPath() : m.hostPath().resolve(rest), Optional.of(m));
            }
        }
        Path host = scratch.map(s -> s.resolve(path.substring(1))).orElse(Path.of(path));
        return new Resolved(path, host, Optional.empty());
    }

    /** Containers start in {@code /}; a relative flag value is relative to it. */
    private static String normalize(String path) {
        String p = Path.of("/").resolve(path).normalize().toString();
        return p.isEmpty() ? "/" : p;
    }
}
