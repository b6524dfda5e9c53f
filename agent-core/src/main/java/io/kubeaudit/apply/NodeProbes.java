package io.kubeaudit.apply;

import io.kubeaudit.apply.health.HealthCheck;
import io.kubeaudit.apply.observe.Diagnosis;
import io.kubeaudit.apply.observe.RestartWatch;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * How the transaction observes the API server: restarts, answers, audit events, and the node's
 * account of a failure. An interface so that the transaction's own logic is tested with fakes.
 */
interface NodeProbes {

    /**
     * Starts watching for a server that runs the target configuration; taken before the change, so
     * that only an instance started after it counts.
     *
     * @param target the manifest the new server must run
     * @param replaced the manifest being replaced
     */
    ServerWatch watch(io.kubeaudit.manifest.ApiServerManifest target, io.kubeaudit.manifest.ApiServerManifest replaced) throws IOException;

    /** The questions the local server running {@code target} must answer: the health command, /livez, /readyz. */
    List<HealthCheck> answers(io.kubeaudit.manifest.ApiServerManifest target);

    /** The fresh-audit-event check, when the target configuration writes an audit log. */
    Optional<HealthCheck> auditEvent(SetupPlan plan, Instant since);

    /** What the node says about a server that did not come up. */
    List<Diagnosis> diagnose(ServerWatch watch, Instant since) throws InterruptedException;

    /** A restart watch that also knows which container logs appeared, for the diagnosis. */
    interface ServerWatch extends RestartWatch {
        List<java.nio.file.Path> newContainerLogs() throws IOException;

        /** Where the kubelet's log ended when the watch began: its lines since then are about the change. */
        default long kubeletLogMark() {
            return 0;
        }
    }
}
