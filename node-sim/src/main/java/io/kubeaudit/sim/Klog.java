package io.kubeaudit.sim;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * Formats lines the way Kubernetes components log them (klog): {@code E1126 13:40:01.123456   12345 file.go:187] msg}.
 * Both the simulated API server's stderr and the kubelet journal use it, so triage code written against the
 * simulator reads the same shapes it will meet on a real node.
 */
final class Klog {

    private Klog() {
    }

    static String info(Instant at, long pid, String source, String message) {
        return line('I', at, pid, source, message);
    }

    static String warning(Instant at, long pid, String source, String message) {
        return line('W', at, pid, source, message);
    }

    static String error(Instant at, long pid, String source, String message) {
        return line('E', at, pid, source, message);
    }

    private static String line(char severity, Instant at, long pid, String source, String message) {
        ZonedDateTime t = at.atZone(ZoneOffset.UTC);
        return String.format("%c%02d%02d %02d:%02d:%02d.%06d %7d %s] %s", severity, t.getMonthValue(), t.getDayOfMonth(),
                t.getHour(), t.getMinute(), t.getSecond(), t.getNano() / 1000, pid, source, message);
    }
}
