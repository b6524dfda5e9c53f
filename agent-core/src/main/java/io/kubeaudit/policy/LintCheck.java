package io.kubeaudit.policy;

import java.util.List;

/** One kind of lint finding; {@link PolicyLinter} runs them all. */
interface LintCheck {

    List<LintFinding> check(AuditPolicy policy);
}
