package io.kubeaudit.apply;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Leave to restart this node's API server, asked for by the transaction once preflight has found that the
 * change edits the manifest (a no-op, a dry run or a policy-only change restarts nothing and asks nothing),
 * and given back when the restart is over: healthy, or rolled back. The CLI's and the daemon's is the
 * cluster-wide Lease.
 */
public interface RestartPermit {

    /** Why the leave was not given; nothing was changed. */
    sealed interface Refusal {
        /** What the operator of a command is told. */
        String message();

        /** Another node holds it until {@code until} (its API server is restarting): wait, this is no failure. */
        record Busy(String holder, Instant until, String message) implements Refusal {
        }

        /** It could not be asked for ({@code cause}: the API unreachable, forbidden); nothing may restart without it. */
        record Unavailable(String cause, String message) implements Refusal {
        }
    }

    /** No leave needed: the transaction restarts the server on its own authority (the lease is off or not wanted). */
    RestartPermit NONE = new RestartPermit() {
        @Override
        public Optional<Refusal> acquire(Consumer<String> progress) {
            return Optional.empty();
        }

        @Override
        public void release(Consumer<String> progress) {
            // Nothing was taken.
        }
    };

    /**
     * May block while someone else holds the leave.
     *
     * @param progress where to say what it waits for
     * @return empty to go ahead; else why not (the change is then refused, nothing changed)
     */
    Optional<Refusal> acquire(Consumer<String> progress) throws InterruptedException;

    /** The restart is over; only called after an {@link #acquire} that returned empty. */
    void release(Consumer<String> progress) throws InterruptedException;
}
