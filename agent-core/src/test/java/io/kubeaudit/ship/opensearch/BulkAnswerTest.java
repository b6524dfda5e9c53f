package io.kubeaudit.ship.opensearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Answers as OpenSearch 2.19 gives them with filter_path=took,errors,items.*.status,items.*.error (taken from the IT's server). */
class BulkAnswerTest {

    @Test
    void anAnswerWithoutErrorsHasOneItemPerAction() throws Exception {
        BulkAnswer a = parse("{\"took\":12,\"errors\":false,\"items\":[{\"create\":{\"status\":201}},{\"create\":{\"status\":201}}]}");
        assertFalse(a.errors());
        assertEquals(List.of(new BulkAnswer.Item(201, "", ""), new BulkAnswer.Item(201, "", "")), a.items());
    }

    @Test
    void failedItemsCarryTheErrorsTypeReasonAndCause() throws Exception {
        BulkAnswer a = parse("{\"took\":3,\"errors\":true,\"items\":["
                + "{\"create\":{\"status\":409,\"error\":{\"type\":\"version_conflict_engine_exception\",\"reason\":\"[a:ResponseComplete]: version conflict, document already exists (current version [1])\",\"index\":\"k8s-audit-2026.11.26\",\"shard\":\"0\"}}},"
                + "{\"create\":{\"status\":400,\"error\":{\"type\":\"mapper_parsing_exception\",\"reason\":\"failed to parse\",\"caused_by\":{\"type\":\"illegal_argument_exception\",\"reason\":\"field name cannot contain only the character [.]\"}}}},"
                + "{\"create\":{\"status\":201}}]}");
        assertTrue(a.errors());
        assertEquals(409, a.items().get(0).status());
        assertEquals("version_conflict_engine_exception", a.items().get(0).type());
        assertEquals(new BulkAnswer.Item(400, "mapper_parsing_exception",
                "failed to parse (caused by illegal_argument_exception: field name cannot contain only the character [.])"), a.items().get(1));
        assertEquals(201, a.items().get(2).status());
    }

    @Test
    void whatIsNotABulkAnswerIsRefused() {
        for (String body : List.of("", "<html><body>Login</body></html>", "[]", "{}", "{\"acknowledged\":true}",
                "{\"took\":1,\"errors\":false}", "{\"took\":1,\"errors\":false,\"items\":{}}",
                "{\"took\":1,\"errors\":false,\"items\":[{\"create\":{}}]}", "{\"took\":1,\"errors\":false,\"items\":[1]}",
                "{\"took\":1,\"errors\":false,\"items\":[{\"create\":{\"status\":201}},")) {
            assertThrows(BulkAnswer.NotABulkAnswerException.class, () -> parse(body), body);
        }
    }

    private static BulkAnswer parse(String body) throws BulkAnswer.NotABulkAnswerException {
        return BulkAnswer.parse(body.getBytes(StandardCharsets.UTF_8));
    }
}
