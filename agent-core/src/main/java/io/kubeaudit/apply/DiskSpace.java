package io.kubeaudit.apply;

import io.kubeaudit.apply.observe.OshiSystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import oshi.SystemInfo;
import oshi.software.os.OSFileStore;

/** Free space for the audit logs, on the filesystem a (maybe not yet existing) directory will live on. */
interface DiskSpace {

    /**
     * @return bytes an unprivileged writer could still use there, and which filesystem that is
     */
    Usable usable(Path hostPath) throws IOException;

    record Usable(long bytes, String filesystem) {
    }

    /**
     * OSHI's list of mounted filesystems, the longest mount point that contains the path deciding; the
     * JDK's FileStore when OSHI knows no match (a container without /proc/mounts, say).
     */
    static DiskSpace system() {
        SystemInfo system = OshiSystem.get();
        return hostPath -> {
            Path existing = hostPath.toAbsolutePath().normalize();
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            if (existing == null) {
                throw new IOException("no existing directory above " + hostPath);
            }
            Path real = existing.toRealPath();
            OSFileStore best = null;
            List<OSFileStore> stores = system.getOperatingSystem().getFileSystem().getFileStores();
            for (OSFileStore s : stores) {
                if (s.getMount() != null && !s.getMount().isEmpty() && real.startsWith(Path.of(s.getMount()))
                        && s.getTotalSpace() > 0
                        && (best == null || s.getMount().length() > best.getMount().length())) {
                    best = s;
                }
            }
            if (best != null) {
                return new Usable(best.getUsableSpace(), best.getMount() + " (" + best.getType() + ")");
            }
            java.nio.file.FileStore store = Files.getFileStore(real);
            return new Usable(store.getUsableSpace(), store.name() + " (" + store.type() + ")");
        };
    }
}
