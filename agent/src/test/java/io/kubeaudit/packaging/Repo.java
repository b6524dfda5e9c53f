package io.kubeaudit.packaging;

import java.nio.file.Files;
import java.nio.file.Path;

/** The checkout these tests run in: surefire's working directory is the agent module. */
final class Repo {

    private Repo() {
    }

    static Path root() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("kube-audit-agent")) && Files.isDirectory(p.resolve("agent"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the repository root above " + dir);
    }

    static Path file(String relative) {
        return root().resolve(relative);
    }
}
