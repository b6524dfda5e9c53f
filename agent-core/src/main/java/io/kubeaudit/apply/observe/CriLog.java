package io.kubeaudit.apply.observe;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a container log in the CRI format the kubelet writes
 * ({@code 2024-01-02T03:04:05.123456789Z stderr F message}): the timestamp, stream and tag are
 * stripped, and partial lines (tag {@code P}) are joined with the rest of their line.
 */
final class CriLog {

    private static final Pattern LINE = Pattern.compile("^\\S+ (stdout|stderr) ([PF]) ?(.*)$");
    /** The end of a log holds the reason a server exited; older lines are not read. */
    static final int TAIL_BYTES = 256 * 1024;

    private CriLog() {
    }

    static List<String> readTail(Path file) throws IOException {
        return messages(FileTail.lines(file, TAIL_BYTES));
    }

    static List<String> messages(List<String> rawLines) {
        List<String> out = new ArrayList<>();
        StringBuilder partial = new StringBuilder();
        for (String raw : rawLines) {
            Matcher m = LINE.matcher(raw);
            if (!m.matches()) {
                // Not CRI framing (another runtime's format, or plain text): keep it as it is.
                out.add(raw);
                continue;
            }
            partial.append(m.group(3));
            if (m.group(2).equals("F")) {
                out.add(partial.toString());
                partial.setLength(0);
            }
        }
        if (!partial.isEmpty()) {
            out.add(partial.toString());
        }
        return out;
    }
}
