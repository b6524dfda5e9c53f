package io.kubeaudit.policy;

import io.kubeaudit.yaml.SourceLocation;
import java.util.Objects;

/**
 * A policy that loads but probably does not do what its author wants. {@code code} is stable
 * (for scripts and suppression lists), {@code message} says what was found, {@code explanation}
 * why it matters and what to change.
 */
public record LintFinding(String code, SourceLocation location, String message, String explanation) {

    public LintFinding {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(explanation, "explanation");
    }

    @Override
    public String toString() {
        return location + ": " + code + ": " + message;
    }
}
