package io.kubeaudit.cli;

import io.kubeaudit.apply.BackupLocation;
import io.kubeaudit.apply.SetupOutcome;
import io.kubeaudit.apply.observe.Diagnosis;
import io.kubeaudit.kube.SetupLeasePermit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps a setup or teardown outcome to the command result: one place decides changed, failed and what is
 * shown. Returns the builder, so a later step (the kubeadm-config write-through) adds to the same result.
 */
final class SetupOutcomes {

    private SetupOutcomes() {
    }

    static CommandResult.Builder builder(SetupOutcome outcome, boolean dryRun, SetupLeasePermit lease) {
        CommandResult.Builder b = CommandResult.builder(outcome.operation().command()).detail("dryRun", dryRun).detail("lease", lease.report());
        lease.releaseError().ifPresent(e -> b.warning("could not give the setup lease " + SetupLeasePermit.LEASE + " back (" + e
                + "); it frees itself at its expiry (setup.lease.duration)"));
        // Java 17 has no pattern switch; the sealed interface keeps this list complete.
        if (outcome instanceof SetupOutcome.Unchanged u) {
            b.changed(false).action(u.summary()).detail("outcome", "unchanged");
            u.warnings().forEach(b::warning);
        } else if (outcome instanceof SetupOutcome.Planned p) {
            b.changed(true).detail("outcome", "planned").diff(p.diff());
            b.action("dry run: nothing was changed; " + outcome.operation().command() + " would:");
            p.changes().forEach(c -> b.action("  " + c));
            p.warnings().forEach(b::warning);
        } else if (outcome instanceof SetupOutcome.Applied a) {
            b.changed(true).detail("outcome", "applied").diff(a.diff());
            a.actions().forEach(b::action);
            a.backups().ifPresent(l -> backups(b, l));
            a.warnings().forEach(b::warning);
        } else if (outcome instanceof SetupOutcome.Refused r) {
            b.changed(false).detail("outcome", "refused");
            r.problems().forEach(b::error);
            b.action("nothing was changed");
        } else if (outcome instanceof SetupOutcome.Failed f) {
            b.changed(false).detail("outcome", "failed").error(f.problem());
        } else if (outcome instanceof SetupOutcome.RolledBack r) {
            // The server was restarted twice, so Ansible must not report "ok".
            b.changed(true).detail("outcome", "rolled back").error(r.message());
            backups(b, r.backups());
            b.detail("failure", r.failure());
            b.detail("diagnosis", diagnosis(r.diagnosis()));
            b.detail("rolledBack", r.restored());
            b.detail("rollbackErrors", r.rollbackErrors());
            r.healthAfter().ifPresent(h -> b.detail("healthyAfterRollback", h.healthy()));
        } else {
            throw new IllegalStateException("unknown outcome " + outcome);
        }
        return b;
    }

    private static void backups(CommandResult.Builder b, BackupLocation l) {
        b.backup(l.privateDir().toString()).detail("stateBackup", l.stateDir().toString());
    }

    private static List<Map<String, Object>> diagnosis(List<Diagnosis> found) {
        return found.stream().map(d -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("source", d.source());
            m.put("lines", d.lines());
            return m;
        }).toList();
    }
}
