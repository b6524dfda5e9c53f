package io.kubeaudit.cli;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one machine-readable result of a command ({@code --output json}): Ansible reads {@code changed}
 * and {@code failed}; people read the text form.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record CommandResult(String command, boolean failed, boolean changed, List<String> actions, List<String> warnings,
                            List<String> errors, String backup, String diff, Map<String, Object> details,
                            @JsonIgnore boolean unhealthy, @JsonIgnore boolean streamed) {

    public static Builder builder(String command) {
        return new Builder(command);
    }

    /** {@link Main#FAILED} when it failed, {@link Main#UNHEALTHY} when it ran and reports something unhealthy. */
    public int exitCode() {
        return failed ? Main.FAILED : unhealthy ? Main.UNHEALTHY : Main.OK;
    }

    public static final class Builder {
        private final String command;
        private boolean failed;
        private boolean changed;
        private final List<String> actions = new ArrayList<>();
        private final List<String> warnings = new ArrayList<>();
        private final List<String> errors = new ArrayList<>();
        private boolean unhealthy;
        private String backup;
        private String diff;
        private final Map<String, Object> details = new LinkedHashMap<>();
        private boolean streamed;

        private Builder(String command) {
            this.command = command;
        }

        public Builder changed(boolean value) {
            changed = value;
            return this;
        }

        public Builder action(String text) {
            actions.add(text);
            return this;
        }

        public Builder warning(String text) {
            warnings.add(text);
            return this;
        }

        public Builder error(String text) {
            errors.add(text);
            failed = true;
            return this;
        }

        /** What the command reports is unhealthy (status): exit {@link Main#UNHEALTHY}. */
        public Builder unhealthy(boolean value) {
            unhealthy = value;
            return this;
        }

        public Builder backup(String path) {
            backup = path;
            return this;
        }

        public Builder diff(String text) {
            diff = text;
            return this;
        }

        /** Adds the diff of one more object after the ones already there. */
        public Builder addDiff(String text) {
            diff = diff == null || diff.isEmpty() ? text : diff + text;
            return this;
        }

        public Builder detail(String key, Object value) {
            details.put(key, value);
            return this;
        }

        /** The command printed its output itself as it went (a query's events): Main adds only warnings and errors. */
        public Builder streamed() {
            streamed = true;
            return this;
        }

        public CommandResult build() {
            return new CommandResult(command, failed, changed, List.copyOf(actions), List.copyOf(warnings),
                    List.copyOf(errors), backup, diff, details, unhealthy, streamed);
        }
    }
}
