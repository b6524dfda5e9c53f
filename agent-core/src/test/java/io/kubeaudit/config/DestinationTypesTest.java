package io.kubeaudit.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DestinationTypesTest {

    /**
     * Whichever config class a JVM touches first (a Kafka test touches KafkaConfig), the tables must come
     * out whole: a cycle between the classes' static initialisers once left a type's table null for the
     * whole JVM. Each order runs in a fresh class loader, where nothing is initialised yet.
     */
    @Test
    void everyConfigClassCanBeTheFirstOneLoaded() throws Exception {
        for (String first : List.of("io.kubeaudit.config.KafkaConfig", "io.kubeaudit.config.DestinationConfig",
                "io.kubeaudit.config.DestinationTypes", "io.kubeaudit.config.ShipConfig", "io.kubeaudit.config.AgentConfig")) {
            try (URLClassLoader loader = new URLClassLoader(classPath(), ClassLoader.getPlatformClassLoader())) {
                Class.forName(first, true, loader);
                Object types = loader.loadClass("io.kubeaudit.config.DestinationTypes").getField("TYPES").get(null);
                Object kafka = types.getClass().getMethod("table", String.class).invoke(types, "kafka");
                assertEquals(true, kafka != null, first + " loaded first left the kafka table null");
            }
        }
    }

    private static URL[] classPath() throws Exception {
        String path = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<URL> urls = new ArrayList<>();
        for (String entry : path.split(File.pathSeparator)) {
            urls.add(Path.of(entry).toUri().toURL());
        }
        return urls.toArray(URL[]::new);
    }
}
