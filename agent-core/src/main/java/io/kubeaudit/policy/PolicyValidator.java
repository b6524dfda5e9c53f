package io.kubeaudit.policy;

import io.kubeaudit.node.KubeVersion;
import io.kubeaudit.yaml.InvalidInputException;
import java.util.Optional;

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
     * Parses and validates {@code text} against the newest server in {@link ServerVersionTable}; {@code fileName} is
     * used in messages.
     *
     * @throws InvalidPolicyException with every error found, each naming file, line, column and rule
     */
    public static AuditPolicy validate(String fileName, String text) throws InvalidInputException {
        return validate(fileName, text, Optional.empty());
    }

    /**
     * As {@link #validate(String, String)}, for the given kube-apiserver version: its apiVersions and fields,
     * how its YAML reader types scalars, whether it drops unknown fields silently. A newer server than the
     * table knows is taken as the newest it knows.
     */
    public static AuditPolicy validate(String fileName, String text, Optional<KubeVersion> server) throws InvalidInputException {
        return PolicyReader.read(fileName, text, server);
    }

    /** Validates a resolved policy document (bundled or read from disk). */
    public static AuditPolicy validate(PolicyDocument document) throws InvalidInputException {
        return validate(document, Optional.empty());
    }

    public static AuditPolicy validate(PolicyDocument document, Optional<KubeVersion> server) throws InvalidInputException {
        return validate(document.fileName(), document.text(), server);
    }
}
