package io.kubeaudit.check;

import java.util.Objects;

/**
 * One benchmark item's verdict on this node.
 *
 * @param id       the benchmark's item number ({@code 1.2.17}), or the agent's own name for an item in the same style
 * @param evidence what was found, and where (the running server, the manifest, the file)
 * @param fix      what to do about it; "" when it passes
 */
public record CheckItem(String id, String title, Status status, String evidence, String fix) {

    public enum Status { PASS, WARN, FAIL }

    public CheckItem {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(evidence, "evidence");
        Objects.requireNonNull(fix, "fix");
    }
}
