package io.kubeaudit.sim;

import io.kubeaudit.node.KubeVersion;
import java.util.ArrayList;
import java.util.List;

/**
 * The log-backend settings the simulated server acts on, with the real server's defaults and its
 * {@code Validate()} messages (k8s.io/apiserver options/audit.go).
 *
 * @param maxSizeMegabytes 0 means lumberjack's default of 100 MB
 * @param maxBackups 0 keeps every rotated file
 * @param maxAgeDays 0 never prunes by age
 */
record AuditLogOptions(String policyFile, String path, int maxAgeDays, int maxBackups, int maxSizeMegabytes,
                       boolean compress, String format, String mode, String version) {

    static final String AUDIT_V1 = "audit.k8s.io/v1";

    static AuditLogOptions from(ApiServerFlags flags) {
        return new AuditLogOptions(flags.string("audit-policy-file", ""), flags.string("audit-log-path", ""),
                flags.integer("audit-log-maxage", 0), flags.integer("audit-log-maxbackup", 0),
                flags.integer("audit-log-maxsize", 0), flags.bool("audit-log-compress"),
                flags.string("audit-log-format", "json"), flags.string("audit-log-mode", "blocking"),
                flags.string("audit-log-version", AUDIT_V1));
    }

    boolean logEnabled() {
        return !path.isEmpty();
    }

    boolean toStdout() {
        return path.equals("-");
    }

    /** Every problem the real server reports before starting; empty when the options are usable. */
    List<String> validate(KubeVersion server) {
        List<String> errors = new ArrayList<>();
        if (!logEnabled()) {
            return errors;
        }
        List<String> modes = List.of("batch", "blocking", "blocking-strict");
        if (!modes.contains(mode)) {
            errors.add("invalid audit log mode " + mode + ", allowed modes are " + GoStrings.quote(String.join(",", modes)));
        }
        List<String> versions = server.atLeast(1, 24) ? List.of(AUDIT_V1)
                : List.of(AUDIT_V1, "audit.k8s.io/v1beta1", "audit.k8s.io/v1alpha1");
        if (!versions.contains(version)) {
            errors.add("invalid audit log version " + version + ", allowed versions are "
                    + GoStrings.quote(String.join(",", versions)));
        }
        if (!format.equals("json") && !format.equals("legacy")) {
            errors.add("invalid audit log format " + format + ", allowed formats are \"legacy,json\"");
        }
        if (maxAgeDays < 0) {
            errors.add("--audit-log-maxage " + maxAgeDays + " can't be a negative number");
        }
        if (maxBackups < 0) {
            errors.add("--audit-log-maxbackup " + maxBackups + " can't be a negative number");
        }
        if (maxSizeMegabytes < 0) {
            errors.add("--audit-log-maxsize " + maxSizeMegabytes + " can't be a negative number");
        }
        return errors;
    }

    /** Go's utilerrors aggregate: one message alone, several in brackets. */
    static String aggregate(List<String> errors) {
        return errors.size() == 1 ? errors.get(0) : "[" + String.join(", ", errors) + "]";
    }
}
