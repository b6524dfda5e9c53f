package io.kubeaudit.apply;

import java.io.OutputStream;
import java.nio.file.Path;

/** Child-JVM main: takes the setup lock, says so, and holds it until killed or its stdin closes. */
final class LockHolder {

    private LockHolder() {
    }

    public static void main(String[] args) throws Exception {
        try (SetupLock lock = SetupLock.acquire(Path.of(args[0]), "lock holder")) {
            System.out.println("locked " + ProcessHandle.current().pid());
            System.out.flush();
            // Holds the lock until the parent closes our stdin or kills us.
            System.in.transferTo(OutputStream.nullOutputStream());
        }
    }
}
