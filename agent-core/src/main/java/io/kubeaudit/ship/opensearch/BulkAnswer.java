package io.kubeaudit.ship.opensearch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The answer to {@code POST _bulk} (requested with {@code filter_path=took,errors,items.*.status,items.*.error}):
 * one item per action, in the order of the request, each with its HTTP status and, when it failed, the error's
 * type and reason. Read with the streaming parser; an answer without {@code took}, {@code errors} and an
 * {@code items} array of objects is not a bulk answer (a proxy's page, a different endpoint).
 */
record BulkAnswer(boolean errors, List<Item> items) {

    private static final JsonFactory JSON = new JsonFactory();

    /**
     * One action's result.
     *
     * @param type   the error's type ({@code ""} on success), e.g. {@code mapper_parsing_exception}
     * @param reason the error's reason and, when there is one, its cause's type and reason
     */
    record Item(int status, String type, String reason) {
    }

    /** The answer was not a bulk answer. */
    static final class NotABulkAnswerException extends Exception {
        NotABulkAnswerException(String message) {
            super(message);
        }
    }

    BulkAnswer {
        items = List.copyOf(items);
    }

    static BulkAnswer parse(byte[] body) throws NotABulkAnswerException {
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new NotABulkAnswerException("not a JSON object");
            }
            boolean took = false;
            Boolean errors = null;
            List<Item> items = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "took" -> took = value == JsonToken.VALUE_NUMBER_INT;
                    case "errors" -> errors = value == JsonToken.VALUE_TRUE ? Boolean.TRUE : value == JsonToken.VALUE_FALSE ? Boolean.FALSE : null;
                    case "items" -> items = items(p);
                    default -> p.skipChildren();
                }
            }
            if (!took || errors == null || items == null) {
                throw new NotABulkAnswerException("no took, errors and items");
            }
            return new BulkAnswer(errors, items);
        } catch (JsonProcessingException e) {
            throw new NotABulkAnswerException("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("reading an answer in memory cannot fail", e);
        }
    }

    /** {"items":[{"create":{"status":201}}, {"create":{"status":400,"error":{...}}}, ...]} */
    private static List<Item> items(JsonParser p) throws IOException, NotABulkAnswerException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new NotABulkAnswerException("items is not an array");
        }
        List<Item> items = new ArrayList<>();
        while (p.nextToken() == JsonToken.START_OBJECT) {
            if (p.nextToken() != JsonToken.FIELD_NAME || p.nextToken() != JsonToken.START_OBJECT) {
                throw new NotABulkAnswerException("item " + items.size() + " is not {\"<action>\":{...}}");
            }
            items.add(item(p, items.size()));
            if (p.nextToken() != JsonToken.END_OBJECT) {
                throw new NotABulkAnswerException("item " + items.size() + " has more than one action");
            }
        }
        if (p.currentToken() != JsonToken.END_ARRAY) {
            throw new NotABulkAnswerException("items holds something other than objects");
        }
        return items;
    }

    private static Item item(JsonParser p, int index) throws IOException, NotABulkAnswerException {
        int status = 0;
        String type = "";
        String reason = "";
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("status") && value == JsonToken.VALUE_NUMBER_INT) {
                status = p.getIntValue();
            } else if (field.equals("error") && value == JsonToken.START_OBJECT) {
                String[] error = error(p);
                type = error[0];
                reason = error[1];
            } else {
                p.skipChildren();
            }
        }
        if (status == 0) {
            throw new NotABulkAnswerException("item " + index + " has no status");
        }
        return new Item(status, type, reason);
    }

    /** {type, reason (caused by: type: reason)} of an error object. */
    private static String[] error(JsonParser p) throws IOException {
        String type = "";
        String reason = "";
        String cause = "";
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("type") && value == JsonToken.VALUE_STRING) {
                type = p.getText();
            } else if (field.equals("reason") && value == JsonToken.VALUE_STRING) {
                reason = p.getText();
            } else if (field.equals("caused_by") && value == JsonToken.START_OBJECT) {
                String[] inner = error(p);
                cause = inner[0] + ": " + inner[1];
            } else {
                p.skipChildren();
            }
        }
        return new String[] {type, cause.isEmpty() ? reason : reason + " (caused by " + cause + ")"};
    }
}
