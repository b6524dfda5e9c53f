package io.kubeaudit.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.kubeaudit.config.AgentConfig;
import io.kubeaudit.config.ConfigLoader;
import io.kubeaudit.config.Reference;
import io.kubeaudit.yaml.InvalidInputException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

/**
 * Entry point: {@code kube-audit-agent COMMAND [options]}. Exit codes: 0 success (changed or not),
 * 1 failure, 2 usage error.
 */
public final class Main {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    private static final int HELP_WIDTH = 100;

    private final Map<String, Command> commands = new LinkedHashMap<>();
    private final PrintStream out;
    private final PrintStream err;

    Main(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
        for (Command c : List.<Command>of(new VersionCommand(), new PolicyCommand(), new SetupCommand(), new TeardownCommand(),
                new DemoCommand(), new SimulateNodeCommand(), new ShipCommand(), new RunCommand(), new StatusCommand(), new CheckCommand(),
                new QueryCommand(InstantSource.system()))) {
            commands.put(c.name(), c);
        }
    }

    public static void main(String[] args) {
        System.exit(new Main(System.out, System.err).run(args));
    }

    /** Runs one command and returns its exit code; never calls System.exit, so tests can call it. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return new Main(out, err).run(args);
    }

    int run(String[] args) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            printCommandList(args.length == 0 ? err : out);
            return args.length == 0 ? USAGE : OK;
        }
        Command command = commands.get(args[0]);
        if (command == null) {
            err.println("kube-audit-agent: unknown command \"" + args[0] + "\"");
            printCommandList(err);
            return USAGE;
        }
        Options options = withGlobalOptions(command.options());
        CommandLine line;
        try {
            line = new DefaultParser().parse(options, Arrays.copyOfRange(args, 1, args.length));
        } catch (ParseException e) {
            err.println("kube-audit-agent " + command.name() + ": " + e.getMessage());
            err.println("Try 'kube-audit-agent " + command.name() + " --help'.");
            return USAGE;
        }
        if (line.hasOption("help")) {
            printHelp(command, options, out);
            return OK;
        }
        OutputMode mode;
        try {
            mode = outputMode(line, command);
        } catch (UsageException e) {
            err.println("kube-audit-agent " + command.name() + ": " + e.getMessage());
            return USAGE;
        }
        PrintStream progress = mode == OutputMode.TEXT ? out : err;
        CommandResult result;
        try {
            CommandContext context = context(line, mode, progress);
            result = command.run(line, context);
        } catch (UsageException e) {
            err.println("kube-audit-agent " + command.name() + ": " + e.getMessage());
            err.println("Try 'kube-audit-agent " + command.name() + " --help'.");
            return USAGE;
        } catch (InvalidInputException e) {
            result = CommandResult.builder(command.name()).error(e.getMessage()).build();
        } catch (Exception e) {
            result = CommandResult.builder(command.name()).error(describe(e)).build();
            if (System.getenv("KUBE_AUDIT_AGENT_DEBUG") != null) {
                e.printStackTrace(err);
            }
        }
        print(result, mode);
        return result.exitCode();
    }

    private CommandContext context(CommandLine line, OutputMode mode, PrintStream progress) throws InvalidInputException {
        boolean explicit = line.hasOption("config");
        Path configFile = Path.of(line.getOptionValue("config", AgentConfig.DEFAULT_PATH));
        String root = line.getOptionValue("root");
        // The default config path is looked up under --root too, so a sandboxed node carries its own config.
        if (!explicit && root != null) {
            configFile = io.kubeaudit.node.NodePaths.of(root).resolve(AgentConfig.DEFAULT_PATH);
        }
        AgentConfig config = ConfigLoader.load(configFile, explicit);
        if (root != null) {
            config = config.withRoot(Path.of(root).toAbsolutePath().normalize().toString());
        }
        return new CommandContext(config, configFile, mode, out, progress, err);
    }

    private static OutputMode outputMode(CommandLine line, Command command) throws UsageException {
        String value = line.getOptionValue("output", "text");
        String allowed = command.outputModes().stream().sorted().map(m -> m.name().toLowerCase(Locale.ROOT))
                .collect(java.util.stream.Collectors.joining(" or "));
        try {
            OutputMode mode = OutputMode.valueOf(value.toUpperCase(Locale.ROOT));
            if (command.outputModes().contains(mode)) {
                return mode;
            }
        } catch (IllegalArgumentException e) {
            // Not a mode at all: the same message as one this command lacks.
        }
        throw new UsageException("--output must be " + allowed + ", found \"" + value + "\"");
    }

    private void print(CommandResult result, OutputMode mode) {
        if (result.streamed()) {
            // The command wrote its output as it went; only what went wrong is left to say.
            result.warnings().forEach(w -> err.println("warning: " + w));
            result.errors().forEach(e -> err.println("error: " + e));
            return;
        }
        if (mode == OutputMode.JSON) {
            try {
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result));
            } catch (Exception e) {
                err.println("kube-audit-agent: cannot print the JSON result: " + e.getMessage());
            }
            return;
        }
        result.actions().forEach(out::println);
        if (result.diff() != null && !result.diff().isEmpty()) {
            out.print(result.diff());
        }
        result.warnings().forEach(w -> err.println("warning: " + w));
        result.errors().forEach(e -> err.println("error: " + e));
        if (result.backup() != null) {
            (result.failed() ? err : out).println("backup: " + result.backup());
        }
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            return e.getClass().getSimpleName() + " (unexpected; please report):\n" + trace;
        }
        return message;
    }

    private static Options withGlobalOptions(Options own) {
        Options all = new Options();
        own.getOptions().forEach(all::addOption);
        all.addOption(Option.builder().longOpt("config").hasArg().argName("FILE")
                .desc("config file (default " + AgentConfig.DEFAULT_PATH + ", under --root when given)").build());
        all.addOption(Option.builder().longOpt("root").hasArg().argName("DIR")
                .desc("prefix for every node path (a sandbox); default / or the config's root").build());
        all.addOption(Option.builder("o").longOpt("output").hasArg().argName("text|json")
                .desc("text for people (default), json for scripts and Ansible").build());
        all.addOption(Option.builder("h").longOpt("help").desc("show this help").build());
        return all;
    }

    private void printCommandList(PrintStream to) {
        to.println("usage: kube-audit-agent COMMAND [options]   (kube-audit-agent COMMAND --help for details)");
        to.println();
        for (Command c : commands.values()) {
            if (!c.hidden()) {
                to.printf("  %-10s %s%n", c.name(), c.summary());
            }
        }
        to.println();
        to.println("exit codes: 0 success (changed or not), 1 failure, 2 usage error");
    }

    private static void printHelp(Command command, Options options, PrintStream to) {
        PrintWriter w = new PrintWriter(to);
        String syntax = "kube-audit-agent " + command.name() + (command.arguments().isEmpty() ? "" : " " + command.arguments());
        new HelpFormatter().printHelp(w, HELP_WIDTH, syntax, command.summary(), options, 2, 2,
                "exit codes: 0 success (changed or not), 1 failure, 2 usage error", true);
        if (!command.settings().isEmpty()) {
            w.println();
            w.println("settings it reads from the config file (every one, with its rules: docs/configuration.md):");
            Reference.help(command.settings(), HELP_WIDTH).forEach(w::println);
        }
        w.flush();
    }
}
