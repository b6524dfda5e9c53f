package io.kubeaudit.apply.observe;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/** The last whole lines of a file that may be large and still growing; only its end is read. */
public final class FileTail {

    private FileTail() {
    }

    public static List<String> lines(Path file, int maxBytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            long start = Math.max(0, size - maxBytes);
            ByteBuffer buf = ByteBuffer.allocate((int) (size - start));
            int n;
            do {
                n = ch.read(buf, start + buf.position());
            } while (n > 0 && buf.hasRemaining());
            List<String> lines = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).lines().toList();
            // Reading from the middle of a file starts in the middle of a line.
            return start > 0 && !lines.isEmpty() ? lines.subList(1, lines.size()) : lines;
        }
    }
}
