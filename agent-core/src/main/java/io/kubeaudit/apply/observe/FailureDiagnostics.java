package io.kubeaudit.apply.observe;

import io.kubeaudit.process.ProcessResult;
import io.kubeaudit.process.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Finds the lines that explain why the new API server failed. The newest kube-apiserver container
 * log first; when no container started at all (a manifest the kubelet cannot parse, a hostPath type
 * check that failed) there is no such log, and the kubelet's side is read instead: its journal,
 * {@code crictl ps -a}, and a kubelet log file when the node keeps one.
 */
public final class FailureDiagnostics {

    /** Words and klog severities (E/F) that mark a line worth showing. */
    private static final Pattern EXPLAINS = Pattern.compile(
            "(?i)(^[EF]\\d{4} |\\berror\\b|\\bfailed\\b|\\bfatal\\b|\\bpanic\\b|unable to|\\binvalid\\b|no such file"
                    + "|not registered|cannot|refused|not a file|not a directory|couldn't|unknown (field|flag))");
    private static final Pattern DIGITS = Pattern.compile("\\d+");
    private static final int LAST_LINES = 5;
    private static final int MAX_LINES = 20;
    private static final Duration COMMAND_TIME = Duration.ofSeconds(10);

    private final Path kubeletLog;
    private final ProcessRunner runner;
    private final boolean askHostTools;
    private final Function<String, Optional<Path>> executables;

    /**
     * @param kubeletLog   host path of a kubelet log file ({@code /var/log/kubelet.log}), read when present
     * @param askHostTools whether {@code journalctl} and {@code crictl} describe this node (not when
     *                     the node is a sandbox under another root: they would describe the host)
     */
    public FailureDiagnostics(Path kubeletLog, ProcessRunner runner, boolean askHostTools, Function<String, Optional<Path>> executables) {
        this.kubeletLog = kubeletLog;
        this.runner = runner;
        this.askHostTools = askHostTools;
        this.executables = executables;
    }

    /** Where the kubelet log ends now: taken before the change, so only what the kubelet wrote since is read. */
    public long kubeletLogMark() {
        try {
            return Files.isRegularFile(kubeletLog) ? Files.size(kubeletLog) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * @param newContainerLogs kube-apiserver container logs created since the change, oldest first
     * @param since            the change, for the journal's time window
     * @param kubeletLogFrom   {@link #kubeletLogMark()} before the change
     */
    public List<Diagnosis> collect(List<Path> newContainerLogs, Instant since, long kubeletLogFrom) throws InterruptedException {
        List<Diagnosis> found = new ArrayList<>();
        Diagnosis newestWithLines = null;
        for (int i = newContainerLogs.size() - 1; i >= 0; i--) {
            Path log = newContainerLogs.get(i);
            try {
                List<String> lines = CriLog.readTail(log);
                // The newest attempt may still be starting (only its first info lines written) or may have been
                // killed at once (empty): the newest attempt that says what went wrong is the one to show.
                if (lines.stream().anyMatch(l -> EXPLAINS.matcher(l).find())) {
                    found.add(new Diagnosis("kube-apiserver container log " + log, explaining(lines)));
                    return found;
                }
                if (newestWithLines == null && !lines.isEmpty()) {
                    newestWithLines = new Diagnosis("kube-apiserver container log " + log, explaining(lines));
                }
            } catch (IOException e) {
                found.add(new Diagnosis("kube-apiserver container log " + log, List.of("(cannot read it: " + e.getMessage() + ")")));
            }
        }
        if (newestWithLines != null) {
            found.add(newestWithLines);
            return found;
        }
        if (askHostTools) {
            command(List.of("journalctl", "-u", "kubelet", "--since", "@" + since.getEpochSecond(), "--no-pager", "-n", "200"), true)
                    .ifPresent(found::add);
            command(List.of("crictl", "ps", "-a", "--name", "kube-apiserver"), false).ifPresent(found::add);
        }
        if (Files.isRegularFile(kubeletLog)) {
            try {
                long size = Files.size(kubeletLog);
                // A log that shrank was rotated: all of it is new.
                int bytes = (int) Math.min(CriLog.TAIL_BYTES, size < kubeletLogFrom ? size : size - kubeletLogFrom);
                found.add(new Diagnosis("kubelet log " + kubeletLog, explaining(aboutThePod(FileTail.lines(kubeletLog, bytes)))));
            } catch (IOException e) {
                found.add(new Diagnosis("kubelet log " + kubeletLog, List.of("(cannot read it: " + e.getMessage() + ")")));
            }
        }
        if (found.isEmpty()) {
            found.add(new Diagnosis("node", List.of("no kube-apiserver container started since the change and no kubelet log was found"
                    + (askHostTools ? "; journalctl and crictl are not installed" : ""))));
        }
        return found;
    }

    private Optional<Diagnosis> command(List<String> command, boolean select) throws InterruptedException {
        if (executables.apply(command.get(0)).isEmpty()) {
            return Optional.empty();
        }
        String shown = String.join(" ", command);
        try {
            ProcessResult r = runner.run(command, COMMAND_TIME);
            List<String> lines = r.output().lines().toList();
            List<String> shownLines = select ? explaining(aboutThePod(lines)) : last(lines, MAX_LINES);
            return Optional.of(new Diagnosis(shown + " (" + (r.succeeded() ? "ok" : r.summary()) + ")", shownLines));
        } catch (IOException e) {
            return Optional.of(new Diagnosis(shown, List.of("(cannot run it: " + e.getMessage() + ")")));
        }
    }

    /** The kubelet's lines about the kube-apiserver pod or its manifest; all of them when none is. */
    static List<String> aboutThePod(List<String> lines) {
        List<String> about = lines.stream().filter(l -> l.contains("kube-apiserver")).toList();
        return about.isEmpty() ? lines : about;
    }

    /**
     * The lines that say what went wrong, then the last few lines, in their original order, at most
     * {@link #MAX_LINES}. A retried error repeats with only its timestamps changed; it is shown once,
     * with how often it came.
     */
    static List<String> explaining(List<String> lines) {
        Set<Integer> keep = new LinkedHashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            if (EXPLAINS.matcher(lines.get(i)).find()) {
                keep.add(i);
            }
        }
        for (int i = Math.max(0, lines.size() - LAST_LINES); i < lines.size(); i++) {
            keep.add(i);
        }
        List<String> chosen = new ArrayList<>();
        List<Integer> repeats = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        keep.stream().sorted().map(lines::get).filter(l -> !l.isBlank()).forEach(line -> {
            Integer first = seen.putIfAbsent(DIGITS.matcher(line).replaceAll("#"), chosen.size());
            if (first == null) {
                chosen.add(line);
                repeats.add(0);
            } else {
                repeats.set(first, repeats.get(first) + 1);
            }
        });
        for (int i = 0; i < chosen.size(); i++) {
            if (repeats.get(i) > 0) {
                chosen.set(i, chosen.get(i) + " (and " + repeats.get(i) + " more like it)");
            }
        }
        return last(chosen, MAX_LINES);
    }

    private static List<String> last(List<String> lines, int n) {
        return List.copyOf(lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }
}
