package io.kubeaudit.tail;

public record FileId(long device, long inode, String fingerprint) {

    public boolean sameContentAs(FileId other) {
        return fingerprint.equals(other.fingerprint);
    }
}
