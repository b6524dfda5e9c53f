package io.kubeaudit.ship.opensearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IndexPatternTest {

    @Test
    void theIndexComesFromTheEventsOwnTimeInUtc() {
        IndexPattern p = IndexPattern.parse("k8s-audit-%Y.%m.%d");
        assertEquals("k8s-audit-2026.11.26", p.index("2026-11-26T23:59:59.999999Z"));
        assertEquals("k8s-audit-2026.11.27", p.index("2026-11-27T00:00:00.000001Z"));
        assertEquals("k8s-audit-2026.11.26", p.index("2026-11-27T01:30:00+02:00"), "another offset is converted to UTC");
        assertEquals("k8s-audit-2026.11.26", p.index("2026-11-26T12:26:59Z"));
    }

    @Test
    void hoursAndPercentSigns() {
        assertEquals("audit-2026-11-26-07h-%", IndexPattern.parse("audit-%Y-%m-%d-%Hh-%%").index("2026-11-26T07:01:02.5Z"));
    }

    @Test
    void aLineWithoutATimeGoesToAFixedIndexSoItsResendFindsIt() {
        IndexPattern p = IndexPattern.parse("k8s-audit-%Y.%m.%d");
        assertEquals("k8s-audit-1970.01.01", p.index(""));
        assertEquals("k8s-audit-1970.01.01", p.index("yesterday"));
    }

    @Test
    void aFixedNameIsUsedAsItIs() {
        IndexPattern p = IndexPattern.parse("k8s-audit");
        assertEquals("k8s-audit", p.index("2026-11-26T12:00:00Z"));
        assertEquals("k8s-audit", p.templatePattern());
    }

    @Test
    void theTemplateCoversEveryIndexThePatternGives() {
        assertEquals("k8s-audit-*.*.*", IndexPattern.parse("k8s-audit-%Y.%m.%d").templatePattern());
        assertEquals("audit-*-cp1", IndexPattern.parse("audit-%Y%m%d-cp1").templatePattern());
    }

    @Test
    void patternsThatCannotNameAnIndexAreRefusedWithTheReason() {
        assertTrue(refused("k8s-audit-%y").contains("%y"));
        assertTrue(refused("k8s-audit-%").contains("lone %"));
        assertTrue(refused("K8s-audit-%Y").contains("upper-case"));
        assertTrue(refused("_audit").contains("starts with _"));
        assertTrue(refused("audit one").contains("' '"));
        assertTrue(refused("").contains("empty"));
        assertTrue(refused("a".repeat(256)).contains("255 bytes"));
    }

    private static String refused(String pattern) {
        return assertThrows(IllegalArgumentException.class, () -> IndexPattern.parse(pattern)).getMessage();
    }
}
