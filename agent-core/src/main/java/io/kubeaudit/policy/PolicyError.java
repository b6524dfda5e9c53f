package io.kubeaudit.policy;

import io.kubeaudit.yaml.InvalidInputException;
import io.kubeaudit.yaml.SourceLocation;
import java.util.Objects;

/** One reason a policy is refused, with its place in the file. */
public record PolicyError(SourceLocation location, String problem) {

    public PolicyError {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(problem, "problem");
    }

    static PolicyError of(InvalidInputException e) {
        String message = e.getMessage();
        String prefix = e.location() + ": ";
        return new PolicyError(e.location(), message.startsWith(prefix) ? message.substring(prefix.length()) : message);
    }

    @Override
    public String toString() {
        return location + ": " + problem;
    }
}
