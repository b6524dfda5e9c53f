package io.kubeaudit.tail;

public record Checkpoint(FileId file, String path, long offset) {
}
