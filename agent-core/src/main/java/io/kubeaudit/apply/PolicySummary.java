package io.kubeaudit.apply;

import io.kubeaudit.policy.AuditLevel;
import io.kubeaudit.policy.AuditPolicy;
import io.kubeaudit.policy.PolicyRule;
import io.kubeaudit.policy.PolicyValidator;
import io.kubeaudit.yaml.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A dry run's short account of a policy change: rules per level before and after and both hashes, instead of a
 * diff of a few hundred lines (which {@code --diff-policy} still shows).
 */
final class PolicySummary {

    private PolicySummary() {
    }

    static String of(PolicyChange p) {
        return "policy " + p.nodePath() + " (" + p.name() + "):\n"
                + "  before: " + p.previous().map(PolicySummary::describe).orElse("no file") + "\n"
                + "  after:  " + describe(p.content()) + "\n"
                + "  (--diff-policy shows the whole diff)\n";
    }

    private static String describe(byte[] content) {
        String hash = "sha256 " + sha256(content).substring(0, 12);
        try {
            AuditPolicy policy = PolicyValidator.validate("policy", new String(content, StandardCharsets.UTF_8));
            Map<AuditLevel, Integer> levels = new EnumMap<>(AuditLevel.class);
            for (PolicyRule r : policy.rules()) {
                levels.merge(r.level(), 1, Integer::sum);
            }
            StringJoiner perLevel = new StringJoiner(", ");
            levels.forEach((level, n) -> perLevel.add(level + " " + n));
            return policy.rules().size() + (policy.rules().size() == 1 ? " rule" : " rules") + " (" + perLevel + "), " + hash;
        } catch (InvalidInputException e) {
            return "not a valid policy (" + content.length + " bytes), " + hash;
        }
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
