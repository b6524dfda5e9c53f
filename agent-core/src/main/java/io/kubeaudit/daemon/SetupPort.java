package io.kubeaudit.daemon;

import io.kubeaudit.config.AgentConfig;

/** The daemon's view of the setup transaction: compare without changing, and apply safely. */
interface SetupPort {

    /** Compares the node with {@code config}; changes nothing. */
    SetupState check(AgentConfig config) throws Exception;

    /** Runs the safe transaction (lock, preflight, backup, swap, health wait, rollback on failure). */
    ApplyOutcome apply(AgentConfig config) throws Exception;
}
