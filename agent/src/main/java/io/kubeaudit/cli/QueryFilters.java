package io.kubeaudit.cli;

import io.kubeaudit.query.EventFilter;
import io.kubeaudit.query.Field;
import io.kubeaudit.query.InvalidFilterException;
import io.kubeaudit.query.TimeRange;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** The filter options of {@code query} and {@code policy simulate}: one per event field, and the time range. */
final class QueryFilters {

    private static final Map<Field, String> HELP = Map.ofEntries(
            Map.entry(Field.USER, "the user or the user impersonated (system:serviceaccount:kube-system:*)"),
            Map.entry(Field.GROUP, "a group of the user or of the impersonated user"),
            Map.entry(Field.VERB, "get, list, watch, create, update, patch, delete, deletecollection, ..."),
            Map.entry(Field.RESOURCE, "as in audit policies: pods (no subresources), pods/exec, pods/*, */exec"),
            Map.entry(Field.API_GROUP, "apps, rbac.authorization.k8s.io, core (the \"\" group)"),
            Map.entry(Field.NAMESPACE, "the object's namespace"),
            Map.entry(Field.NAME, "the object's name"),
            Map.entry(Field.SOURCE_IP, "a client address or network: 10.0.0.5, 10.0.0.0/8"),
            Map.entry(Field.USER_AGENT, "kubectl/* (no comma lists: user agents hold commas)"),
            Map.entry(Field.STATUS, "the response code: 403, 4xx, 40x"),
            Map.entry(Field.LEVEL, "None, Metadata, Request, RequestResponse"),
            Map.entry(Field.STAGE, "RequestReceived, ResponseStarted, ResponseComplete, Panic"),
            Map.entry(Field.AUDIT_ID, "the request's auditID"));

    private QueryFilters() {
    }

    static Options options() {
        Options options = new Options();
        for (Field f : Field.values()) {
            Option.Builder b = Option.builder(f == Field.NAMESPACE ? "n" : null).longOpt(f.option()).hasArg().argName("VALUE,...")
                    .desc(HELP.get(f) + "; several values: a comma list or the option again; !VALUE,... for none of them");
            options.addOption(b.build());
        }
        options.addOption(Option.builder().longOpt("since").hasArg().argName("AGO").desc("received in the last 90s, 15m, 2h, 1d, 1w").build());
        options.addOption(Option.builder().longOpt("from").hasArg().argName("TIME")
                .desc("received at or after TIME: RFC 3339 (2026-11-26T12:00:00Z), a date, or a time ago (2h)").build());
        options.addOption(Option.builder().longOpt("to").hasArg().argName("TIME").desc("received before TIME (same forms as --from)").build());
        return options;
    }

    static EventFilter filter(CommandLine line, Instant now) throws UsageException {
        EventFilter.Builder filter = EventFilter.builder();
        try {
            for (Field f : Field.values()) {
                String[] values = line.getOptionValues(f.option());
                if (values != null) {
                    for (String v : values) {
                        filter.add(f, v);
                    }
                }
            }
            if (line.hasOption("since") && line.hasOption("from")) {
                throw new UsageException("--since and --from both say where the range starts: give one");
            }
            Optional<Instant> from = Optional.empty();
            if (line.hasOption("since")) {
                String since = line.getOptionValue("since");
                from = Optional.of(now.minus(TimeRange.ago(since).orElseThrow(() -> new UsageException("--since " + since
                        + ": not a time ago (90s, 15m, 2h, 1d, 1w, 1h30m)"))));
            } else if (line.hasOption("from")) {
                from = Optional.of(TimeRange.parse(line.getOptionValue("from"), now));
            }
            Optional<Instant> to = line.hasOption("to") ? Optional.of(TimeRange.parse(line.getOptionValue("to"), now)) : Optional.empty();
            if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
                throw new UsageException("the time range is empty: " + from.get() + " is not before " + to.get());
            }
            return filter.time(new TimeRange(from, to)).build();
        } catch (InvalidFilterException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
