package io.kubeaudit.sim;

/**
 * Why the simulated API server refuses to start. The message is what the real kube-apiserver prints after
 * {@code Error: }, so a failure seen in the container log reads like one on a real node.
 */
final class StartupException extends Exception {

    StartupException(String message) {
        super(message);
    }

    StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
