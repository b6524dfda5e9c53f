package io.kubeaudit.apply.health;

/** How a wait for the API server ended. */
public sealed interface HealthVerdict {

    /** @param evidence what showed the restart (or "no restart expected") and the answers */
    record Healthy(String evidence, boolean restarted) implements HealthVerdict {
    }

    /**
     * @param stage     how far the server got
     * @param reason    what was missing, for the operator
     * @param restarted whether a new server instance was seen at all
     */
    record Unhealthy(Stage stage, String reason, boolean restarted) implements HealthVerdict {
    }

    enum Stage {
        /** No new server instance appeared. */
        NOT_RESTARTED,
        /** A new server appeared but kept exiting. */
        CRASH_LOOP,
        /** A new server appeared but did not answer often enough in a row. */
        NOT_ANSWERING,
        /** The server answered but recorded no audit event. */
        NO_AUDIT_EVENT
    }
}
