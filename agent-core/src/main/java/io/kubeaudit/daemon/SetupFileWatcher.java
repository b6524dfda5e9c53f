package io.kubeaudit.daemon;

import io.kubeaudit.log.Log;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tells the daemon as soon as the manifest or the policy file changes (a {@code kubeadm upgrade}
 * rewriting the manifest, a person editing it), so drift is handled in seconds rather than at the
 * next periodic reconcile. Watches the directories, since editors and kubeadm replace files by rename.
 * A directory that does not exist is not watched; the periodic reconcile still covers it.
 */
final class SetupFileWatcher implements AutoCloseable {

    private static final String PHASE = "daemon/watch";

    private final WatchService service;
    private final Map<WatchKey, Set<Path>> watched = new HashMap<>();
    private final Thread thread;

    SetupFileWatcher(List<Path> files, Runnable onChange, Log log) throws IOException {
        service = FileSystems.getDefault().newWatchService();
        Map<Path, Set<Path>> byDir = new HashMap<>();
        for (Path f : files) {
            Path abs = f.toAbsolutePath().normalize();
            byDir.computeIfAbsent(abs.getParent(), d -> new HashSet<>()).add(abs.getFileName());
        }
        for (Map.Entry<Path, Set<Path>> e : byDir.entrySet()) {
            if (!Files.isDirectory(e.getKey())) {
                log.warn(PHASE, "not watching a directory that does not exist; the periodic reconcile covers it", "dir", e.getKey());
                continue;
            }
            WatchKey key = e.getKey().register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE);
            watched.put(key, Set.copyOf(e.getValue()));
        }
        thread = new Thread(() -> loop(onChange, log), "setup-file-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop(Runnable onChange, Log log) {
        try {
            while (true) {
                WatchKey key = service.take();
                boolean relevant = false;
                for (WatchEvent<?> event : key.pollEvents()) {
                    Object context = event.context();
                    // OVERFLOW has no name: something may have changed, so look.
                    relevant |= context == null || watched.getOrDefault(key, Set.of()).contains((Path) context);
                }
                if (relevant) {
                    onChange.run();
                }
                if (!key.reset()) {
                    log.warn(PHASE, "a watched directory went away; the periodic reconcile still covers it");
                    watched.remove(key);
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws IOException {
        service.close();
    }
}
