package io.kubeaudit.packaging;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;

/**
 * A runnable agent jar for tests that run before `mvn package`: an empty jar whose manifest starts
 * {@code io.kubeaudit.cli.Main} from this test run's class path (compiled classes and dependencies).
 */
final class TestJar {

    private TestJar() {
    }

    static Path write(Path jar) throws IOException {
        return write(jar, "1");
    }

    /** A jar that runs the same classes but whose bytes differ with {@code build} (an upgrade, to install.sh). */
    static Path write(Path jar, String build) throws IOException {
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(p -> Path.of(p).toAbsolutePath().toUri().toString())
                .collect(Collectors.joining(" "));
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "io.kubeaudit.cli.Main");
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
        manifest.getMainAttributes().put(new Attributes.Name("Test-Build"), build);
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(out, manifest)) {
            return jar;
        }
    }
}
