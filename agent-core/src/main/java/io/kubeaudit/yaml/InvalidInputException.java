package io.kubeaudit.yaml;

/**
 * A file given to the agent (config, policy, manifest) is not acceptable. The message always starts
 * with the file and, where known, line and column, so a person can go straight to the problem.
 */
public class InvalidInputException extends Exception {

    private final SourceLocation location;

    public InvalidInputException(SourceLocation location, String problem) {
        super(location + ": " + problem);
        this.location = location;
    }

    public InvalidInputException(SourceLocation location, String problem, Throwable cause) {
        super(location + ": " + problem, cause);
        this.location = location;
    }

    public SourceLocation location() {
        return location;
    }
}
