package io.kubeaudit.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubeaudit.yaml.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A destination's filter is read and checked at load, like the rest of the config, for every destination type. */
class FilterConfigTest {

    private static final String HEAD = "ship:\n  destinations:\n    - name: bus\n      type: kafka\n      bootstrapServers: [k:9092]\n"
            + "      topic: audit\n      filter:\n";

    @Test
    void aFilterIsReadIntoItsRules() throws Exception {
        AgentConfig c = ConfigLoader.parse("c.yaml", HEAD + "        include:\n          - verbs: [create, update, patch, delete]\n"
                + "            resources: [{group: apps, resources: [deployments, \"deployments/*\"]}]\n"
                + "        exclude:\n          - stages: [RequestReceived]\n          - users: [\"system:serviceaccount:*\"]\n"
                + "            codes: [4xx]\n");
        FilterConfig f = c.ship().destinations().get(0).filter();
        assertEquals(List.of("create", "update", "patch", "delete"), f.include().get(0).verbs());
        assertEquals(new FilterConfig.Resources("apps", List.of("deployments", "deployments/*")), f.include().get(0).resources().get(0));
        assertEquals(List.of("RequestReceived"), f.exclude().get(0).stages());
        assertEquals(List.of("4xx"), f.exclude().get(1).codes());
    }

    @Test
    void withoutAFilterADestinationGetsEverything() throws Exception {
        AgentConfig c = ConfigLoader.parse("c.yaml", "ship:\n  destinations: [{name: siem, type: webhook, url: \"https://siem/audit\"}]\n");
        assertTrue(c.ship().destinations().get(0).filter().isEverything());
    }

    @Test
    void aStageThatDoesNotExistIsRefusedWithItsPosition() {
        String message = refusal(HEAD + "        exclude:\n          - stages: [RequestRecieved]\n");
        assertTrue(message.startsWith("c.yaml:9:21: "), message);
        assertTrue(message.contains("may hold only RequestReceived, ResponseStarted, ResponseComplete and Panic"), message);
    }

    @Test
    void aRuleThatSetsNothingWouldMatchEverythingAndIsRefused() {
        assertTrue(refusal(HEAD + "        exclude:\n          - {}\n").contains("sets no field: it would match every event"));
    }

    @Test
    void aCodeMustBeACodeOrAClass() {
        assertTrue(refusal(HEAD + "        include:\n          - codes: [\"40x\"]\n").contains("may hold only codes such as 403 and classes such as 5xx"));
    }

    @Test
    void anUnknownFieldOfARuleIsNamed() {
        assertTrue(refusal(HEAD + "        include:\n          - verb: [create]\n").contains("unknown field"));
    }

    private static String refusal(String yaml) {
        return assertThrows(InvalidInputException.class, () -> ConfigLoader.parse("c.yaml", yaml)).getMessage();
    }
}
