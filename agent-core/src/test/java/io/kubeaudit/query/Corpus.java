package io.kubeaudit.query;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/** The audit logs of the test corpus (testdata/corpus/auditlogs, see its SOURCES.md). */
final class Corpus {

    static final Path AUDIT_LOGS = path("/corpus/auditlogs");
    static final Path LAB = AUDIT_LOGS.resolve("real-kube-apiserver-v1.20.2-lab");

    private Corpus() {
    }

    private static Path path(String resource) {
        try {
            return Path.of(Corpus.class.getResource(resource).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The valid logs: every file outside invalid/ except the lab's policy. */
    static List<Path> validLogs() {
        try (Stream<Path> files = Files.walk(AUDIT_LOGS)) {
            return files.filter(Files::isRegularFile).filter(p -> !p.toString().contains("/invalid/"))
                    .filter(p -> !p.getFileName().toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The lines of a file, decompressed when it is gzip, without newlines. */
    static List<String> lines(Path file) {
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
            if (lines.get(lines.size() - 1).isEmpty()) {
                lines.remove(lines.size() - 1);
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The lines of the lab log, oldest backup first, live log last. */
    static List<String> labLines() {
        List<String> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(LAB)) {
            files.filter(p -> p.getFileName().toString().startsWith("audit")).sorted().forEach(p -> all.addAll(lines(p)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all;
    }
}
