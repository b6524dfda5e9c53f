package io.kubeaudit.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.kubeaudit.config.AgentConfig;
import io.kubeaudit.config.ConfigLoader;
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
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

/**
 * Entry point: {@code kube-audit-agent COMMAND [options]}. Exit codes: {@link HelpText#EXIT_CODES}.
 */
public final class Main {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    /** The command ran, and what it reports is unhealthy (status). */
    public static final int UNHEALTHY = 3;

    private final Map<String, Command> commands = new LinkedHashMap<>();
    private final PrintStream out;
    private final PrintStream err;

    Main(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
        for (Command c : List.<Command>of(new VersionCommand(), new PolicyCommand(), new SetupCommand(), new TeardownCommand(),
                new DemoCommand(), new SimulateNodeCommand(), new ShipCommand(), new RunCommand(), new StatusCommand(), new TopCommand(),
                new CheckCommand(),
                new QueryCommand(InstantSource.system()),
                new CompletionCommand(this::listedCommands), new DocsCommand(this::listedCommands))) {
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
            (args.length == 0 ? err : out).print(HelpText.commandList(listedCommands()));
            return args.length == 0 ? USAGE : OK;
        }
        Command command = commands.get(args[0].equals("--version") ? "version" : args[0]);
        if (command == null) {
            err.println("kube-audit-agent: unknown command \"" + args[0] + "\"");
            err.print(HelpText.commandList(listedCommands()));
            return USAGE;
        }
        Options options = HelpText.withGlobalOptions(command.options(), command.outputModes());
        CommandLine line;
        try {
            line = new DefaultParser().parse(options, Arrays.copyOfRange(args, 1, args.length));
        } catch (ParseException e) {
            err.println("kube-audit-agent " + command.name() + ": " + e.getMessage());
            err.println("Try 'kube-audit-agent " + command.name() + " --help'.");
            return USAGE;
        }
        if (line.hasOption("help")) {
            out.print(HelpText.commandHelp(command));
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
            CommandContext context = context(command, line, mode, progress);
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

    private CommandContext context(Command command, CommandLine line, OutputMode mode, PrintStream progress) throws InvalidInputException {
        if (!command.readsConfig()) {
            return new CommandContext(AgentConfig.defaults(), null, mode, out, progress, err, AgentConfig::defaults);
        }
        boolean explicit = line.hasOption("config");
        Path given = Path.of(line.getOptionValue("config", AgentConfig.DEFAULT_PATH));
        String root = line.getOptionValue("root");
        // The default config path is looked up under --root too, so a sandboxed node carries its own config.
        Path configFile = !explicit && root != null ? io.kubeaudit.node.NodePaths.of(root).resolve(AgentConfig.DEFAULT_PATH) : given;
        CommandContext.ConfigReload load = () -> {
            AgentConfig config = ConfigLoader.load(configFile, explicit);
            return root == null ? config : config.withRoot(Path.of(root).toAbsolutePath().normalize().toString());
        };
        return new CommandContext(load.reload(), configFile, mode, out, progress, err, load);
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

    /** The commands a user sees in the list, the man page and the completion (developer commands stay out). */
    List<Command> listedCommands() {
        return commands.values().stream().filter(c -> !c.hidden()).toList();
    }
}
