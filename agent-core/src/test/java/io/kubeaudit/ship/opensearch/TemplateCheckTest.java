package io.kubeaudit.ship.opensearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TemplateCheckTest {

    private static final ObjectNode OURS = IndexTemplate.body(List.of("k8s-audit-*.*.*"), OpenEndedObjects.FLAT_OBJECT, Optional.empty());

    @Test
    void missingIsPut() {
        assertEquals(TemplateCheck.ABSENT, TemplateCheck.of(Optional.empty(), OURS));
        assertTrue(TemplateCheck.ABSENT.put());
    }

    @Test
    void oursAsTheServerHandsItBackIsCurrent() {
        ObjectNode back = OURS.deepCopy();
        back.putArray("composed_of");
        assertEquals(TemplateCheck.CURRENT, TemplateCheck.of(Optional.of(back), OURS));
        assertFalse(TemplateCheck.CURRENT.put());
    }

    @Test
    void anUntouchedOneFromOtherSettingsIsReplaced() {
        ObjectNode older = IndexTemplate.body(List.of("audit-*"), OpenEndedObjects.STORED_ONLY, Optional.empty());
        assertEquals(TemplateCheck.OUTDATED, TemplateCheck.of(Optional.of(older), OURS));
        assertTrue(TemplateCheck.OUTDATED.put());
    }

    @Test
    void aChangedOneIsLeftAlone() {
        ObjectNode changed = OURS.deepCopy();
        ((ObjectNode) changed.get("template")).putObject("settings").put("index.number_of_shards", 3);
        assertEquals(TemplateCheck.CHANGED, TemplateCheck.of(Optional.of(changed), OURS));
        assertFalse(TemplateCheck.CHANGED.put());
    }

    @Test
    void oneANewerAgentInstalledIsLeftAlone() {
        ObjectNode newer = OURS.deepCopy();
        newer.put("version", IndexTemplate.VERSION + 1);
        ((ObjectNode) newer.get("_meta")).put(IndexTemplate.FINGERPRINT, IndexTemplate.fingerprint(newer));
        assertEquals(TemplateCheck.NEWER, TemplateCheck.of(Optional.of(newer), OURS));
    }

    @Test
    void someoneElsesIsLeftAlone() {
        ObjectNode foreign = OURS.deepCopy();
        foreign.remove("_meta");
        assertEquals(TemplateCheck.FOREIGN, TemplateCheck.of(Optional.of(foreign), OURS));
    }
}
