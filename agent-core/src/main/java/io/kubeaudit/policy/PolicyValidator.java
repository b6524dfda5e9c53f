package io.kubeaudit.policy;

import io.kubeaudit.node.KubeVersion;
import io.kubeaudit.yaml.InvalidInputException;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides whether a policy file is safe to hand to kube-apiserver: exactly the checks the server
 * applies at start (a failure there is a crash-looping API server), plus refusing what it would
 * accept with a different meaning than written (misspelt fields are dropped, so {@code verb:}
 * instead of {@code verbs:} silently widens a rule).
 */
public final class PolicyValidator {

    private PolicyValidator() {
    }

    /**
     * Parses and validates {@code text}; {@code fileName} is used in messages.
     *
     * @throws InvalidPolicyException with every error found, each naming file, line, column and rule
     */
    public static AuditPolicy validate(String fileName, String text) throws InvalidInputException {
        return PolicyReader.read(fileName, text);
    }

    /** Validates a resolved policy document (bundled or read from disk). */
    public static AuditPolicy validate(PolicyDocument document) throws InvalidInputException {
        return validate(document.fileName(), document.text());
    }

    /**
     * Refuses a policy that the given server version cannot load as written: {@code audit.k8s.io/v1}
     * exists from 1.12 on (older servers crash-loop with "no kind Policy is registered"), and
     * {@code omitManagedFields} from 1.20 on (older servers drop the unknown field and log managed
     * fields anyway).
     */
    public static void checkServerSupports(AuditPolicy policy, KubeVersion server) throws InvalidInputException {
        List<PolicyError> errors = new ArrayList<>();
        if (!server.atLeast(1, 12)) {
            errors.add(new PolicyError(policy.location(), "kube-apiserver " + server + " does not know "
                    + AuditPolicy.API_VERSION + " (added in 1.12) and would refuse to start; upgrade the control plane"
                    + " to a supported Kubernetes version first"));
        }
        if (!server.atLeast(1, 20)) {
            for (ManagedFieldsOption option : policy.managedFieldsOptions()) {
                errors.add(new PolicyError(option.location(), "omitManagedFields needs kube-apiserver 1.20 or newer; "
                        + server + " does not know the field, would drop it and log managed fields anyway; remove it"
                        + " or choose a policy without it (minimal, recommended and cis work from 1.12)"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidPolicyException(errors);
        }
    }
}
