package io.kubeaudit.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeaudit.config.AgentConfig;
import io.kubeaudit.config.SetupConfig;
import io.kubeaudit.node.HostName;
import io.kubeaudit.node.NodePaths;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * One setup at a time across the cluster: a {@code coordination.k8s.io/v1} Lease in kube-system that a
 * node holds while its API server restarts, so a config pushed to every control-plane node at once
 * does not restart every API server together. The lease expires after {@code duration} (longer than a
 * setup with its rollback can take), so a node that dies holding it blocks the others only that long.
 * Updates carry the resourceVersion read, so two nodes racing for an expired lease cannot both win.
 */
public final class SetupLease implements ClusterLock {

    static final String NAMESPACE = "kube-system";
    public static final String NAME = "kube-audit-agent-setup";
    private static final String COLLECTION = "/apis/coordination.k8s.io/v1/namespaces/" + NAMESPACE + "/leases";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The API's MicroTime: RFC 3339 with microseconds. */
    private static final DateTimeFormatter MICRO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX").withZone(ZoneOffset.UTC);

    /** What an attempt to take the lease found. */
    public sealed interface Outcome {
        record Acquired() implements Outcome {
        }

        /** Another node holds it until {@code until}; try again then. */
        record HeldBy(String holder, Instant until) implements Outcome {
        }

        /** The API could not be asked (unreachable, forbidden); nothing may restart without the lease. */
        record Unavailable(String reason) implements Outcome {
        }
    }

    private final Kubectl kubectl;
    private final String identity;
    private final Duration duration;
    private final InstantSource clock;

    /**
     * The lease {@code config} describes: through kubectl with setup.lease.kubeconfig (the cluster endpoint),
     * held for setup.lease.duration, as {@link #identity}; empty when setup.lease.enabled is false.
     */
    public static Optional<ClusterLock> forConfig(AgentConfig config, InstantSource clock) {
        SetupConfig.Lease lease = config.setup().lease();
        if (!lease.enabled()) {
            return Optional.empty();
        }
        NodePaths paths = config.paths();
        Kubectl kubectl = new Kubectl("kubectl", paths.resolve(lease.kubeconfig()), List.of(), paths.resolve(config.ship().stateDir()));
        return Optional.of(new SetupLease(kubectl, identity(config), lease.duration(), clock));
    }

    /**
     * Who holds the lease: ship.nodeName, else the host name (what kubeadm names the node after); on a host
     * whose name cannot be found, the pid, which keeps holders on different machines apart well enough.
     */
    public static String identity(AgentConfig config) {
        if (!config.ship().nodeName().isEmpty()) {
            return config.ship().nodeName();
        }
        try {
            return HostName.read();
        } catch (IOException e) {
            return "pid-" + ProcessHandle.current().pid();
        }
    }

    public SetupLease(Kubectl kubectl, String identity, Duration duration, InstantSource clock) {
        this.kubectl = kubectl;
        this.identity = identity;
        this.duration = duration;
        this.clock = clock;
    }

    @Override
    public Outcome acquire() throws InterruptedException {
        try {
            Kubectl.Result current = kubectl.get(COLLECTION + "/" + NAME);
            if (!current.ok() && current.says("NotFound")) {
                Kubectl.Result created = kubectl.create(COLLECTION, JSON.writeValueAsString(newLease()));
                if (created.ok()) {
                    return new Outcome.Acquired();
                }
                return created.says("AlreadyExists") ? new Outcome.HeldBy("another node (it was just created)", clock.instant())
                        : new Outcome.Unavailable("cannot create the Lease " + NAMESPACE + "/" + NAME + ": " + created.err());
            }
            if (!current.ok()) {
                return new Outcome.Unavailable("cannot read the Lease " + NAMESPACE + "/" + NAME + ": " + current.err());
            }
            ObjectNode lease = (ObjectNode) JSON.readTree(current.out());
            JsonNode spec = lease.path("spec");
            String holder = spec.path("holderIdentity").asText("");
            Instant until = expiry(spec);
            if (!holder.isEmpty() && !holder.equals(identity) && clock.instant().isBefore(until)) {
                return new Outcome.HeldBy(holder, until);
            }
            ObjectNode next = (ObjectNode) spec.deepCopy();
            String now = MICRO_TIME.format(clock.instant());
            if (!holder.equals(identity)) {
                next.put("acquireTime", now);
                next.put("leaseTransitions", spec.path("leaseTransitions").asInt(0) + 1);
            }
            next.put("holderIdentity", identity).put("leaseDurationSeconds", duration.toSeconds()).put("renewTime", now);
            lease.set("spec", next);
            Kubectl.Result replaced = kubectl.replace(COLLECTION + "/" + NAME, JSON.writeValueAsString(lease));
            if (replaced.ok()) {
                return new Outcome.Acquired();
            }
            return replaced.says("Conflict") ? new Outcome.HeldBy("another node (it took the lease first)", clock.instant())
                    : new Outcome.Unavailable("cannot update the Lease " + NAMESPACE + "/" + NAME + ": " + replaced.err());
        } catch (IOException e) {
            return new Outcome.Unavailable("cannot run kubectl for the Lease: " + e.getMessage());
        }
    }

    /**
     * Gives the lease up (holder cleared) once this node's server is healthy again, so the next node need
     * not wait for the expiry. A failed release is only logged by the caller: the expiry frees it anyway.
     *
     * @return empty when released, else why not
     */
    @Override
    public Optional<String> release() throws InterruptedException {
        try {
            Kubectl.Result current = kubectl.get(COLLECTION + "/" + NAME);
            if (!current.ok()) {
                return Optional.of(current.err());
            }
            ObjectNode lease = (ObjectNode) JSON.readTree(current.out());
            if (!identity.equals(lease.path("spec").path("holderIdentity").asText(""))) {
                return Optional.empty();
            }
            ((ObjectNode) lease.path("spec")).put("holderIdentity", "").put("renewTime", MICRO_TIME.format(clock.instant()));
            Kubectl.Result replaced = kubectl.replace(COLLECTION + "/" + NAME, JSON.writeValueAsString(lease));
            return replaced.ok() ? Optional.empty() : Optional.of(replaced.err());
        } catch (IOException e) {
            return Optional.of(e.getMessage());
        }
    }

    private ObjectNode newLease() {
        ObjectNode lease = JSON.createObjectNode().put("apiVersion", "coordination.k8s.io/v1").put("kind", "Lease");
        lease.putObject("metadata").put("name", NAME).put("namespace", NAMESPACE);
        String now = MICRO_TIME.format(clock.instant());
        lease.putObject("spec").put("holderIdentity", identity).put("leaseDurationSeconds", duration.toSeconds())
                .put("acquireTime", now).put("renewTime", now).put("leaseTransitions", 0);
        return lease;
    }

    /** renewTime + leaseDurationSeconds; a lease without a renew time has expired. */
    private static Instant expiry(JsonNode spec) {
        String renew = spec.path("renewTime").asText("");
        if (renew.isEmpty()) {
            return Instant.EPOCH;
        }
        return OffsetDateTime.parse(renew).toInstant().plus(spec.path("leaseDurationSeconds").asLong(0), ChronoUnit.SECONDS);
    }
}
