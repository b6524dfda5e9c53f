package io.kubeaudit.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/** A file's mode and owner as {@code stat} shows them ({@code 600}, {@code root:root}); empty when it does not exist. */
record FileFacts(String shownAs, Set<PosixFilePermission> permissions, String owner, String group) {

    static Optional<FileFacts> of(String shownAs, Path file) throws IOException {
        try {
            PosixFileAttributes a = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return Optional.of(new FileFacts(shownAs, a.permissions(), a.owner().getName(), a.group().getName()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Octal, as {@code stat -c %a} prints it. */
    String mode() {
        int m = 0;
        for (PosixFilePermission p : permissions) {
            m |= 1 << (8 - p.ordinal());
        }
        return Integer.toOctalString(m);
    }

    /** No permission outside {@code most} (kube-bench's "bitmask" test: 600 or more restrictive). */
    boolean atMost(String most) {
        return PosixFilePermissions.fromString(most).containsAll(permissions);
    }

    String ownership() {
        return owner + ":" + group;
    }
}
