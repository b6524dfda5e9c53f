package io.kubeaudit.apply.observe;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The kube-apiserver processes running on this machine and the flags they were started with: what
 * {@code status} shows next to the manifest, since a manifest edit takes effect only once kubelet has
 * restarted the server. Same process table view as the setup's restart check.
 */
public final class RunningApiServers {

    /** @param flags the process's {@code --name=value} arguments whose name starts with {@code prefix} */
    public record RunningApiServer(long pid, long startMillis, Map<String, String> flags) {
        public RunningApiServer {
            // Sorted, so status lists a server's flags in the same order every time.
            flags = Collections.unmodifiableMap(new TreeMap<>(flags));
        }
    }

    private final Supplier<List<ProcessTableWatch.ServerProcess>> processes;

    RunningApiServers(Supplier<List<ProcessTableWatch.ServerProcess>> processes) {
        this.processes = processes;
    }

    /** The live process table (OSHI), limited to servers working under {@code root} (a sandbox's own). */
    public static RunningApiServers system(Path root) {
        return new RunningApiServers(ProcessTableWatch.oshi(root));
    }

    /** Every running kube-apiserver with its flags that start with {@code prefix} (e.g. "--audit-"), sorted by name. */
    public List<RunningApiServer> list(String prefix) {
        return processes.get().stream().filter(ProcessTableWatch.ServerProcess::isApiServer).map(p -> {
            Map<String, String> flags = new TreeMap<>();
            p.flags().forEach((k, v) -> {
                if (k.startsWith(prefix)) {
                    flags.put(k, v);
                }
            });
            return new RunningApiServer(p.pid(), p.startMillis(), flags);
        }).toList();
    }
}
