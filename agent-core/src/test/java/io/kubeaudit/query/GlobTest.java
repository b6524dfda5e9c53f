package io.kubeaudit.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class GlobTest {

    @Test
    void exactUnlessThereIsAStar() {
        assertTrue(new Glob("alice").matches("alice"));
        assertFalse(new Glob("alice").matches("alice2"));
        assertFalse(new Glob("alice").matches("Alice"));
        assertTrue(new Glob("").matches(""));
    }

    @Test
    void starsStandForAnyRun() {
        Glob sa = new Glob("system:serviceaccount:kube-system:*");
        assertTrue(sa.matches("system:serviceaccount:kube-system:"));
        assertTrue(sa.matches("system:serviceaccount:kube-system:coredns"));
        assertFalse(sa.matches("system:serviceaccount:default:x"));
        assertTrue(new Glob("*oncall*").matches("oidc:web-oncall@example.com"));
        assertTrue(new Glob("a*b*c").matches("abc"));
        assertTrue(new Glob("a*b*c").matches("a-b-b-c"));
        assertFalse(new Glob("a*b*c").matches("a-c-b"));
        assertFalse(new Glob("ab*ba").matches("aba"), "the parts may not overlap");
        assertTrue(new Glob("*").matches(""));
    }

    @Test
    void theNeedleIsTheLongestRunAsItIsWrittenInJson() {
        assertEquals("\"alice\"", needle("alice"));
        assertEquals("\"system:serviceaccount:kube-system:", needle("system:serviceaccount:kube-system:*"));
        assertEquals(":kube-system:", needle("*:kube-system:*"));
        assertEquals("-oncall@example.com\"", needle("*-oncall@example.com"));
        // Slashes may be written \/, and <, >, & as \\u003c...: runs stop there.
        assertEquals("\"kubectl", needle("kubectl/*"));
        assertEquals("b-long-part\"", needle("a&b-long-part"));
        // Too short to be worth searching for, or no literal at all.
        assertEquals("", needle(""));
        assertEquals("", needle("*"));
        assertEquals("", needle("*a*"));
    }

    private static String needle(String pattern) {
        Optional<Needle> n = new Glob(pattern).needle();
        return n.map(Needle::toString).orElse("");
    }
}
