package io.kubeaudit.sim;

import java.time.Duration;
import java.util.Objects;

/**
 * How the kubelet emulator behaves: the kubelet's own timings (defaults as a real kubelet, or shortened so
 * tests and the demo do not wait 20 s for a re-list) and the simulator's knobs for the servers it starts.
 *
 * @param nodeName the node's name; pod names are {@code <manifest name>-<nodeName>}
 * @param fileCheckFrequency how often the manifest directory is re-listed in full (kubelet --file-check-frequency)
 * @param crashLoopBackOff the first restart delay after a container exits; doubles on each exit
 * @param maxCrashLoopBackOff the cap on that delay
 * @param backgroundEventsPerSecond generated API requests per second in each started server (0 = quiet)
 * @param auditMaxSizeBytes test-only: servers rotate their audit log at this many bytes (0 = --audit-log-maxsize)
 * @param classpath the class path the simulated servers run with (this JVM's, from surefire or the shaded jar)
 */
public record KubeletSettings(String nodeName, Duration fileCheckFrequency, Duration crashLoopBackOff,
                              Duration maxCrashLoopBackOff, int backgroundEventsPerSecond, long auditMaxSizeBytes,
                              String classpath) {

    public static final String DEFAULT_NODE_NAME = "sim-control-plane";

    public KubeletSettings {
        Objects.requireNonNull(nodeName, "nodeName");
        Objects.requireNonNull(classpath, "classpath");
        if (!nodeName.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?")) {
            throw new IllegalArgumentException("node name \"" + nodeName + "\" is not a lowercase DNS name");
        }
        if (fileCheckFrequency.isNegative() || fileCheckFrequency.isZero()) {
            throw new IllegalArgumentException("fileCheckFrequency must be positive, got " + fileCheckFrequency);
        }
        if (crashLoopBackOff.isNegative() || maxCrashLoopBackOff.compareTo(crashLoopBackOff) < 0) {
            throw new IllegalArgumentException("crash-loop back-off " + crashLoopBackOff + " must be >= 0 and <= its maximum "
                    + maxCrashLoopBackOff);
        }
        if (backgroundEventsPerSecond < 0 || auditMaxSizeBytes < 0) {
            throw new IllegalArgumentException("backgroundEventsPerSecond and auditMaxSizeBytes must not be negative");
        }
    }

    /** A real kubelet's timings: 20 s re-list, 10 s first back-off doubling to 5 min. */
    public static KubeletSettings kubeletDefaults() {
        return new KubeletSettings(DEFAULT_NODE_NAME, Duration.ofSeconds(20), Duration.ofSeconds(10), Duration.ofMinutes(5),
                0, 0, System.getProperty("java.class.path"));
    }

    /** Short timings for tests and the demo: 1 s re-list, 500 ms first back-off doubling to 4 s. */
    public static KubeletSettings fast() {
        return kubeletDefaults().withFileCheckFrequency(Duration.ofSeconds(1))
                .withCrashLoopBackOff(Duration.ofMillis(500), Duration.ofSeconds(4));
    }

    public KubeletSettings withNodeName(String name) {
        return new KubeletSettings(name, fileCheckFrequency, crashLoopBackOff, maxCrashLoopBackOff, backgroundEventsPerSecond,
                auditMaxSizeBytes, classpath);
    }

    public KubeletSettings withFileCheckFrequency(Duration period) {
        return new KubeletSettings(nodeName, period, crashLoopBackOff, maxCrashLoopBackOff, backgroundEventsPerSecond,
                auditMaxSizeBytes, classpath);
    }

    public KubeletSettings withCrashLoopBackOff(Duration first, Duration max) {
        return new KubeletSettings(nodeName, fileCheckFrequency, first, max, backgroundEventsPerSecond, auditMaxSizeBytes,
                classpath);
    }

    public KubeletSettings withBackgroundEventsPerSecond(int perSecond) {
        return new KubeletSettings(nodeName, fileCheckFrequency, crashLoopBackOff, maxCrashLoopBackOff, perSecond,
                auditMaxSizeBytes, classpath);
    }

    public KubeletSettings withAuditMaxSizeBytes(long bytes) {
        return new KubeletSettings(nodeName, fileCheckFrequency, crashLoopBackOff, maxCrashLoopBackOff,
                backgroundEventsPerSecond, bytes, classpath);
    }

    public KubeletSettings withClasspath(String path) {
        return new KubeletSettings(nodeName, fileCheckFrequency, crashLoopBackOff, maxCrashLoopBackOff,
                backgroundEventsPerSecond, auditMaxSizeBytes, path);
    }
}
