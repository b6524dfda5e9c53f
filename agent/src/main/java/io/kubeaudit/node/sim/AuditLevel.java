package io.kubeaudit.node.sim;

/** audit.k8s.io/v1 levels, least to most detailed. */
enum AuditLevel {
    None, Metadata, Request, RequestResponse;

    boolean atLeast(AuditLevel other) {
        return compareTo(other) >= 0;
    }
}
