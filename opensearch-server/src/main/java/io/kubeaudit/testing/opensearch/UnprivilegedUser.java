package io.kubeaudit.testing.opensearch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The user a test server that refuses root (OpenSearch) runs as when the tests run as root, as on a fresh CI
 * machine: {@code .ci/run} creates it. {@code setpriv} switches to it and then execs, so the started process's
 * PID is the server's own and stopping it by PID stops the server.
 */
final class UnprivilegedUser {

    static final String DEFAULT = "kube-audit-test";

    private final String name;
    private final UserPrincipal user;
    private final GroupPrincipal group;

    private UnprivilegedUser(String name, UserPrincipal user, GroupPrincipal group) {
        this.name = name;
        this.user = user;
        this.group = group;
    }

    /** Empty when the tests do not run as root: the server then runs as whoever runs them. */
    static Optional<UnprivilegedUser> whenRoot() throws IOException {
        if ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") != 0) {
            return Optional.empty();
        }
        String name = System.getProperty("opensearch.user", DEFAULT);
        UserPrincipalLookupService lookup = Path.of("/").getFileSystem().getUserPrincipalLookupService();
        try {
            return Optional.of(new UnprivilegedUser(name, lookup.lookupPrincipalByName(name), lookup.lookupPrincipalByGroupName(name)));
        } catch (UserPrincipalNotFoundException e) {
            throw new IllegalStateException("the tests run as root, which OpenSearch refuses, and the user " + name
                    + " to run it as does not exist: create it as .ci/run does (useradd --system --user-group"
                    + " --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin " + name + ")");
        }
    }

    /** What goes before the server's command line. */
    List<String> commandPrefix() {
        return List.of("setpriv", "--reuid=" + name, "--regid=" + group.getName(), "--init-groups", "--");
    }

    /**
     * Gives the run directory to this user and checks it can reach both it and the distribution: a checkout under a
     * directory only root may enter (/root is 0700) would otherwise fail later with an obscure class-loading error.
     */
    void takeOver(Path runDir, Path distribution) throws IOException, InterruptedException {
        try (Stream<Path> all = Files.walk(runDir)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class);
                view.setOwner(user);
                view.setGroup(group);
            }
        }
        List<String> check = new ArrayList<>(commandPrefix());
        check.addAll(List.of("test", "-r", distribution.resolve("lib").toString(), "-a", "-x", distribution.resolve("lib").toString(),
                "-a", "-w", runDir.toString()));
        Process test = new ProcessBuilder(check).redirectErrorStream(true).start();
        if (!test.waitFor(30, TimeUnit.SECONDS)) {
            test.destroyForcibly();
            throw new IllegalStateException("checking what " + name + " may read did not finish: " + String.join(" ", check));
        }
        if (test.exitValue() != 0) {
            throw new IllegalStateException("the user " + name + " cannot read " + distribution + " or write " + runDir
                    + ": every directory above the checkout must be enterable by others (chmod o+x), as .ci/run makes it");
        }
    }
}
