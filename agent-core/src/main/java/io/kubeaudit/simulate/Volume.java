package io.kubeaudit.simulate;

/** Events and the bytes they take: a running count. */
final class Volume {

    private long events;
    private long bytes;

    void add(long eventBytes) {
        events++;
        bytes += eventBytes;
    }

    long bytes() {
        return bytes;
    }

    SimulationReport.Figures figures() {
        return new SimulationReport.Figures(events, bytes);
    }
}
