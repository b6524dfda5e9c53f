package io.kubeaudit.apply;

import io.kubeaudit.node.ExclusiveLock;
import java.io.OutputStream;
import java.nio.file.Path;

/** Child-JVM main: takes a lock, says so, and holds it until killed or its stdin closes. */
final class LockHolder {

    private LockHolder() {
    }

    public static void main(String[] args) throws Exception {
        try (ExclusiveLock lock = ExclusiveLock.acquire(Path.of(args[0]), "lock holder")) {
            System.out.println("locked " + ProcessHandle.current().pid());
            System.out.flush();
            // Holds the lock until the parent closes our stdin or kills us.
            System.in.transferTo(OutputStream.nullOutputStream());
        }
    }
}
