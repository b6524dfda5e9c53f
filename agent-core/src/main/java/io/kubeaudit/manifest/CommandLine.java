package io.kubeaudit.manifest;

import io.kubeaudit.yaml.InvalidInputException;
import io.kubeaudit.yaml.YamlNodes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The kube-apiserver flags of a container, read item by item from its command and args lists, and the
 * list new flags go into. A command that hands everything to a shell is refused: its flags are one
 * string, and rewriting inside it is not a safe edit.
 */
final class CommandLine {

    private static final Set<String> SHELLS = Set.of("sh", "bash", "dash", "ash", "zsh", "busybox");

    private final List<FlagItem> flags;
    private final SequenceNode target;

    private CommandLine(List<FlagItem> flags, SequenceNode target) {
        this.flags = List.copyOf(flags);
        this.target = target;
    }

    List<FlagItem> flags() {
        return flags;
    }

    /** The list new flags are added to. */
    SequenceNode target() {
        return target;
    }

    /** Whether a command list runs the kube-apiserver binary, directly or through hyperkube. */
    static boolean runsApiServer(SequenceNode command) {
        List<String> items = texts(command);
        if (items.isEmpty()) {
            return false;
        }
        String exe = PathNames.fileName(items.get(0));
        return exe.equals(ApiServerManifest.COMPONENT)
                || (exe.equals("hyperkube") && items.size() > 1 && Set.of("apiserver", "kube-apiserver").contains(items.get(1)));
    }

    static CommandLine of(String file, MappingNode container, String path) throws InvalidInputException {
        Optional<SequenceNode> command = YamlNodes.sequenceAt(file, container, "command", path + ".command");
        Optional<SequenceNode> args = YamlNodes.sequenceAt(file, container, "args", path + ".args");
        for (SequenceNode list : List.of(command, args).stream().flatMap(Optional::stream).toList()) {
            for (Node item : list.getValue()) {
                if (!(item instanceof ScalarNode)) {
                    throw YamlNodes.error(file, item, "command and args items must be strings");
                }
            }
        }
        int skip = 0;
        if (command.isPresent()) {
            skip = binaryItems(file, command.get());
        } else if (args.isEmpty()) {
            throw YamlNodes.error(file, container, path + " has neither command nor args, so nothing shows where its"
                    + " flags go; list the kube-apiserver binary and its flags under command, as kubeadm does");
        }
        List<FlagItem> flags = new ArrayList<>();
        if (command.isPresent()) {
            read(command.get(), skip, flags);
        }
        if (args.isPresent()) {
            read(args.get(), 0, flags);
        }
        boolean commandHoldsFlags = command.isPresent() && (command.get().getValue().size() > skip || args.isEmpty());
        return new CommandLine(flags, commandHoldsFlags ? command.get() : args.get());
    }

    /** How many leading command items name the program; refuses commands that are not kube-apiserver itself. */
    private static int binaryItems(String file, SequenceNode command) throws InvalidInputException {
        List<String> items = texts(command);
        if (items.isEmpty()) {
            throw YamlNodes.error(file, command, "command is empty");
        }
        String exe = PathNames.fileName(items.get(0));
        if (SHELLS.contains(exe)) {
            throw YamlNodes.error(file, command.getValue().get(0), "kube-apiserver is started through a shell ("
                    + items.get(0) + (items.contains("-c") ? " -c \"...\"" : "") + "): all its flags are one string that"
                    + " kube-audit-agent cannot edit safely; list the kube-apiserver binary and each flag as separate"
                    + " command items, as kubeadm does");
        }
        if (!runsApiServer(command)) {
            throw YamlNodes.error(file, command.getValue().get(0), "the container runs " + items.get(0)
                    + ", not kube-apiserver, so which items are kube-apiserver flags is unknown");
        }
        return exe.equals("hyperkube") ? 2 : 1;
    }

    private static void read(SequenceNode list, int from, List<FlagItem> out) {
        List<Node> items = list.getValue();
        for (int i = from; i < items.size(); i++) {
            ScalarNode item = (ScalarNode) items.get(i);
            String text = item.getValue();
            if (!text.startsWith("-")) {
                continue; // kube-apiserver takes no positional arguments; a stray item is not ours to interpret
            }
            int eq = text.indexOf('=');
            if (eq > 0) {
                out.add(new FlagItem(text.substring(0, eq), text.substring(eq + 1), list, i, item, Optional.empty()));
            } else if (i + 1 < items.size() && !((ScalarNode) items.get(i + 1)).getValue().startsWith("-")) {
                out.add(new FlagItem(text, ((ScalarNode) items.get(i + 1)).getValue(), list, i, item,
                        Optional.of((ScalarNode) items.get(i + 1))));
                i++;
            } else {
                out.add(new FlagItem(text, "true", list, i, item, Optional.empty()));
            }
        }
    }

    private static List<String> texts(SequenceNode list) {
        List<String> out = new ArrayList<>();
        for (Node n : list.getValue()) {
            out.add(n instanceof ScalarNode s ? s.getValue() : "");
        }
        return out;
    }
}
