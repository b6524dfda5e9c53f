package io.kubeaudit.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EventFilterTest {

    /** admin, impersonating bob, deletes deployment shop/web; answered 403. */
    private static final String IMPERSONATED = "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Metadata\","
            + "\"auditID\":\"id-1\",\"stage\":\"ResponseComplete\",\"requestURI\":\"/apis/apps/v1/namespaces/shop/deployments/web\","
            + "\"verb\":\"delete\",\"user\":{\"username\":\"admin\",\"groups\":[\"system:masters\"]},"
            + "\"impersonatedUser\":{\"username\":\"bob\",\"groups\":[\"devs\"]},\"sourceIPs\":[\"10.1.2.3\",\"192.168.0.9\"],"
            + "\"userAgent\":\"kubectl/v1.32.4 (linux/amd64) kubernetes/4cb5f07\","
            + "\"objectRef\":{\"resource\":\"deployments\",\"namespace\":\"shop\",\"name\":\"web\",\"apiGroup\":\"apps\",\"apiVersion\":\"v1\"},"
            + "\"responseStatus\":{\"metadata\":{},\"code\":403},\"requestReceivedTimestamp\":\"2026-11-26T12:00:00.500000Z\","
            + "\"stageTimestamp\":\"2026-11-26T12:00:00.600000Z\"}";
    /** A non-resource request, no response yet. */
    private static final String HEALTHZ = "{\"kind\":\"Event\",\"level\":\"Metadata\",\"auditID\":\"id-2\",\"stage\":\"RequestReceived\","
            + "\"requestURI\":\"/healthz\",\"verb\":\"get\",\"user\":{\"username\":\"system:anonymous\"},\"sourceIPs\":[\"::1\"]}";
    /** kubectl exec in the core group. */
    private static final String EXEC = "{\"kind\":\"Event\",\"level\":\"Request\",\"auditID\":\"id-3\",\"stage\":\"ResponseStarted\","
            + "\"requestURI\":\"/api/v1/namespaces/default/pods/nginx/exec\",\"verb\":\"create\",\"user\":{\"username\":\"alice\"},"
            + "\"objectRef\":{\"resource\":\"pods\",\"namespace\":\"default\",\"name\":\"nginx\",\"apiVersion\":\"v1\",\"subresource\":\"exec\"},"
            + "\"responseStatus\":{\"code\":101},\"requestReceivedTimestamp\":\"2026-11-26T13:00:00Z\"}";

    private static AuditEvent event(String json) throws Exception {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return EventParser.forQueries().parse(b, 0, b.length);
    }

    private static boolean matches(String json, Field field, String... values) throws Exception {
        EventFilter.Builder b = EventFilter.builder();
        for (String v : values) {
            b.add(field, v);
        }
        return b.build().matches(event(json));
    }

    @Test
    void anImpersonatedRequestIsFoundByEitherUser() throws Exception {
        assertTrue(matches(IMPERSONATED, Field.USER, "admin"));
        assertTrue(matches(IMPERSONATED, Field.USER, "bob"));
        assertFalse(matches(IMPERSONATED, Field.USER, "!bob"));
        assertFalse(matches(IMPERSONATED, Field.USER, "carol"));
        assertTrue(matches(IMPERSONATED, Field.GROUP, "devs"));
        assertTrue(matches(IMPERSONATED, Field.GROUP, "system:masters"));
        assertTrue(matches(HEALTHZ, Field.USER, "system:*"));
    }

    @Test
    void valuesOfOneOptionOrOneAnotherAndANegatedListExcludes() throws Exception {
        assertTrue(matches(IMPERSONATED, Field.VERB, "get,delete"));
        assertTrue(matches(IMPERSONATED, Field.VERB, "get", "delete"));
        assertFalse(matches(IMPERSONATED, Field.VERB, "!get,delete"));
        assertTrue(matches(IMPERSONATED, Field.VERB, "!get,list"));
        // Included and excluded at once: delete or patch, but not delete.
        assertFalse(matches(IMPERSONATED, Field.VERB, "delete,patch", "!delete"));
        assertTrue(matches(IMPERSONATED, Field.NAMESPACE, "!kube-system"));
        // A request without objectRef has no namespace: it is not in shop, and not excluded by !shop.
        assertFalse(matches(HEALTHZ, Field.NAMESPACE, "shop"));
        assertTrue(matches(HEALTHZ, Field.NAMESPACE, "!shop"));
    }

    @Test
    void resourcesAreMatchedAsAuditPoliciesNameThem() throws Exception {
        assertTrue(matches(IMPERSONATED, Field.RESOURCE, "deployments"));
        assertTrue(matches(EXEC, Field.RESOURCE, "pods/exec"));
        assertTrue(matches(EXEC, Field.RESOURCE, "*/exec"));
        assertTrue(matches(EXEC, Field.RESOURCE, "pods/*"));
        assertFalse(matches(EXEC, Field.RESOURCE, "pods"), "pods does not include its subresources, as in policies");
        assertFalse(matches(HEALTHZ, Field.RESOURCE, "*"), "a non-resource request has no resource");
        assertTrue(matches(EXEC, Field.API_GROUP, "core"));
        assertTrue(matches(IMPERSONATED, Field.API_GROUP, "apps"));
        assertThrows(InvalidFilterException.class, () -> matches(EXEC, Field.RESOURCE, "pods/exec/x"));
    }

    @Test
    void statusCodesAndClasses() throws Exception {
        assertTrue(matches(IMPERSONATED, Field.STATUS, "403"));
        assertTrue(matches(IMPERSONATED, Field.STATUS, "4xx"));
        assertTrue(matches(IMPERSONATED, Field.STATUS, "40X"));
        assertFalse(matches(IMPERSONATED, Field.STATUS, "2xx"));
        assertTrue(matches(IMPERSONATED, Field.STATUS, "!2xx"));
        assertFalse(matches(HEALTHZ, Field.STATUS, "2xx,4xx,5xx"), "RequestReceived has no code");
        assertThrows(InvalidFilterException.class, () -> matches(IMPERSONATED, Field.STATUS, "forbidden"));
        assertThrows(InvalidFilterException.class, () -> matches(IMPERSONATED, Field.STATUS, "4000"));
    }

    @Test
    void sourceAddressesAndNetworksAnyHop() throws Exception {
        assertTrue(matches(IMPERSONATED, Field.SOURCE_IP, "10.1.2.3"));
        assertTrue(matches(IMPERSONATED, Field.SOURCE_IP, "192.168.0.0/16"), "the proxy's address counts too");
        assertTrue(matches(IMPERSONATED, Field.SOURCE_IP, "10.0.0.0/8"));
        assertFalse(matches(IMPERSONATED, Field.SOURCE_IP, "10.1.2.4"));
        assertTrue(matches(HEALTHZ, Field.SOURCE_IP, "::1"));
        assertTrue(matches(HEALTHZ, Field.SOURCE_IP, "::/0"));
        assertFalse(matches(HEALTHZ, Field.SOURCE_IP, "0.0.0.0/0"), "IPv6 is not in an IPv4 network");
        assertThrows(InvalidFilterException.class, () -> matches(HEALTHZ, Field.SOURCE_IP, "localhost"));
        assertThrows(InvalidFilterException.class, () -> matches(HEALTHZ, Field.SOURCE_IP, "10.0.0.0/33"));
        assertThrows(InvalidFilterException.class, () -> matches(HEALTHZ, Field.SOURCE_IP, "300.1.1.1"));
    }

    @Test
    void userAgentsKeepTheirCommasLevelsAndStagesTakeAnyCase() throws Exception {
        assertTrue(matches(IMPERSONATED, Field.USER_AGENT, "kubectl/*"));
        assertFalse(matches(IMPERSONATED, Field.USER_AGENT, "kubectl/*,curl/*"), "one pattern with a comma in it");
        assertTrue(matches(IMPERSONATED, Field.LEVEL, "metadata"));
        assertTrue(matches(EXEC, Field.STAGE, "responsestarted"));
        assertThrows(InvalidFilterException.class, () -> matches(EXEC, Field.LEVEL, "Verbose"));
    }

    @Test
    void timeRangeOnTheReceivedTime() throws Exception {
        Instant noon = Instant.parse("2026-11-26T12:00:00.500Z");
        EventFilter from = EventFilter.builder().time(new TimeRange(Optional.of(noon), Optional.empty())).build();
        EventFilter to = EventFilter.builder().time(new TimeRange(Optional.empty(), Optional.of(noon))).build();
        assertTrue(from.matches(event(IMPERSONATED)), "from is included");
        assertFalse(to.matches(event(IMPERSONATED)), "to is excluded");
        assertFalse(from.matches(event(HEALTHZ)), "no time: outside every bounded range");
        assertTrue(EventFilter.everything().matches(event(HEALTHZ)));
    }

    @Test
    void timesAsPeopleTypeThem() throws Exception {
        Instant now = Instant.parse("2026-11-26T12:00:00Z");
        assertEquals(Instant.parse("2026-11-26T10:00:00Z"), TimeRange.parse("2h", now));
        assertEquals(Instant.parse("2026-11-26T10:30:00Z"), TimeRange.parse("1h30m", now));
        assertEquals(Instant.parse("2026-11-19T12:00:00Z"), TimeRange.parse("1w", now));
        assertEquals(Instant.parse("2026-11-25T12:00:00Z"), TimeRange.parse("1d", now));
        assertEquals(now, TimeRange.parse("now", now));
        assertEquals(Instant.parse("2026-11-26T10:00:00Z"), TimeRange.parse("2026-11-26T12:00:00+02:00", now));
        assertEquals(Instant.parse("2026-11-26T12:00:00.123456Z"), TimeRange.parse("2026-11-26T12:00:00.123456Z", now));
        assertEquals(Instant.parse("2026-11-20T00:00:00Z"), TimeRange.parse("2026-11-20", now));
        assertThrows(InvalidFilterException.class, () -> TimeRange.parse("yesterday", now));
        assertThrows(InvalidFilterException.class, () -> TimeRange.parse("5", now));
    }
}
