package io.kubeaudit.apply.health;

import java.time.Duration;

/** One question to the local API server ("does kubectl get nodes work?", "is /readyz 200?"). */
public interface HealthCheck {

    /** What is checked, for progress lines and errors. */
    String name();

    /** Asks once, waiting at most {@code timeout}; a failure is a result, not an exception. */
    Result check(Duration timeout) throws InterruptedException;

    record Result(boolean ok, String detail) {
        public static Result ok(String detail) {
            return new Result(true, detail);
        }

        public static Result failed(String detail) {
            return new Result(false, detail);
        }
    }
}
