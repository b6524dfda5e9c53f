package io.kubeaudit.simulate;

import java.util.List;
import java.util.Map;

/**
 * What {@code policy simulate} found: the recorded input, what each policy would keep of it, and with two
 * policies the events whose fate differs between them. Bytes are those of the log lines with their newlines.
 */
public record SimulationReport(Input input, List<PolicyReport> policies, List<Change> changes) {

    public SimulationReport {
        policies = List.copyOf(policies);
        changes = List.copyOf(changes);
    }

    public record Figures(long events, long bytes) {
    }

    /**
     * @param from      the first event's requestReceivedTimestamp (RFC 3339), "" when no event has one
     * @param spanSeconds from the first to the last event received; 0 when unknown
     * @param stages    events per stage, as recorded
     * @param problems  lines that are not events and files that could not be read
     */
    public record Input(int files, Figures recorded, String from, String to, double spanSeconds, Map<String, Long> stages,
                        long problems) {
    }

    /**
     * @param perDay       kept figures scaled from the input's span to 24 hours; null when the span is unknown
     * @param levels       kept events per level; None: the events the policy drops by level, with their recorded bytes
     * @param omittedStages the events dropped by omitStages, with their recorded bytes
     * @param noRule       events no rule matched (level None), with their recorded bytes
     * @param top          the largest kept volumes per user, resource and user agent
     * @param underRecorded kept events the log holds at a lower level than this policy gives them
     */
    public record PolicyReport(String name, String file, Figures kept, Figures dropped, Figures perDay, List<LevelFigures> levels,
                               Figures omittedStages, List<RuleFigures> rules, Figures noRule, Map<String, List<Ranked>> top,
                               long underRecorded, List<String> warnings) {
    }

    public record LevelFigures(String level, Figures figures) {
    }

    /** {@code matched}: every event the rule decided, with its recorded bytes; {@code kept}: those it keeps, with their new bytes. */
    public record RuleFigures(String rule, int line, String level, Figures matched, Figures kept) {
    }

    public record Ranked(String value, Figures kept) {
    }

    /** Events of one verb and resource that the first policy treats as {@code from} and the second as {@code to}. */
    public record Change(String verb, String resource, String from, String to, long events, long bytesBefore, long bytesAfter) {
    }
}
