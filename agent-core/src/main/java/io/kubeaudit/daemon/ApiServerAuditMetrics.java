package io.kubeaudit.daemon;

import io.kubeaudit.kube.Kubectl;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The API server's own audit counters from its {@code /metrics} (Prometheus text), read through kubectl. */
final class ApiServerAuditMetrics {

    /** Totals over every label combination of the two counters. */
    record Counters(double events, double errors) {
    }

    private static final Pattern SERIES = Pattern.compile("^(apiserver_audit_event_total|apiserver_audit_error_total)(\\{[^}]*})?\\s+(\\S+)",
            Pattern.MULTILINE);

    private final Kubectl kubectl;

    ApiServerAuditMetrics(Kubectl kubectl) {
        this.kubectl = kubectl;
    }

    /** @throws IOException when the metrics cannot be read (the reason is in the message) */
    Counters read() throws IOException, InterruptedException {
        Kubectl.Result r = kubectl.get("/metrics");
        if (!r.ok()) {
            throw new IOException("kubectl get --raw /metrics: " + (r.err().isEmpty() ? "exit " + r.exitCode() : r.err()));
        }
        return parse(r.out());
    }

    static Counters parse(String text) throws IOException {
        double events = 0;
        double errors = 0;
        boolean seen = false;
        Matcher m = SERIES.matcher(text);
        while (m.find()) {
            double value;
            try {
                value = Double.parseDouble(m.group(3));
            } catch (NumberFormatException e) {
                throw new IOException("unreadable value \"" + m.group(3) + "\" for " + m.group(1), e);
            }
            if (m.group(1).equals("apiserver_audit_event_total")) {
                events += value;
                seen = true;
            } else {
                errors += value;
            }
        }
        if (!seen) {
            throw new IOException("no apiserver_audit_event_total in the API server's metrics (auditing off, or not an API server)");
        }
        return new Counters(events, errors);
    }
}
