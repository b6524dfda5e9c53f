package io.kubeaudit.daemon;

import java.util.Optional;

/** What one run of the setup transaction did. */
sealed interface ApplyOutcome {

    /** @param changed false when the node already matched (nothing written, no restart) */
    record Applied(boolean changed, String summary, Optional<String> backup) implements ApplyOutcome {
    }

    /** The transaction failed; it has restored the backup (or says why it could not) in {@code reason}. */
    record Failed(String reason, Optional<String> backup) implements ApplyOutcome {
    }
}
