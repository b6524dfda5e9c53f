package io.kubeaudit.cli;

import io.kubeaudit.config.AgentConfig;
import io.kubeaudit.config.Setting;
import io.kubeaudit.node.KubeVersion;
import io.kubeaudit.node.NodePaths;
import io.kubeaudit.policy.AuditPolicy;
import io.kubeaudit.policy.InvalidPolicyException;
import io.kubeaudit.policy.LintFinding;
import io.kubeaudit.policy.PolicyCatalog;
import io.kubeaudit.policy.PolicyDocument;
import io.kubeaudit.policy.PolicyError;
import io.kubeaudit.policy.PolicyLinter;
import io.kubeaudit.policy.PolicyValidator;
import io.kubeaudit.yaml.InvalidInputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code policy validate|lint|list|show|simulate}: checks policy files the way the API server would (and
 * stricter), warns about valid policies that leak or lose events, shows the bundled ones, and tells
 * what a policy would keep of recorded logs.
 */
final class PolicyCommand implements Command {

    private static final Pattern VERSION = Pattern.compile("v?(\\d+)\\.(\\d+)(?:\\.(\\d+))?([-+].*)?");
    private static final String SUBCOMMANDS = "validate FILE... | lint FILE|NAME... | list | show NAME"
            + " | simulate POLICY [FILE|DIR...]";

    @Override
    public String name() {
        return "policy";
    }

    @Override
    public String summary() {
        return "validate, lint, list and show audit policies; simulate what one keeps of recorded logs";
    }

    @Override
    public String arguments() {
        return SUBCOMMANDS;
    }

    /** simulate reads the configured audit log. */
    @Override
    public List<Setting<?>> settings() {
        return List.of(AgentConfig.AUDIT);
    }

    @Override
    public Options options() {
        Options options = new Options();
        options.addOption(Option.builder().longOpt("server-version").hasArg().argName("VERSION")
                .desc("validate/lint: check as this kube-apiserver version reads the file (e.g. v1.29; default: the newest known)").build());
        options.addOption(Option.builder().longOpt("strict").desc("lint: exit 1 when there are warnings").build());
        options.addOption(Option.builder().longOpt("compare").hasArg().argName("POLICY")
                .desc("simulate: put this policy (a name or file) beside the first and list the events whose fate changes").build());
        options.addOption(Option.builder().longOpt("top").hasArg().argName("N")
                .desc("simulate: how many users, resources, user agents and changes to list (default "
                        + PolicySimulate.DEFAULT_TOP + ")").build());
        return options;
    }

    @Override
    public CommandResult run(CommandLine line, CommandContext context) throws Exception {
        List<String> args = line.getArgList();
        if (args.isEmpty()) {
            throw new UsageException("missing subcommand: " + SUBCOMMANDS);
        }
        String sub = args.get(0);
        List<String> operands = args.subList(1, args.size());
        if (line.hasOption("strict") && !sub.equals("lint")) {
            throw new UsageException("--strict only applies to policy lint");
        }
        if (line.hasOption("server-version") && !sub.equals("validate") && !sub.equals("lint")) {
            throw new UsageException("--server-version only applies to policy validate and policy lint");
        }
        if ((line.hasOption("compare") || line.hasOption("top")) && !sub.equals("simulate")) {
            throw new UsageException("--compare and --top only apply to policy simulate");
        }
        Optional<KubeVersion> server = line.hasOption("server-version")
                ? Optional.of(serverVersion(line.getOptionValue("server-version"))) : Optional.empty();
        NodePaths paths = context.config().paths();
        return switch (sub) {
            case "validate" -> check(operands, paths, server, false, false);
            case "lint" -> check(operands, paths, server, true, line.hasOption("strict"));
            case "list" -> list(operands);
            case "show" -> show(operands, paths, context);
            case "simulate" -> PolicySimulate.run(operands, Optional.ofNullable(line.getOptionValue("compare")), top(line), context);
            default -> throw new UsageException("unknown subcommand \"" + sub + "\": " + SUBCOMMANDS);
        };
    }

