package io.kubeaudit.tail;

public record LogLine(long sequence, FileId file, String path, long offset, long endOffset, byte[] bytes) {

    public LogLine {
        if (endOffset != offset + bytes.length + 1) {
            throw new IllegalArgumentException("endOffset " + endOffset + " is not offset " + offset + " + " + bytes.length + " bytes + newline");
        }
    }

    public Checkpoint checkpoint() {
        return new Checkpoint(file, path, endOffset);
    }
}
