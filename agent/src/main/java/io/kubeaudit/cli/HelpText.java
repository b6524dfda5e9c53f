package io.kubeaudit.cli;

import io.kubeaudit.config.AgentConfig;
import io.kubeaudit.config.Reference;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * The CLI's help: the command list, each command's options and the exit codes. {@code --help}, the man page and the
 * bash completion are all made from it, so they cannot tell different stories.
 */
final class HelpText {

    static final String PROGRAM = "kube-audit-agent";
    private static final int WIDTH = 100;

    /** Every exit code any command uses, with its meaning. */
    static final Map<Integer, String> EXIT_CODES = exitCodes();

    private HelpText() {
    }

    private static Map<Integer, String> exitCodes() {
        Map<Integer, String> codes = new LinkedHashMap<>();
        codes.put(Main.OK, "success (changed or not)");
        codes.put(Main.FAILED, "failure");
        codes.put(Main.USAGE, "usage error");
        codes.put(Main.UNHEALTHY, "status: something it reports is unhealthy (its warnings say what)");
        return codes;
    }

    /** A command's own options plus the ones every command takes; {@code --output} lists the command's own modes. */
    static Options withGlobalOptions(Options own, Set<OutputMode> modes) {
        Options all = new Options();
        own.getOptions().forEach(all::addOption);
        all.addOption(Option.builder().longOpt("config").hasArg().argName("FILE")
                .desc("config file (default " + AgentConfig.DEFAULT_PATH + ", under --root when given)").build());
        all.addOption(Option.builder().longOpt("root").hasArg().argName("DIR")
                .desc("prefix for every node path (a sandbox); default / or the config's root").build());
        String names = modes.stream().sorted().map(m -> m.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining("|"));
        all.addOption(Option.builder("o").longOpt("output").hasArg().argName(names)
                .desc("text for people (default), json for scripts and Ansible; ndjson, one event a line, where a command"
                        + " streams events (query)").build());
        all.addOption(Option.builder("h").longOpt("help").desc("show this help").build());
        return all;
    }

    static String synopsis(Command command) {
        return PROGRAM + " " + command.name() + (command.arguments().isEmpty() ? "" : " " + command.arguments());
    }

    static String exitCodesLine() {
        StringBuilder s = new StringBuilder("exit codes:");
        EXIT_CODES.forEach((code, meaning) -> s.append(code == Main.OK ? " " : ", ").append(code).append(' ').append(meaning));
        return s.toString();
    }

    static String commandList(List<Command> commands) {
        StringBuilder s = new StringBuilder();
        s.append("usage: ").append(PROGRAM).append(" COMMAND [options]   (").append(PROGRAM).append(" COMMAND --help for details)\n\n");
        for (Command c : commands) {
            s.append(String.format("  %-10s %s%n", c.name(), c.summary()));
        }
        s.append('\n').append(exitCodesLine()).append('\n');
        return s.toString();
    }

    static String commandHelp(Command command) {
        StringWriter text = new StringWriter();
        PrintWriter w = new PrintWriter(text);
        new HelpFormatter().printHelp(w, WIDTH, synopsis(command), command.summary(), withGlobalOptions(command.options(), command.outputModes()), 2, 2, "", true);
        w.println(exitCodesLine());
        if (!command.settings().isEmpty()) {
            w.println();
            w.println("settings it reads from the config file (every one, with its rules: docs/configuration.md):");
            Reference.help(command.settings(), WIDTH).forEach(w::println);
        }
        w.flush();
        return text.toString();
    }
}
