package io.kubeaudit.policy;

import java.util.ArrayList;
import java.util.List;

/** Rules that can never take effect because an earlier rule selects everything they select (first match wins). */
final class ShadowedRuleCheck implements LintCheck {

    @Override
    public List<LintFinding> check(AuditPolicy policy) {
        List<LintFinding> out = new ArrayList<>();
        List<PolicyRule> rules = policy.rules();
        for (int j = 1; j < rules.size(); j++) {
            PolicyRule later = rules.get(j);
            for (int i = 0; i < j; i++) {
                PolicyRule earlier = rules.get(i);
                if (RuleCoverage.covers(earlier, later)) {
                    out.add(new LintFinding("shadowed-rule", later.location(),
                            later.path() + " (" + later.level() + ") can never match: " + earlier.path() + " ("
                                    + earlier.level() + ") comes first and selects every request it would",
                            "The API server uses the first rule that matches a request, so " + later.path()
                                    + " has no effect. Move it above " + earlier.path() + ", narrow " + earlier.path()
                                    + ", or delete it."));
                    break;
                }
            }
        }
        return out;
    }
}
