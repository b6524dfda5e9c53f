package io.kubeaudit.apply;

import java.time.Duration;

/** One question to the local API server ("does kubectl get nodes work?", "is /readyz 200?"). */
interface HealthCheck {

    /** What is checked, for progress lines and errors. */
    String name();

    /** Asks once, waiting at most {@code timeout}; a failure is a result, not an exception. */
    Result check(Duration timeout) throws InterruptedException;

    record Result(boolean ok, String detail) {
        static Result ok(String detail) {
            return new Result(true, detail);
        }

        static Result failed(String detail) {
            return new Result(false, detail);
        }
    }
}
