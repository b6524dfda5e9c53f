package io.kubeaudit.simulate;

import io.kubeaudit.policy.AuditPolicy;
import io.kubeaudit.query.EventColumn;
import io.kubeaudit.query.EventOutput;
import io.kubeaudit.query.LogQuery;
import io.kubeaudit.query.MatchedEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Every recorded event through one or two policies, as the API server would decide it: what each keeps
 * (events and bytes per level, per rule, per user, resource and user agent), over what span of time, and
 * with two policies, which events change fate between them. Fed by {@link LogQuery} like any query output.
 */
public final class Simulation implements EventOutput {

    /** A named policy to simulate. */
    public record Candidate(String name, AuditPolicy policy) {
    }

    private final List<PolicyCost> costs = new ArrayList<>();
    private final Volume recorded = new Volume();
    private final Map<String, Long> stages = new TreeMap<>();
    private final Map<List<String>, long[]> changes = new HashMap<>();
    private Instant first;
    private Instant last;

    /** One policy, or two to compare (the first is "before", the second "after"). */
    public Simulation(List<Candidate> candidates) {
        if (candidates.isEmpty() || candidates.size() > 2) {
            throw new IllegalArgumentException("simulate one policy or compare two, not " + candidates.size());
        }
        candidates.forEach(c -> costs.add(new PolicyCost(c.name(), c.policy())));
    }

    @Override
    public void event(MatchedEvent matched) {
        var event = matched.event();
        long lineBytes = matched.end() - matched.start() + 1L;
        recorded.add(lineBytes);
        stages.merge(event.stage(), 1L, Long::sum);
        Optional<Instant> at = event.receivedAt();
        if (at.isPresent()) {
            first = first == null || at.get().isBefore(first) ? at.get() : first;
            last = last == null || at.get().isAfter(last) ? at.get() : last;
        }
        Outcome before = costs.get(0).add(event, lineBytes);
        if (costs.size() == 2) {
            Outcome after = costs.get(1).add(event, lineBytes);
            boolean differs = !before.label().equals(after.label()) || before.bytes() != after.bytes();
            // Dropped by both (by level or by stage) is no change in what is kept.
            if (differs && (before.kept() || after.kept())) {
                long[] n = changes.computeIfAbsent(List.of(event.verb(), EventColumn.RESOURCE.valueOf(event), before.label(),
                        after.label()), k -> new long[3]);
                n[0]++;
                n[1] += before.bytes();
                n[2] += after.bytes();
            }
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void finish() {
    }

    /** {@code topN}: how many users, resources, user agents and changes to list. */
    public SimulationReport report(LogQuery.Stats stats, int topN) {
        double span = first == null ? 0 : (last.toEpochMilli() - first.toEpochMilli()) / 1000.0;
        SimulationReport.Input input = new SimulationReport.Input(stats.files(), recorded.figures(),
                first == null ? "" : first.toString(), last == null ? "" : last.toString(), span, new TreeMap<>(stages),
                stats.problems());
        List<SimulationReport.PolicyReport> policies = costs.stream().map(c -> c.report(input, topN)).toList();
        List<SimulationReport.Change> changed = changes.entrySet().stream()
                .map(e -> new SimulationReport.Change(e.getKey().get(0), e.getKey().get(1), e.getKey().get(2), e.getKey().get(3),
                        e.getValue()[0], e.getValue()[1], e.getValue()[2]))
                .sorted(Comparator.<SimulationReport.Change>comparingLong(c -> -Math.abs(c.bytesAfter() - c.bytesBefore()))
                        .thenComparing(SimulationReport.Change::resource).thenComparing(SimulationReport.Change::verb))
                .limit(topN).toList();
        return new SimulationReport(input, policies, changed);
    }
}
