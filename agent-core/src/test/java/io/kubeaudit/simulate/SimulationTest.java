package io.kubeaudit.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubeaudit.policy.AuditPolicy;
import io.kubeaudit.policy.PolicyValidator;
import io.kubeaudit.query.EventFilter;
import io.kubeaudit.query.EventParser;
import io.kubeaudit.query.InputFiles;
import io.kubeaudit.query.LogQuery;
import io.kubeaudit.query.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulation on the real v1.20.2 lab log (recorded at RequestResponse, secret reads at Metadata), each figure
 * checked against one the test computes on its own: its own reading of the files, Jackson's tree for the fields, the
 * test policy's rules written out as plain conditions, and a character scanner for the bytes of the bodies.
 */
class SimulationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HEADER = "apiVersion: audit.k8s.io/v1\nkind: Policy\n";
    /** The policy the expectations below spell out rule by rule. */
    private static final String POLICY = HEADER + "omitStages: [RequestReceived]\nrules:\n"
            + "- level: None\n  nonResourceURLs: [\"/healthz*\", \"/version\"]\n"
            + "- level: Metadata\n  resources:\n  - group: \"\"\n    resources: [secrets, configmaps]\n"
            + "- level: Request\n  verbs: [create, update, patch]\n"
            + "- level: RequestResponse\n  omitManagedFields: true\n  resources:\n  - group: apps\n"
            + "- level: Metadata\n";

    @TempDir
    Path tmp;

    private static Path lab() throws Exception {
        return Path.of(SimulationTest.class.getResource("/corpus/auditlogs/real-kube-apiserver-v1.20.2-lab").toURI());
    }

    private static AuditPolicy policy(String name, String text) throws Exception {
        return PolicyValidator.validate(name + ".yaml", text);
    }

    private static SimulationReport simulate(List<Path> inputs, List<Simulation.Candidate> candidates, List<Problem> problems)
            throws Exception {
        Simulation simulation = new Simulation(candidates);
        LogQuery.Stats stats = new LogQuery(EventFilter.everything(), EventParser.measuringManagedFields(), simulation, problems::add)
                .run(InputFiles.of(inputs));
        return simulation.report(stats, 1000);
    }

    /** The lab's lines, oldest backup first, read without the agent's reader. */
    private static List<String> labLines() throws Exception {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(lab())) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("audit")).sorted().toList()) {
                try (InputStream raw = Files.newInputStream(f);
                     InputStream in = f.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
                    new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().forEach(lines::add);
                }
            }
        }
        return lines;
    }

    private static long utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** What the test policy does with one event: the rule index (-1: none), and the line's bytes under it (-1: dropped). */
    private record Expected(int rule, String level, long bytes, long managedBytes) {
    }

    private static Expected expected(String line) throws IOException {
        JsonNode e = JSON.readTree(line);
        JsonNode ref = e.path("objectRef");
        boolean resourceRequest = !ref.path("resource").asText("").isEmpty();
        String group = ref.path("apiGroup").asText("");
        String verb = e.get("verb").asText();
        int rule;
        String level;
        String path = e.get("requestURI").asText().split("\\?")[0];
        if (!resourceRequest && (path.startsWith("/healthz") || path.equals("/version"))) {
            rule = 0;
            level = "None";
        } else if (resourceRequest && group.isEmpty() && Set.of("secrets", "configmaps").contains(ref.get("resource").asText())
                && ref.path("subresource").asText("").isEmpty()) {
            rule = 1;
            level = "Metadata";
        } else if (Set.of("create", "update", "patch").contains(verb)) {
            rule = 2;
            level = "Request";
        } else if (resourceRequest && group.equals("apps")) {
            rule = 3;
            level = "RequestResponse";
        } else {
            rule = 4;
            level = "Metadata";
        }
        if (level.equals("None") || e.get("stage").asText().equals("RequestReceived")) {
            return new Expected(rule, level, -1, 0);
        }
        Map<String, long[]> members = Spans.members(line);
        long bytes = utf8(line) + 1 + level.length() - e.get("level").asText().length();
        long managed = 0;
        if (!level.equals("Request") && !level.equals("RequestResponse") && members.containsKey("requestObject")) {
            bytes -= memberBytes(line, members.get("requestObject"));
        }
        if (!level.equals("RequestResponse") && members.containsKey("responseObject")) {
            bytes -= memberBytes(line, members.get("responseObject"));
        }
        if (rule == 3) {
            for (String body : List.of("requestObject", "responseObject")) {
                if (members.containsKey(body)) {
                    managed += Spans.managedFieldsBytes(line, (int) members.get(body)[2]);
                }
            }
            bytes -= managed;
        }
        return new Expected(rule, level, bytes, managed);
    }

    /** A member's bytes: key, value and one separating comma. */
    private static long memberBytes(String line, long[] span) {
        return utf8(line.substring((int) span[0], (int) span[1])) + 1;
    }

    @Test
    void eachFigureOfThePolicyOnTheLabLogIsWhatTheRulesGiveEachEvent() throws Exception {
        List<Problem> problems = new ArrayList<>();
        SimulationReport report = simulate(List.of(lab()), List.of(new Simulation.Candidate("test", policy("test", POLICY))), problems);
        assertEquals(List.of(), problems);

        List<String> lines = labLines();
        long recordedBytes = 0;
        long keptEvents = 0;
        long keptBytes = 0;
        long keptRecordedBytes = 0;
        long omitted = 0;
        long omittedBytes = 0;
        long managed = 0;
        long[] matched = new long[5];
        long[] keptByRule = new long[5];
        long[] keptBytesByRule = new long[5];
        Map<String, long[]> levels = new HashMap<>();
        Map<String, Long> stages = new HashMap<>();
        Instant first = null;
        Instant last = null;
        for (String line : lines) {
            JsonNode e = JSON.readTree(line);
            recordedBytes += utf8(line) + 1;
            stages.merge(e.get("stage").asText(), 1L, Long::sum);
            Instant at = Instant.parse(e.get("requestReceivedTimestamp").asText());
            first = first == null || at.isBefore(first) ? at : first;
            last = last == null || at.isAfter(last) ? at : last;
            Expected x = expected(line);
            matched[x.rule()]++;
            if (x.bytes() < 0) {
                if (!x.level().equals("None")) {
                    omitted++;
                    omittedBytes += utf8(line) + 1;
                }
                continue;
            }
            keptEvents++;
            keptBytes += x.bytes();
            keptRecordedBytes += utf8(line) + 1;
            keptByRule[x.rule()]++;
            keptBytesByRule[x.rule()] += x.bytes();
            managed += x.managedBytes();
            long[] l = levels.computeIfAbsent(x.level(), k -> new long[2]);
            l[0]++;
            l[1] += x.bytes();
        }
        assertTrue(managed > 0, "the lab's apps responses carry managedFields, so omitManagedFields is exercised");
        assertTrue(matched[0] > 0 && keptByRule[1] > 0 && keptByRule[2] > 0 && keptByRule[3] > 0 && keptByRule[4] > 0,
                "every rule decides some of the lab's events");

        SimulationReport.Input input = report.input();
        assertEquals(5, input.files());
        assertEquals(new SimulationReport.Figures(lines.size(), recordedBytes), input.recorded());
        assertEquals(stages, input.stages());
        assertEquals(first.toString(), input.from());
        assertEquals((last.toEpochMilli() - first.toEpochMilli()) / 1000.0, input.spanSeconds());

        SimulationReport.PolicyReport p = report.policies().get(0);
        assertEquals(new SimulationReport.Figures(keptEvents, keptBytes), p.kept());
        assertEquals(new SimulationReport.Figures(lines.size() - keptEvents, recordedBytes - keptRecordedBytes), p.dropped());
        assertEquals(new SimulationReport.Figures(omitted, omittedBytes), p.omittedStages());
        for (SimulationReport.LevelFigures l : p.levels()) {
            if (!l.level().equals("None")) {
                long[] want = levels.getOrDefault(l.level(), new long[2]);
                assertEquals(new SimulationReport.Figures(want[0], want[1]), l.figures(), l.level());
            }
        }
        for (int i = 0; i < 5; i++) {
            SimulationReport.RuleFigures r = p.rules().get(i);
            assertEquals("rules[" + i + "]", r.rule());
            assertEquals(matched[i], r.matched().events(), r.rule());
            assertEquals(new SimulationReport.Figures(keptByRule[i], keptBytesByRule[i]), r.kept(), r.rule());
        }
        assertEquals(0, p.noRule().events(), "the last rule catches all");
        double span = input.spanSeconds();
        assertEquals(new SimulationReport.Figures(Math.round(keptEvents * 86400 / span), Math.round(keptBytes * 86400 / span)), p.perDay());
        assertEquals(keptBytes, p.top().get("user").stream().mapToLong(r -> r.kept().bytes()).sum(), "every kept byte has a user");
        assertEquals(0, p.underRecorded(), "nothing is kept above the recorded level: secret reads stay at Metadata");
    }

    @Test
    void comparingListsExactlyTheEventsAChangeDrops() throws Exception {
        String withoutConfigReads = POLICY.replace("- level: Metadata\n  resources:", "- level: None\n  resources:");
        SimulationReport report = simulate(List.of(lab()), List.of(new Simulation.Candidate("before", policy("before", POLICY)),
                new Simulation.Candidate("after", policy("after", withoutConfigReads))), new ArrayList<>());
        Map<List<String>, long[]> want = new HashMap<>();
        for (String line : labLines()) {
            Expected x = expected(line);
            if (x.rule() == 1 && x.bytes() >= 0) {
                JsonNode e = JSON.readTree(line);
                long[] n = want.computeIfAbsent(List.of(e.get("verb").asText(), e.get("objectRef").get("resource").asText()),
                        k -> new long[2]);
                n[0]++;
                n[1] += x.bytes();
            }
        }
        Map<List<String>, long[]> got = new HashMap<>();
        for (SimulationReport.Change c : report.changes()) {
            assertEquals("Metadata", c.from());
            assertEquals("None", c.to());
            assertEquals(0, c.bytesAfter());
            got.put(List.of(c.verb(), c.resource()), new long[] {c.events(), c.bytesBefore()});
        }
        assertEquals(want.keySet(), got.keySet());
        want.forEach((k, v) -> assertEquals(List.of(v[0], v[1]), List.of(got.get(k)[0], got.get(k)[1]), k.toString()));
        SimulationReport.PolicyReport before = report.policies().get(0);
        SimulationReport.PolicyReport after = report.policies().get(1);
        long lost = want.values().stream().mapToLong(v -> v[1]).sum();
        assertEquals(before.kept().bytes() - lost, after.kept().bytes());
    }

    @Test
    void thePolicyIsMatchedAgainstTheAuthenticatedUserNotTheImpersonatedOne() throws Exception {
        String policy = HEADER + "rules:\n- level: None\n  users: [alice]\n- level: Metadata\n  users: [kubernetes-admin]\n- level: Request\n";
        SimulationReport report = simulate(List.of(lab()), List.of(new Simulation.Candidate("p", policy("p", policy))), new ArrayList<>());
        long admin = 0;
        long asAlice = 0;
        for (String line : labLines()) {
            JsonNode e = JSON.readTree(line);
            admin += e.get("user").get("username").asText().equals("kubernetes-admin") ? 1 : 0;
            asAlice += e.path("impersonatedUser").path("username").asText("").equals("alice") ? 1 : 0;
        }
        assertTrue(asAlice > 0, "the lab has requests made as alice");
        List<SimulationReport.RuleFigures> rules = report.policies().get(0).rules();
        assertEquals(0, rules.get(0).matched().events());
        assertEquals(admin, rules.get(1).matched().events());
    }

    @Test
    void keepingMoreThanWasRecordedIsCountedAndWarnedAbout() throws Exception {
        SimulationReport report = simulate(List.of(lab()), List.of(new Simulation.Candidate("all",
                policy("all", HEADER + "rules:\n- level: RequestResponse\n"))), new ArrayList<>());
        long belowLevel = 0;
        for (String line : labLines()) {
            JsonNode e = JSON.readTree(line);
            belowLevel += e.get("level").asText().equals("Metadata") && !e.get("stage").asText().equals("RequestReceived") ? 1 : 0;
        }
        assertTrue(belowLevel > 0);
        SimulationReport.PolicyReport p = report.policies().get(0);
        assertEquals(belowLevel, p.underRecorded());
        assertTrue(p.warnings().get(0).contains(belowLevel + " kept events were recorded at a lower level"), p.warnings().toString());
    }

    @Test
    void aLogWithoutRequestReceivedWarnsThatAPolicyKeepingItWritesMore() throws Exception {
        List<String> completed = new ArrayList<>();
        for (String line : labLines()) {
            if (JSON.readTree(line).get("stage").asText().equals("ResponseComplete")) {
                completed.add(line);
            }
        }
        Path log = Files.writeString(tmp.resolve("audit.log"), String.join("\n", completed) + "\n");
        SimulationReport report = simulate(List.of(log), List.of(new Simulation.Candidate("m",
                policy("m", HEADER + "rules:\n- level: Metadata\n"))), new ArrayList<>());
        assertEquals(List.of("m: the log has no RequestReceived events (its policy omitted that stage), but m keeps them: about "
                + completed.size() + " more events, not counted here"), report.policies().get(0).warnings());
    }

    @Test
    void aCreateIsMatchedWithoutItsNameAsTheServerDoesBeforeTheBodyIsRead() throws Exception {
        String create = "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Metadata\",\"auditID\":\"a1\","
                + "\"stage\":\"ResponseComplete\",\"requestURI\":\"/api/v1/namespaces/shop/configmaps\",\"verb\":\"create\","
                + "\"user\":{\"username\":\"bob\"},\"objectRef\":{\"resource\":\"configmaps\",\"namespace\":\"shop\",\"name\":\"cfg\","
                + "\"apiVersion\":\"v1\"},\"responseStatus\":{\"code\":201},\"requestReceivedTimestamp\":\"2026-11-26T12:00:00.000000Z\"}";
        String update = create.replace("\"a1\"", "\"a2\"").replace("\"create\"", "\"update\"")
                .replace("/configmaps\"", "/configmaps/cfg\"");
        Path log = Files.writeString(tmp.resolve("audit.log"), create + "\n" + update + "\n");
        String policy = HEADER + "rules:\n- level: None\n  resources:\n  - group: \"\"\n    resources: [configmaps]\n"
                + "    resourceNames: [cfg]\n- level: Metadata\n";
        SimulationReport report = simulate(List.of(log), List.of(new Simulation.Candidate("p", policy("p", policy))), new ArrayList<>());
        List<SimulationReport.RuleFigures> rules = report.policies().get(0).rules();
        assertEquals(1, rules.get(0).matched().events(), "the update names cfg in its path");
        assertEquals(new SimulationReport.Figures(1, utf8(create) + 1), rules.get(1).kept(), "the create had no name yet");
    }
}
