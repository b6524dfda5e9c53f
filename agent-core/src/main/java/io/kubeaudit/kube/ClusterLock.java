package io.kubeaudit.kube;

import java.util.Optional;

/** The cluster-wide lock a node holds while its API server restarts (a Lease; see {@link SetupLease}). */
public interface ClusterLock {

    SetupLease.Outcome acquire() throws InterruptedException;

    /** @return empty when released, else why not (the lease then frees itself at its expiry) */
    Optional<String> release() throws InterruptedException;
}
