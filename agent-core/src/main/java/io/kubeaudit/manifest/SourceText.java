package io.kubeaudit.manifest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.yaml.snakeyaml.error.Mark;

/**
 * The manifest's text with SnakeYAML's notion of lines, so node marks become string offsets. SnakeYAML
 * counts columns in code points and breaks lines on more than '\n', so both are mirrored here.
 */
final class SourceText {

    private final String text;
    private final int[] lineStarts;
    private final String lineSeparator;

    SourceText(String text) {
        this.text = text;
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean crlf = c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n';
            if (!crlf && (c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029')) {
                starts.add(i + 1);
            }
        }
        this.lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
        int newline = text.indexOf('\n');
        this.lineSeparator = newline > 0 && text.charAt(newline - 1) == '\r' ? "\r\n" : "\n";
    }

    String text() {
        return text;
    }

    int length() {
        return text.length();
    }

    /** The line break new lines get: the file's own (CRLF files stay CRLF). */
    String lineSeparator() {
        return lineSeparator;
    }

    int offset(Mark mark) {
        int start = lineStarts[mark.getLine()];
        if (mark.getLine() == 0 && text.startsWith("\uFEFF")) {
            start++; // SnakeYAML does not count a byte-order mark as a column
        }
        return text.offsetByCodePoints(start, mark.getColumn());
    }

    int lineStart(int offset) {
        return lineStarts[lineIndex(offset)];
    }

    /** Where the line after {@code offset} starts; {@code offset} itself when it already is a line start. */
    int nextLineStart(int offset) {
        int line = lineIndex(offset);
        if (offset > 0 && lineStarts[line] == offset) {
            return offset;
        }
        return line + 1 < lineStarts.length ? lineStarts[line + 1] : text.length();
    }

    /** Whether only spaces stand between the start of its line and {@code offset}. */
    boolean startsLine(int offset) {
        for (int i = lineStart(offset); i < offset; i++) {
            if (text.charAt(i) != ' ') {
                return false;
            }
        }
        return true;
    }

    int column(int offset) {
        return offset - lineStart(offset);
    }

    boolean endsWithLineBreak() {
        return lineStarts[lineStarts.length - 1] == text.length() && !text.isEmpty();
    }

    /** Length of the line break that ends just before {@code lineStart} (0 at the start of the text). */
    int breakLengthBefore(int lineStart) {
        if (lineStart == 0) {
            return 0;
        }
        return lineStart >= 2 && text.startsWith("\r\n", lineStart - 2) ? 2 : 1;
    }

    private int lineIndex(int offset) {
        int i = Arrays.binarySearch(lineStarts, offset);
        return i >= 0 ? i : -i - 2;
    }
}
