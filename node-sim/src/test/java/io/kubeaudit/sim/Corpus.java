package io.kubeaudit.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The real-world files under test resources /corpus (copied from the shared corpus, see corpus/SOURCES.md). */
final class Corpus {

    private Corpus() {
    }

    static List<Path> files(String folder) {
        try (Stream<Path> list = Files.list(Path.of(Corpus.class.getResource("/corpus/" + folder).toURI()))) {
            return list.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
