package io.kubeaudit.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.node.KubeVersion;
import io.kubeaudit.policy.ServerVersionTable.Fact;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each version rule of the table, at the versions on both sides of its edges. */
class ServerVersionTableTest {

    @ParameterizedTest(name = "{0} at {1}: {2}")
    @CsvSource({
            "API_V1, 1.11.10, false", "API_V1, 1.12.0, true", "API_V1, 1.36.0, true",
            "API_V1BETA1, 1.12.0, true", "API_V1BETA1, 1.23.17, true", "API_V1BETA1, 1.24.0, false",
            "API_V1ALPHA1, 1.23.17, true", "API_V1ALPHA1, 1.24.0, false",
            "OLD_API_DEPRECATION_WARNING, 1.20.15, false", "OLD_API_DEPRECATION_WARNING, 1.21.0, true",
            "OLD_API_DEPRECATION_WARNING, 1.24.0, false",
            "OMIT_MANAGED_FIELDS, 1.20.2, false", "OMIT_MANAGED_FIELDS, 1.22.17, false", "OMIT_MANAGED_FIELDS, 1.23.0, true",
            "GROUP_WILDCARD, 1.35.9, false", "GROUP_WILDCARD, 1.36.0, true",
            "UNKNOWN_FIELDS_LOGGED, 1.25.16, false", "UNKNOWN_FIELDS_LOGGED, 1.26.0, true",
            "ENCODING_JSON_DECODER, 1.22.17, false", "ENCODING_JSON_DECODER, 1.23.0, true",
            "YAML_V224_FLOATS, 1.12.10, false", "YAML_V224_FLOATS, 1.13.11, false", "YAML_V224_FLOATS, 1.13.12, true",
            "YAML_V224_FLOATS, 1.14.7, false", "YAML_V224_FLOATS, 1.14.8, true", "YAML_V224_FLOATS, 1.15.4, false",
            "YAML_V224_FLOATS, 1.15.5, true", "YAML_V224_FLOATS, 1.16.1, false", "YAML_V224_FLOATS, 1.16.2, true",
            "YAML_V224_FLOATS, 1.17.0, true",
            "GO113_NUMBER_PREFIXES, 1.16.15, false", "GO113_NUMBER_PREFIXES, 1.17.0, true"})
    void factHolds(Fact fact, String version, boolean holds) {
        assertEquals(holds, ServerVersionTable.holds(fact, KubeVersion.parse(version).orElseThrow()));
    }

    @Test
    void aVersionNewerThanTheTableIsReadAsTheNewest() {
        KubeVersion future = new KubeVersion(1, 99, 0);
        for (Fact f : Fact.values()) {
            assertEquals(ServerVersionTable.holds(f, ServerVersionTable.NEWEST), ServerVersionTable.holds(f, future), f.name());
        }
    }

    @Test
    void everyFactHasARowAndEveryRowNamesItsSource() {
        for (Fact f : Fact.values()) {
            assertFalse(ServerVersionTable.rows(f).isEmpty(), f.name());
        }
        for (ServerVersionTable.Row r : ServerVersionTable.ROWS) {
            assertTrue(r.source().matches(".*(@ kubernetes-1\\.\\d+\\.\\d+|at kubernetes-1\\.\\d+\\.\\d+|PR \\d+).*"), r.source());
            assertTrue(r.until().map(u -> u.compareTo(r.from()) > 0).orElse(true), r.toString());
        }
    }

    @Test
    void sinceAndUntilNameTheEdges() {
        assertEquals("1.23", ServerVersionTable.name(ServerVersionTable.since(Fact.OMIT_MANAGED_FIELDS)));
        assertEquals(Optional.of(new KubeVersion(1, 24, 0)), ServerVersionTable.until(Fact.API_V1BETA1));
        assertEquals("1.13.12", ServerVersionTable.name(ServerVersionTable.since(Fact.YAML_V224_FLOATS)));
    }
}
