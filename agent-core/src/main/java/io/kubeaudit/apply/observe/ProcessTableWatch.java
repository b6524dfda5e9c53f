package io.kubeaudit.apply.observe;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import oshi.SystemInfo;
import oshi.software.os.OSProcess;

/**
 * The process table's view of a restart: a kube-apiserver process that was not there before the swap
 * and whose command line carries the new flags (and none of the removed ones). Identity is pid plus
 * start time rather than "started after the swap instant", because the start time the kernel reports
 * is only as exact as the boot time it is counted from.
 */
public final class ProcessTableWatch implements RestartWatch {

    /**
     * One running process, as far as a restart check cares.
     *
     * @param workingDirectory its current directory ("" when unknown): a container's is inside its root filesystem
     */
    public record ServerProcess(long pid, long startMillis, List<String> arguments, String workingDirectory) {
        public ServerProcess {
            arguments = List.copyOf(arguments);
            workingDirectory = workingDirectory == null ? "" : workingDirectory;
        }

        boolean isApiServer() {
            return !arguments.isEmpty() && ProcessTableWatch.isApiServer(arguments.get(0));
        }

        /** {@code --name=value} arguments by name; a bare {@code --name} reads "true", as the server takes it. */
        Map<String, String> flags() {
            Map<String, String> flags = new HashMap<>();
            for (String a : arguments.subList(Math.min(1, arguments.size()), arguments.size())) {
                if (a.startsWith("--")) {
                    int eq = a.indexOf('=');
                    flags.put(eq < 0 ? a : a.substring(0, eq), eq < 0 ? "true" : a.substring(eq + 1));
                }
            }
            return flags;
        }

        String identity() {
            return pid + "@" + startMillis;
        }
    }

    private final Supplier<List<ServerProcess>> processes;
    private final Set<String> before;
    /** New server processes seen so far; kept after they exit so a crash loop is counted. */
    private final Set<String> seen = new HashSet<>();
    private final Map<String, String> mustHave;
    private final Set<String> mustLack;

    private ProcessTableWatch(Supplier<List<ServerProcess>> processes, Set<String> before, Map<String, String> mustHave,
                              Set<String> mustLack) {
        this.processes = processes;
        this.before = before;
        this.mustHave = Map.copyOf(mustHave);
        this.mustLack = Set.copyOf(mustLack);
    }

    /**
     * @param mustHave flags (with dashes) and values the new server must run with: what the new manifest adds or changes
     * @param mustLack flags it must not run with any more: what the new manifest removes
     */
    public static ProcessTableWatch start(Supplier<List<ServerProcess>> processes, Map<String, String> mustHave, Set<String> mustLack) {
        Set<String> running = new HashSet<>();
        for (ServerProcess p : processes.get()) {
            if (p.isApiServer()) {
                running.add(p.identity());
            }
        }
        return new ProcessTableWatch(processes, running, mustHave, mustLack);
    }

    /**
     * The live process table through OSHI (Linux: /proc), limited to processes working under {@code root}.
     * On a real node the root is {@code /} and that is every process; under a sandbox root it keeps out
     * the servers of other sandboxes on the same machine, which carry the very same flags.
     */
    public static Supplier<List<ServerProcess>> oshi(Path root) {
        SystemInfo system = OshiSystem.get();
        return () -> {
            List<ServerProcess> list = new ArrayList<>();
            for (OSProcess p : system.getOperatingSystem().getProcesses()) {
                List<String> args = p.getArguments();
                // Only a kube-apiserver's working directory is worth a readlink of /proc/<pid>/cwd.
                if (!args.isEmpty() && isApiServer(args.get(0))) {
                    ServerProcess sp = new ServerProcess(p.getProcessID(), p.getStartTime(), args, p.getCurrentWorkingDirectory());
                    if (root.getParent() == null || (!sp.workingDirectory().isEmpty() && Path.of(sp.workingDirectory()).startsWith(root))) {
                        list.add(sp);
                    }
                }
            }
            return list;
        };
    }

    static boolean isApiServer(String argv0) {
        return argv0.equals("kube-apiserver") || argv0.endsWith("/kube-apiserver");
    }

    @Override
    public Restarts poll() {
        ServerProcess newest = null;
        for (ServerProcess p : processes.get()) {
            if (p.isApiServer() && !before.contains(p.identity()) && carriesNewFlags(p)) {
                seen.add(p.identity());
                if (newest == null || p.startMillis() > newest.startMillis()) {
                    newest = p;
                }
            }
        }
        if (seen.isEmpty()) {
            return Restarts.NONE;
        }
        String latest = newest == null ? "a new kube-apiserver process with the expected flags (exited since)"
                : "new kube-apiserver process pid " + newest.pid() + " with the expected flags";
        return new Restarts(seen.size(), latest);
    }

    private boolean carriesNewFlags(ServerProcess p) {
        Map<String, String> flags = p.flags();
        return flags.entrySet().containsAll(mustHave.entrySet()) && mustLack.stream().noneMatch(flags::containsKey);
    }
}
