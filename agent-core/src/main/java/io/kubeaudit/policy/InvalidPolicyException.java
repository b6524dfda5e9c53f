package io.kubeaudit.policy;

import io.kubeaudit.yaml.InvalidInputException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A policy the API server would refuse, or would accept with a different meaning than written.
 * It carries every error found, not only the first, so one run shows everything to fix; the
 * message holds them one per line, each starting with file:line:column.
 */
public final class InvalidPolicyException extends InvalidInputException {

    private final transient List<PolicyError> errors;

    InvalidPolicyException(List<PolicyError> errors) {
        super(first(errors).location(), first(errors).problem() + rest(errors));
        this.errors = List.copyOf(errors);
    }

    public List<PolicyError> errors() {
        return errors;
    }

    private static PolicyError first(List<PolicyError> errors) {
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("an invalid policy needs at least one error");
        }
        return errors.get(0);
    }

    private static String rest(List<PolicyError> errors) {
        return errors.stream().skip(1).map(e -> "\n" + e).collect(Collectors.joining());
    }
}
