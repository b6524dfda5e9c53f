package io.kubeaudit.ship.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * What to do about the index template the server has under our name, compared with the one this agent would
 * install: put it when it is missing or is an untouched older one of ours; never overwrite one a person changed or
 * one that is not ours, and never downgrade one a newer agent installed.
 */
enum TemplateCheck {
    /** There is none: put ours. */
    ABSENT(true),
    /** Ours, untouched, and what this agent would put. */
    CURRENT(false),
    /** Ours and untouched, from another version or other settings of the agent: put ours over it. */
    OUTDATED(true),
    /** Ours from a newer agent (a higher version): leave it. */
    NEWER(false),
    /** Ours once, but changed since (its fingerprint no longer matches): leave it and warn. */
    CHANGED(false),
    /** Someone else's template under this name: leave it and warn. */
    FOREIGN(false);

    private final boolean put;

    TemplateCheck(boolean put) {
        this.put = put;
    }

    boolean put() {
        return put;
    }

    /** @param existing the template as {@code GET _index_template/NAME} returned it, empty when there is none */
    static TemplateCheck of(Optional<JsonNode> existing, JsonNode ours) {
        if (existing.isEmpty()) {
            return ABSENT;
        }
        JsonNode theirs = existing.get();
        JsonNode meta = theirs.path("_meta");
        if (!IndexTemplate.AGENT.equals(meta.path(IndexTemplate.MANAGED_BY).asText())) {
            return FOREIGN;
        }
        if (!IndexTemplate.fingerprint(theirs).equals(meta.path(IndexTemplate.FINGERPRINT).asText())) {
            return CHANGED;
        }
        if (theirs.path("version").asInt() > ours.path("version").asInt()) {
            return NEWER;
        }
        return IndexTemplate.fingerprint(theirs).equals(IndexTemplate.fingerprint(ours)) ? CURRENT : OUTDATED;
    }
}
