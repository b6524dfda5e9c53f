package io.kubeaudit.ship.opensearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IndexTemplateTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theOpenEndedObjectsGetTheServersTypeAndNothingElseIsOpenEnded() {
        for (OpenEndedObjects objects : OpenEndedObjects.values()) {
            JsonNode properties = IndexTemplate.mappings(objects).get("properties");
            for (String path : List.of("/requestObject", "/responseObject", "/annotations", "/user/properties/extra",
                    "/impersonatedUser/properties/extra")) {
                assertEquals(objects.mapping(), properties.at(path), path);
            }
            assertFalse(IndexTemplate.mappings(objects).toString().contains("open-ended"));
        }
    }

    @Test
    void nothingOutsideTheTemplateIsMappedDynamically() {
        assertFalse(IndexTemplate.mappings(OpenEndedObjects.FLAT_OBJECT).get("dynamic").asBoolean(true));
    }

    @Test
    void theBodyCarriesPatternsPriorityVersionAndOurMarker() {
        JsonNode body = IndexTemplate.body(List.of("k8s-audit-*"), OpenEndedObjects.FLATTENED, Optional.empty());
        assertEquals("[\"k8s-audit-*\"]", body.get("index_patterns").toString());
        assertEquals(IndexTemplate.PRIORITY, body.get("priority").asInt());
        assertEquals(IndexTemplate.VERSION, body.get("version").asInt());
        assertEquals("kube-audit-agent", body.at("/_meta/managed_by").asText());
        assertEquals("flattened", body.at("/template/mappings/properties/requestObject/type").asText());
    }

    @Test
    void theTypeIsChosenFromWhatGetRootReports() throws Exception {
        assertEquals(OpenEndedObjects.FLAT_OBJECT, forRoot("{\"distribution\":\"opensearch\",\"number\":\"2.19.6\"}"));
        assertEquals(OpenEndedObjects.FLAT_OBJECT, forRoot("{\"distribution\":\"opensearch\",\"number\":\"2.7.0\"}"));
        assertEquals(OpenEndedObjects.FLAT_OBJECT, forRoot("{\"distribution\":\"opensearch\",\"number\":\"3.1.0\"}"));
        assertEquals(OpenEndedObjects.STORED_ONLY, forRoot("{\"distribution\":\"opensearch\",\"number\":\"2.6.0\"}"));
        assertEquals(OpenEndedObjects.STORED_ONLY, forRoot("{\"distribution\":\"opensearch\",\"number\":\"1.3.20\"}"));
        assertEquals(OpenEndedObjects.STORED_ONLY, forRoot("{\"distribution\":\"opensearch\",\"number\":\"7.10.2\"}"),
                "compatibility.override_main_response_version hides the real version");
        assertEquals(OpenEndedObjects.FLATTENED, forRoot("{\"number\":\"8.15.0\",\"build_flavor\":\"default\"}"));
        assertEquals(OpenEndedObjects.FLATTENED, forRoot("{\"number\":\"7.3.0\",\"build_flavor\":\"default\"}"));
        assertEquals(OpenEndedObjects.STORED_ONLY, forRoot("{\"number\":\"7.10.2\",\"build_flavor\":\"oss\"}"));
        assertEquals(OpenEndedObjects.STORED_ONLY, forRoot("{\"number\":\"7.2.1\",\"build_flavor\":\"default\"}"));
        assertEquals(OpenEndedObjects.STORED_ONLY, forRoot("{}"));
    }

    private static OpenEndedObjects forRoot(String version) throws Exception {
        return OpenEndedObjects.forServer(JSON.readTree("{\"name\":\"n\",\"version\":" + version + "}"));
    }
}
