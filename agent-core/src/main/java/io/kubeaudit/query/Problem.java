package io.kubeaudit.query;

/** A line that is not an event, or a file that cannot be read; the query goes on. {@code line} and {@code column} are 0 when not known. */
public record Problem(String file, long line, int column, String message) {

    @Override
    public String toString() {
        return file + (line > 0 ? ":" + line + (column > 0 ? ":" + column : "") : "") + ": " + message;
    }
}
