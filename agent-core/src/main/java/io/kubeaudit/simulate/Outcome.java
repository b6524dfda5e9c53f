package io.kubeaudit.simulate;

import io.kubeaudit.policy.AuditDecision;
import io.kubeaudit.policy.AuditLevel;
import io.kubeaudit.policy.AuditPolicy;
import io.kubeaudit.policy.AuditStage;
import io.kubeaudit.policy.PolicyChecker;
import io.kubeaudit.query.AuditEvent;
import java.util.Optional;

/**
 * What one policy makes of one recorded event: the rule and level it gets, whether its stage is omitted, and
 * the bytes its line would take: the recorded line without the bodies the level leaves out (and their
 * managedFields where the rule omits them), with the new level's name.
 *
 * @param underRecorded the policy keeps more than was recorded (bodies the log does not have): {@code bytes} is a lower bound
 */
record Outcome(AuditDecision decision, boolean stageOmitted, long bytes, boolean underRecorded, boolean managedFieldsOmitted) {

    boolean kept() {
        return decision.level() != AuditLevel.NONE && !stageOmitted;
    }

    /** What happens to the event, for people: the level it is kept at, {@code None}, or {@code omitted (stage)}. */
    String label() {
        if (decision.level() == AuditLevel.NONE) {
            return AuditLevel.NONE.wireName();
        }
        if (stageOmitted) {
            return "omitted stage";
        }
        return decision.level().wireName() + (managedFieldsOmitted ? " w/o managedFields" : "");
    }

    /** {@code lineBytes}: the recorded line with its newline. */
    static Outcome of(AuditPolicy policy, AuditEvent event, long lineBytes) {
        AuditDecision decision = PolicyChecker.decide(policy, RecordedRequest.of(event));
        Optional<AuditStage> stage = AuditStage.parse(event.stage());
        AuditLevel level = decision.level();
        // Level None drops the event whatever its stage: "omitted stage" is only said of events the level keeps.
        boolean omitted = level != AuditLevel.NONE && stage.isPresent() && decision.omitStages().contains(stage.get());
        if (level == AuditLevel.NONE || omitted) {
            return new Outcome(decision, omitted, 0, false, false);
        }
        AuditEvent.Bodies bodies = event.bodies();
        boolean omitManaged = decision.rule().map(policy::omitsManagedFields).orElse(false);
        long bytes = lineBytes;
        if (level.compareTo(AuditLevel.REQUEST) < 0) {
            bytes -= bodies.requestBytes();
        } else if (omitManaged) {
            bytes -= bodies.requestManagedFieldsBytes();
        }
        if (level.compareTo(AuditLevel.REQUEST_RESPONSE) < 0) {
            bytes -= bodies.responseBytes();
        } else if (omitManaged) {
            bytes -= bodies.responseManagedFieldsBytes();
        }
        Optional<AuditLevel> recorded = AuditLevel.parse(event.level());
        if (recorded.isPresent()) {
            bytes += level.wireName().length() - event.level().length();
        }
        // A RequestReceived event has no bodies at any level.
        boolean under = recorded.isPresent() && level.compareTo(recorded.get()) > 0
                && stage.filter(s -> s == AuditStage.REQUEST_RECEIVED).isEmpty();
        boolean managedDropped = omitManaged && (level.compareTo(AuditLevel.REQUEST) >= 0 && bodies.requestManagedFieldsBytes() > 0
                || level == AuditLevel.REQUEST_RESPONSE && bodies.responseManagedFieldsBytes() > 0);
        return new Outcome(decision, false, bytes, under, managedDropped);
    }
}