    /** validate and lint: every file is checked, all problems are reported, any invalid file fails the run. */
    private CommandResult check(List<String> files, NodePaths paths, Optional<KubeVersion> server, boolean lint, boolean strict)
            throws UsageException {
        String sub = lint ? "lint" : "validate";
        if (files.isEmpty()) {
            throw new UsageException("policy " + sub + " needs at least one " + (lint ? "FILE or NAME" : "FILE"));
        }
        CommandResult.Builder result = CommandResult.builder(name() + " " + sub);
        List<Map<String, Object>> reports = new ArrayList<>();
        int findings = 0;
        for (String file : files) {
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("file", file);
            try {
                PolicyDocument document = PolicyCatalog.resolve(file, paths);
                AuditPolicy policy = PolicyValidator.validate(document, server);
                report.put("valid", true);
                report.put("rules", policy.rules().size());
                report.put("sha256", document.sha256());
                if (lint) {
                    List<LintFinding> found = PolicyLinter.lint(policy);
                    findings += found.size();
                    report.put("findings", found.stream().map(PolicyCommand::describe).toList());
                    // Findings are lint's result, so they go to stdout with it (diagnostics go to stderr).
                    result.action(file + ": valid, " + count(found.size(), "warning"));
                    found.forEach(f -> result.action("  " + f + "\n      " + f.explanation().replace("\n", "\n      ")));
                } else {
                    result.action(file + ": valid (" + count(policy.rules().size(), "rule") + ")");
                }
            } catch (InvalidPolicyException e) {
                report.put("valid", false);
                report.put("errors", e.errors().stream().map(PolicyError::toString).toList());
                e.errors().forEach(error -> result.error(error.toString()));
            } catch (InvalidInputException e) {
                report.put("valid", false);
                report.put("errors", List.of(e.getMessage()));
                result.error(e.getMessage());
            }
            reports.add(report);
        }
        if (strict && findings > 0) {
            result.error(count(findings, "lint warning") + " and --strict is set");
        }
        return result.detail("files", reports).build();
    }

    private CommandResult list(List<String> operands) throws UsageException, InvalidInputException {
        if (!operands.isEmpty()) {
            throw new UsageException("policy list takes no arguments");
        }
        CommandResult.Builder result = CommandResult.builder(name() + " list");
        List<Map<String, Object>> policies = new ArrayList<>();
        for (String policyName : PolicyCatalog.names()) {
            PolicyDocument document = PolicyCatalog.bundled(policyName);
            result.action(String.format("%-12s %s", policyName, document.description()));
            policies.add(Map.of("name", policyName, "description", document.description(), "sha256", document.sha256()));
        }
        return result.detail("policies", policies).build();
    }

    private CommandResult show(List<String> operands, NodePaths paths, CommandContext context)
            throws UsageException, InvalidInputException {
        if (operands.size() != 1) {
            throw new UsageException("policy show needs exactly one NAME (one of " + String.join(", ", PolicyCatalog.names())
                    + ") or FILE");
        }
        PolicyDocument document = PolicyCatalog.resolve(operands.get(0), paths);
        if (context.output() == OutputMode.TEXT) {
            // Printed as-is so the output can be redirected into a file and installed unchanged.
            context.out().print(document.text());
        }
        return CommandResult.builder(name() + " show")
                .detail("name", document.name())
                .detail("fileName", document.fileName())
                .detail("sha256", document.sha256())
                .detail("content", document.text())
                .build();
    }

    private static int top(CommandLine line) throws UsageException {
        String text = line.getOptionValue("top", String.valueOf(PolicySimulate.DEFAULT_TOP));
        try {
            int n = Integer.parseInt(text.strip());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // Same message as a negative number.
        }
        throw new UsageException("--top must be a whole number, 0 or more, found \"" + text + "\"");
    }

    private static Map<String, Object> describe(LintFinding finding) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("code", finding.code());
        out.put("location", finding.location().toString());
        out.put("line", finding.location().line());
        out.put("column", finding.location().column());
        out.put("message", finding.message());
        out.put("explanation", finding.explanation());
        return out;
    }

    private static String count(int n, String noun) {
        return n == 0 ? "no " + noun + "s" : n + " " + noun + (n == 1 ? "" : "s");
    }

    static KubeVersion serverVersion(String text) throws UsageException {
        Matcher m = VERSION.matcher(text.strip());
        if (!m.matches()) {
            throw new UsageException("--server-version must look like v1.29 or 1.29.3, found \"" + text + "\"");
        }
        return new KubeVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
    }
}
