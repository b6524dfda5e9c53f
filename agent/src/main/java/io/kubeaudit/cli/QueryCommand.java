package io.kubeaudit.cli;

import io.kubeaudit.config.AgentConfig;
import io.kubeaudit.config.Setting;
import io.kubeaudit.kube.SetupLease;
import io.kubeaudit.query.CountOutput;
import io.kubeaudit.query.EventColumn;
import io.kubeaudit.query.EventOutput;
import io.kubeaudit.query.EventParser;
import io.kubeaudit.query.ExplainOutput;
import io.kubeaudit.query.FollowQuery;
import io.kubeaudit.query.InputFile;
import io.kubeaudit.query.InputFiles;
import io.kubeaudit.query.LogQuery;
import io.kubeaudit.query.Problem;
import io.kubeaudit.query.RawOutput;
import io.kubeaudit.query.TableOutput;
import io.kubeaudit.ship.Shipper;
import java.io.BufferedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code query}: who did what, answered from the audit log on the node: the live log and its rotated
 * backups (plain and gzipped), files and folders given by name, or the agent's dead letters.
 */
final class QueryCommand implements Command {

    private final InstantSource clock;

    QueryCommand(InstantSource clock) {
        this.clock = clock;
    }

    @Override
    public String name() {
        return "query";
    }

    @Override
    public String summary() {
        return "find audit events by who, what, when and where (the live log and its backups, or given files)";
    }

    @Override
    public String arguments() {
        return "[FILE|DIR...]";
    }

    @Override
    public Set<OutputMode> outputModes() {
        return Set.of(OutputMode.TEXT, OutputMode.JSON, OutputMode.NDJSON);
    }

    @Override
    public List<Setting<?>> settings() {
        return List.of(AgentConfig.AUDIT, AgentConfig.SHIP);
    }

    @Override
    public Options options() {
        Options options = QueryFilters.options();
        options.addOption(Option.builder().longOpt("explain").desc("answer what, when, who, on what, where observed, from where and"
                + " to where for each event, in plain words").build());
        options.addOption(Option.builder().longOpt("count-by").hasArg().argName("KEY,...").desc("count the events per "
                + String.join("|", keys()) + " (several: user,verb), most frequent first").build());
        options.addOption(Option.builder("f").longOpt("follow").desc("keep reading new events as the server writes them,"
                + " across rotations, until interrupted").build());
        options.addOption(Option.builder().longOpt("dead-letter").desc("read the agent's dead-letter files (ship.stateDir/"
                + "dead-letter, or the given files) instead of the audit log").build());
        return options;
    }

    @Override
    public CommandResult run(CommandLine line, CommandContext context) throws Exception {
        AgentConfig config = context.config();
        CommandResult.Builder result = CommandResult.builder(name()).streamed();
        var filter = QueryFilters.filter(line, clock.instant());
        List<Path> paths = line.getArgList().stream().map(Path::of).toList();
        boolean follow = line.hasOption("follow");
        boolean deadLetter = line.hasOption("dead-letter");
        if (follow && (deadLetter || paths.size() > 1)) {
            throw new UsageException("--follow follows one live log (audit.logPath, or the one file given), not dead letters or several files");
        }
        if (line.hasOption("explain") && (line.hasOption("count-by") || context.output() != OutputMode.TEXT)) {
            throw new UsageException("--explain is text for people: not with --count-by or --output json|ndjson");
        }
        if (follow && line.hasOption("count-by")) {
            throw new UsageException("--count-by counts what was read when the query ends: not with --follow");
        }
        PrintStream out = new PrintStream(new BufferedOutputStream(context.out(), 64 * 1024), false, StandardCharsets.UTF_8);
        PrintStream err = context.err();
        AtomicLong problems = new AtomicLong();
        Consumer<Problem> report = p -> {
            problems.incrementAndGet();
            out.flush();
            err.println("error: " + p);
        };
        EventOutput output = output(line, context.output(), out);
        Path liveLog = config.paths().resolve(config.audit().logPath());
        String node = SetupLease.identity(config);
        if (follow) {
            Path followed = paths.isEmpty() ? liveLog : paths.get(0);
            try (FollowQuery query = new FollowQuery(followed, paths.isEmpty() ? Optional.of(node) : Optional.empty(), filter,
                    EventParser.forQueries(), output, report, clock)) {
                query.run();
            }
            return result.build();
        }
        List<InputFile> inputs = deadLetter
                ? InputFiles.deadLetters(paths.isEmpty() ? List.of(deadLetterDirectory(config)) : paths)
                : paths.isEmpty() ? InputFiles.ofLog(liveLog, node) : InputFiles.of(paths);
        inputs = InputFiles.receivedFrom(inputs, filter.time().from());
        long started = System.nanoTime();
        LogQuery.Stats stats = new LogQuery(filter, EventParser.forQueries(), output, report).run(inputs);
        out.flush();
        if (context.output() == OutputMode.TEXT) {
            err.printf(Locale.ROOT, "%d event%s matched; %d file%s, %.1f MB read, %d lines parsed, in %.2f s%n", stats.matched(),
                    stats.matched() == 1 ? "" : "s", stats.files(), stats.files() == 1 ? "" : "s", stats.bytes() / 1e6,
                    stats.parsed(), (System.nanoTime() - started) / 1e9);
        }
        if (stats.problems() > 0) {
            result.error(stats.problems() + " line" + (stats.problems() == 1 ? "" : "s") + " or file" + (stats.problems() == 1 ? "" : "s")
                    + " could not be read as audit events (listed above); the rest was searched");
        }
        return result.detail("matched", stats.matched()).build();
    }

    private static Path deadLetterDirectory(AgentConfig config) throws UsageException {
        Path dir = Shipper.deadLetterDirectory(config.paths().resolve(config.ship().stateDir()));
        if (!Files.isDirectory(dir)) {
            throw new UsageException("no dead letters: " + dir + " does not exist (nothing was ever dead-lettered with this state directory)");
        }
        return dir;
    }

    private static EventOutput output(CommandLine line, OutputMode mode, PrintStream out) throws UsageException {
        if (line.hasOption("count-by")) {
            List<EventColumn> keys = new ArrayList<>();
            for (String key : line.getOptionValue("count-by").split(",")) {
                keys.add(EventColumn.byKey(key.strip()).orElseThrow(() -> new UsageException("--count-by " + key + ": not one of "
                        + String.join(", ", keys()))));
            }
            return new CountOutput(keys, switch (mode) {
                case TEXT -> CountOutput.Format.TABLE;
                case JSON -> CountOutput.Format.JSON;
                case NDJSON -> CountOutput.Format.NDJSON;
            }, out);
        }
        if (line.hasOption("explain")) {
            return new ExplainOutput(out);
        }
        return switch (mode) {
            case TEXT -> new TableOutput(out);
            case JSON -> RawOutput.jsonArray(out);
            case NDJSON -> RawOutput.ndjson(out);
        };
    }

    private static List<String> keys() {
        return java.util.Arrays.stream(EventColumn.values()).map(EventColumn::key).toList();
    }
}
