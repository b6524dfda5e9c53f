package io.kubeaudit.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EventParserTest {

    private static final EventParser PARSER = EventParser.forQueries();

    private static AuditEvent parse(String line) throws EventParser.NotAnEventException {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        return PARSER.parse(b, 0, b.length);
    }

    private static String firstLine(Path file, String containing) {
        return Corpus.lines(file).stream().filter(l -> l.contains(containing)).findFirst().orElseThrow();
    }

    @Test
    void readsAnImpersonatedV1EventOfTheRealServer() throws Exception {
        String line = Corpus.labLines().stream().filter(l -> l.contains("\"impersonatedUser\":{\"username\":\"alice\"")
                && l.contains("\"/version?timeout=5s\"") && l.contains("ResponseComplete")).findFirst().orElseThrow();
        AuditEvent e = parse(line);
        assertEquals("audit.k8s.io/v1", e.apiVersion());
        assertEquals("RequestResponse", e.level());
        assertEquals("8c458c1b-ffb2-41bd-9794-da5291c53726", e.auditId());
        assertEquals("ResponseComplete", e.stage());
        assertEquals("get", e.verb());
        assertEquals("/version?timeout=5s", e.requestUri());
        assertEquals(new AuditEvent.User("kubernetes-admin", "", List.of("system:masters", "system:authenticated"), Map.of()), e.user());
        assertEquals("alice", e.impersonatedUser().orElseThrow().username());
        assertEquals(List.of("kubernetes-admin", "alice"), e.usernames().toList());
        assertEquals(List.of("127.0.0.1"), e.sourceIps());
        assertEquals("kubectl-dispatcher/v1.0 (linux/amd64)", e.userAgent());
        assertEquals(Optional.empty(), e.objectRef());
        assertEquals(200, e.code());
        assertEquals(Instant.parse("2026-11-26T12:26:51.986448Z"), e.receivedAt().orElseThrow());
        assertEquals(Instant.parse("2026-11-26T12:26:52.022988Z"), e.stageAt().orElseThrow());
        assertEquals("allow", e.annotations().get("authorization.k8s.io/decision"));
        assertEquals(AuditEvent.Bodies.NONE, e.bodies());
    }

    @Test
    void readsTheV1beta1FieldSet() throws Exception {
        AuditEvent e = parse(firstLine(Corpus.AUDIT_LOGS.resolve("audit2rbac-demo-v1beta1-k8s1.8-raw.log"), "\"code\":403"));
        assertEquals("audit.k8s.io/v1beta1", e.apiVersion());
        // No requestReceivedTimestamp in v1beta1: the event's time is its "timestamp".
        assertEquals("2017-09-11T19:55:05Z", e.time());
        assertEquals("", e.stageTime());
        assertEquals("bob", e.impersonatedUser().orElseThrow().username());
        AuditEvent.ObjectRef ref = e.objectRef().orElseThrow();
        assertEquals(new AuditEvent.ObjectRef("pods", "default", "", "", "", "v1", "", ""), ref);
        AuditEvent.ResponseStatus status = e.responseStatus().orElseThrow();
        assertEquals(new AuditEvent.ResponseStatus(403, "Failure", "Forbidden",
                "pods is forbidden: User \"bob\" cannot list pods in the namespace \"default\""), status);
    }

    @Test
    void readsSortedKeysWithoutApiVersionAndSubresources() throws Exception {
        AuditEvent e = parse(Corpus.lines(Corpus.AUDIT_LOGS.resolve("falco-trace-attach-pod-ResponseStarted-101-no-apiVersion.json")).get(0));
        assertEquals("", e.apiVersion());
        assertEquals("ResponseStarted", e.stage());
        assertEquals("pods/attach", e.objectRef().orElseThrow().resourcePath());
        assertEquals(101, e.code());
        // Both timestamps there: requestReceivedTimestamp wins over the legacy one.
        assertEquals("2018-10-26T13:42:46.764713Z", e.time());
    }

    @Test
    void measuresTheBodiesAndOnRequestTheirManagedFields() throws Exception {
        String line = Corpus.labLines().stream().filter(l -> l.contains("\"managedFields\"") && l.contains("\"verb\":\"create\"")
                && l.contains("\"name\":\"shop\",\"apiVersion\"")).findFirst().orElseThrow();
        String request = line.substring(line.indexOf("\"requestObject\""), line.indexOf(",\"responseObject\"") + 1);
        String response = line.substring(line.indexOf("\"responseObject\""), line.indexOf(",\"requestReceivedTimestamp\"") + 1);
        String managed = line.substring(line.indexOf("\"managedFields\""), line.indexOf("]},\"spec\":{\"finalizers\"") + 1);
        assertEquals(new AuditEvent.Bodies(request.length(), 0, response.length(), 0), parse(line).bodies());
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        assertEquals(new AuditEvent.Bodies(request.length(), 0, response.length(), managed.length() + 1),
                EventParser.measuringManagedFields().parse(b, 0, b.length).bodies());
    }

    @Test
    void refusesWhatIsNotAnEvent() {
        assertRefused("{\"kind\": 0}", "not an audit event: kind is a number, not a string", 10);
        assertRefused("{\"kind\":\"EventList\",\"items\":[]}", "not an audit event: kind is \"EventList\", not \"Event\"", 0);
        assertRefused("{\"insertId\":\"x\",\"protoPayload\":{}}", "not an audit event: a JSON object without auditID, stage, verb"
                + " (another kind of record, or an event wrapped in one: GKE, AKS)", 0);
        assertRefused("{", "invalid JSON: the line ends before the JSON value does (cut off, or pretty-printed over several lines)", 2);
        assertRefused("  \"kind\": \"Event\",", "not a JSON object", 1);
        assertRefused("{\"auditID\":\"a\",\"stage\":\"s\",\"verb\":\"get\"} {}", "more than one JSON value on the line", 42);
        assertRefused("{\"auditID\":\"a\",\"stage\":\"s\",\"verb\":\"get\",\"responseStatus\":{\"code\":\"403\"}}",
                "not an audit event: responseStatus.code is a string, not a whole number", 66);
        assertRefused("{\"auditID\":\"a\",\"stage\":\"s\",\"verb\":\"get\",\"user\":{\"groups\":\"x\"}}",
                "not an audit event: user.groups is a string, not a list of strings", 58);
    }

    private static void assertRefused(String line, String message, int column) {
        EventParser.NotAnEventException e = assertThrows(EventParser.NotAnEventException.class, () -> parse(line), line);
        assertEquals(message, e.getMessage());
        assertEquals(column, e.column(), line);
    }

    @Test
    void everyLineOfTheValidCorpusLogsParses() throws Exception {
        int events = 0;
        for (Path file : Corpus.validLogs()) {
            for (String line : Corpus.lines(file)) {
                if (file.getFileName().toString().startsWith("elastic") && !line.startsWith("{\"kind\":\"Event\"")) {
                    continue; // the GKE and AKS wrapper lines
                }
                AuditEvent e = parse(line);
                assertTrue(!e.auditId().isEmpty() && !e.verb().isEmpty(), line);
                events++;
            }
        }
        // The lab log: 1,996 RequestReceived, 1,970 ResponseComplete, 14 ResponseStarted (counted with grep).
        assertEquals(3980 + 757 + 37 + 3 + 1 + 6 + 1 + 1, events);
    }
}
