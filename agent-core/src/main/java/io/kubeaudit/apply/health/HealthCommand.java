package io.kubeaudit.apply.health;

import io.kubeaudit.node.NodePaths;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The configured health command (apply.healthCommand). The executable is a program of this machine
 * (kubectl), but the kubeconfig it is given is a node file, so it is resolved under the root: in a
 * sandbox, {@code /etc/kubernetes/admin.conf} is the sandbox's admin.conf.
 */
public record HealthCommand(List<String> nodeCommand) {

    private static final String KUBECONFIG = "--kubeconfig";

    public HealthCommand{
        nodeCommand = List.copyOf(nodeCommand);
        if (nodeCommand.isEmpty()) {
            throw new IllegalArgumentException("apply.healthCommand is empty");
        }
    }

    public String executable() {
        return nodeCommand.get(0);
    }

    /** The kubeconfig's node path, from {@code --kubeconfig PATH} or {@code --kubeconfig=PATH}. */
    public Optional<String> kubeconfig() {
        for (int i = 1; i < nodeCommand.size(); i++) {
            String a = nodeCommand.get(i);
            if (a.equals(KUBECONFIG) && i + 1 < nodeCommand.size()) {
                return Optional.of(nodeCommand.get(i + 1));
            }
            if (a.startsWith(KUBECONFIG + "=")) {
                return Optional.of(a.substring(KUBECONFIG.length() + 1));
            }
        }
        return Optional.empty();
    }

    /** The command to run on this machine: the kubeconfig path replaced by its host path. */
    public List<String> forHost(NodePaths paths) {
        List<String> out = new ArrayList<>(nodeCommand);
        for (int i = 1; i < out.size(); i++) {
            String a = out.get(i);
            if (a.equals(KUBECONFIG) && i + 1 < out.size()) {
                out.set(i + 1, hostPath(paths, out.get(i + 1)));
            } else if (a.startsWith(KUBECONFIG + "=")) {
                out.set(i, KUBECONFIG + "=" + hostPath(paths, a.substring(KUBECONFIG.length() + 1)));
            }
        }
        return out;
    }

    private static String hostPath(NodePaths paths, String nodePath) {
        return nodePath.startsWith("/") ? paths.resolve(nodePath).toString() : nodePath;
    }

    public Optional<Path> kubeconfigHostPath(NodePaths paths) {
        return kubeconfig().filter(k -> k.startsWith("/")).map(paths::resolve);
    }

    @Override
    public String toString() {
        return String.join(" ", nodeCommand);
    }
}
