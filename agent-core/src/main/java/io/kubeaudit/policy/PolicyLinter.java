package io.kubeaudit.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Warnings about valid policies that probably do not do what their author wants: credentials in
 * the log, requests silently dropped, rules that never match, doubled volume. Findings are sorted
 * by place in the file.
 */
public final class PolicyLinter {

    private static final List<LintCheck> CHECKS = List.of(new SensitiveBodyCheck(), new CatchAllCheck(),
            new ShadowedRuleCheck(), new StageCheck(), new GroupCheck(), new SelectorCheck());

    private PolicyLinter() {
    }

    public static List<LintFinding> lint(AuditPolicy policy) {
        List<LintFinding> out = new ArrayList<>();
        for (LintCheck check : CHECKS) {
            out.addAll(check.check(policy));
        }
        out.sort(Comparator.comparingInt((LintFinding f) -> f.location().line()).thenComparingInt(f -> f.location().column()));
        return List.copyOf(out);
    }
}
