package io.kubeaudit.manifest;

/** One replacement of {@code [start, end)} in a text: the only way the editor changes a manifest. */
record TextEdit(int start, int end, String replacement) {

    TextEdit {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad edit range " + start + ".." + end);
        }
    }

    static TextEdit insert(int at, String text) {
        return new TextEdit(at, at, text);
    }

    static TextEdit delete(int start, int end) {
        return new TextEdit(start, end, "");
    }

    String applyTo(String text) {
        return text.substring(0, start) + replacement + text.substring(end);
    }
}
