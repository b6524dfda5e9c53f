package io.kubeaudit.apply;

import java.util.List;

/** Preflight found reasons not to touch the node; nothing was changed. Every reason found is listed. */
final class SetupRefusedException extends Exception {

    private final List<String> problems;

    SetupRefusedException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    SetupRefusedException(String problem) {
        this(List.of(problem));
    }

    List<String> problems() {
        return problems;
    }
}
