package io.kubeaudit.cli;

import io.kubeaudit.config.AgentConfig;
import io.kubeaudit.kube.SetupLease;
import io.kubeaudit.policy.PolicyCatalog;
import io.kubeaudit.policy.PolicyDocument;
import io.kubeaudit.policy.PolicyValidator;
import io.kubeaudit.query.EventFilter;
import io.kubeaudit.query.EventParser;
import io.kubeaudit.query.InputFile;
import io.kubeaudit.query.InputFiles;
import io.kubeaudit.query.LogQuery;
import io.kubeaudit.simulate.Simulation;
import io.kubeaudit.simulate.SimulationReport;
import io.kubeaudit.simulate.SimulationText;
import io.kubeaudit.yaml.InvalidInputException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code policy simulate POLICY [--compare OTHER] [FILE|DIR...]}: what a policy would keep of recorded audit
 * logs (the configured log and its backups by default), read the way {@code query} reads them.
 */
final class PolicySimulate {

    static final int DEFAULT_TOP = 10;

    private PolicySimulate() {
    }

    static CommandResult run(List<String> operands, Optional<String> compare, int top, CommandContext context)
            throws UsageException, InvalidInputException, IOException {
        if (operands.isEmpty()) {
            throw new UsageException("policy simulate needs a POLICY (a bundled name or a file), then the logs to read"
                    + " (default: audit.logPath and its backups)");
        }
        AgentConfig config = context.config();
        List<Simulation.Candidate> candidates = new ArrayList<>();
        candidates.add(candidate(operands.get(0), context));
        if (compare.isPresent()) {
            candidates.add(candidate(compare.get(), context));
        }
        List<Path> paths = operands.subList(1, operands.size()).stream().map(Path::of).toList();
        List<InputFile> inputs = paths.isEmpty()
                ? InputFiles.ofLog(config.paths().resolve(config.audit().logPath()), SetupLease.identity(config))
                : InputFiles.of(paths);
        Simulation simulation = new Simulation(candidates);
        LogQuery.Stats stats = new LogQuery(EventFilter.everything(), EventParser.measuringManagedFields(), simulation,
                p -> context.err().println("error: " + p)).run(inputs);
        SimulationReport report = simulation.report(stats, top);
        CommandResult.Builder result = CommandResult.builder("policy simulate");
        report.policies().forEach(p -> p.warnings().forEach(result::warning));
        if (stats.problems() > 0) {
            result.warning(stats.problems() + " line" + (stats.problems() == 1 ? "" : "s") + " or file" + (stats.problems() == 1 ? "" : "s")
                    + " could not be read as audit events (listed above): not counted");
        }
        if (context.output() == OutputMode.TEXT) {
            PrintStream out = new PrintStream(new BufferedOutputStream(context.out(), 64 * 1024), false, StandardCharsets.UTF_8);
            SimulationText.print(report, out);
            return result.streamed().build();
        }
        return result.detail("input", report.input()).detail("policies", report.policies()).detail("changes", report.changes()).build();
    }

    private static Simulation.Candidate candidate(String nameOrFile, CommandContext context) throws InvalidInputException {
        PolicyDocument document = PolicyCatalog.resolve(nameOrFile, context.config().paths());
        return new Simulation.Candidate(document.name(), PolicyValidator.validate(document));
    }
}
