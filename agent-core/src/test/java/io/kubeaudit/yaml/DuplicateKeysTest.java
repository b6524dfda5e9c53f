package io.kubeaudit.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DuplicateKeysTest {

    @Test
    void aKeyTwiceInAListItemIsNamedWithItsPath() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> YamlDocuments.single("c.yaml", "items:\n- name: a\n  name: b\n"));
        assertEquals("c.yaml:3:3: duplicate key \"items[0].name\" (first at line 2): YAML readers disagree on which one counts"
                + " (the kubelet takes the last); keep one", e.getMessage());
    }

    @Test
    void mergeKeysAndTheSameKeyInSiblingMappingsAreFine() throws Exception {
        YamlDocuments.single("c.yaml", "base: &b {k: 1}\nx:\n  <<: *b\n  <<: *b\n  k: 2\ny: {k: 3}\n");
    }
}
