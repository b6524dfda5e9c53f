package io.kubeaudit.simulate;

import io.kubeaudit.policy.AuditLevel;
import io.kubeaudit.policy.AuditPolicy;
import io.kubeaudit.policy.AuditStage;
import io.kubeaudit.policy.PolicyRule;
import io.kubeaudit.query.AuditEvent;
import io.kubeaudit.query.EventColumn;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The running totals of one policy over the recorded events. Memory grows with distinct users, resources and agents only. */
final class PolicyCost {

    private static final List<EventColumn> RANKED = List.of(EventColumn.USER, EventColumn.RESOURCE, EventColumn.USER_AGENT);

    private final String name;
    private final AuditPolicy policy;
    private final Volume kept = new Volume();
    private final Volume dropped = new Volume();
    private final Volume omittedStages = new Volume();
    private final Volume noRule = new Volume();
    private final Map<AuditLevel, Volume> levels = new EnumMap<>(AuditLevel.class);
    private final List<Volume> matched = new ArrayList<>();
    private final List<Volume> keptByRule = new ArrayList<>();
    private final Map<EventColumn, Map<String, Volume>> top = new EnumMap<>(EventColumn.class);
    private long underRecorded;
    /** Kept events of a completed request whose rule keeps RequestReceived too: each one stands for a RequestReceived event. */
    private long keptWithRequestReceived;

    PolicyCost(String name, AuditPolicy policy) {
        this.name = name;
        this.policy = policy;
        for (AuditLevel l : AuditLevel.values()) {
            levels.put(l, new Volume());
        }
        for (int i = 0; i < policy.rules().size(); i++) {
            matched.add(new Volume());
            keptByRule.add(new Volume());
        }
        RANKED.forEach(c -> top.put(c, new HashMap<>()));
    }

    Outcome add(AuditEvent event, long lineBytes) {
        Outcome o = Outcome.of(policy, event, lineBytes);
        o.decision().rule().ifPresentOrElse(r -> matched.get(r.index()).add(lineBytes), () -> noRule.add(lineBytes));
        if (!o.kept()) {
            dropped.add(lineBytes);
            (o.stageOmitted() ? omittedStages : levels.get(AuditLevel.NONE)).add(lineBytes);
            return o;
        }
        kept.add(o.bytes());
        levels.get(o.decision().level()).add(o.bytes());
        keptByRule.get(o.decision().rule().orElseThrow().index()).add(o.bytes());
        for (EventColumn c : RANKED) {
            top.get(c).computeIfAbsent(c.valueOf(event), k -> new Volume()).add(o.bytes());
        }
        if (o.underRecorded()) {
            underRecorded++;
        }
        if (event.stage().equals(AuditStage.RESPONSE_COMPLETE.wireName()) && !o.decision().omitStages().contains(AuditStage.REQUEST_RECEIVED)) {
            keptWithRequestReceived++;
        }
        return o;
    }

    SimulationReport.PolicyReport report(SimulationReport.Input input, int topN) {
        List<SimulationReport.LevelFigures> byLevel = new ArrayList<>();
        for (int i = AuditLevel.values().length - 1; i >= 0; i--) {
            AuditLevel l = AuditLevel.values()[i];
            byLevel.add(new SimulationReport.LevelFigures(l.wireName(), levels.get(l).figures()));
        }
        List<SimulationReport.RuleFigures> rules = new ArrayList<>();
        for (PolicyRule r : policy.rules()) {
            rules.add(new SimulationReport.RuleFigures(r.path(), r.location().line(), r.level().wireName(),
                    matched.get(r.index()).figures(), keptByRule.get(r.index()).figures()));
        }
        Map<String, List<SimulationReport.Ranked>> ranked = new LinkedHashMap<>();
        for (EventColumn c : RANKED) {
            ranked.put(c.key(), top.get(c).entrySet().stream()
                    .sorted(Comparator.<Map.Entry<String, Volume>>comparingLong(e -> -e.getValue().bytes()).thenComparing(Map.Entry::getKey))
                    .limit(topN).map(e -> new SimulationReport.Ranked(e.getKey(), e.getValue().figures())).toList());
        }
        SimulationReport.Figures keptFigures = kept.figures();
        SimulationReport.Figures perDay = input.spanSeconds() > 0 ? new SimulationReport.Figures(
                Math.round(keptFigures.events() * 86400 / input.spanSeconds()), Math.round(keptFigures.bytes() * 86400 / input.spanSeconds()))
                : null;
        return new SimulationReport.PolicyReport(name, policy.fileName(), keptFigures, dropped.figures(), perDay, byLevel,
                omittedStages.figures(), rules, noRule.figures(), ranked, underRecorded, warnings(input));
    }

    private List<String> warnings(SimulationReport.Input input) {
        List<String> warnings = new ArrayList<>();
        if (underRecorded > 0) {
            warnings.add(name + ": " + underRecorded + " kept events were recorded at a lower level than " + name + " gives them"
                    + " (the log was written with a less verbose policy): their bodies are not in the log, so these bytes are a"
                    + " lower bound; record at RequestResponse for an exact answer");
        }
        if (input.stages().getOrDefault(AuditStage.REQUEST_RECEIVED.wireName(), 0L) == 0 && keptWithRequestReceived > 0) {
            warnings.add(name + ": the log has no RequestReceived events (its policy omitted that stage), but " + name + " keeps"
                    + " them: about " + keptWithRequestReceived + " more events, not counted here");
        }
        return warnings;
    }
}
