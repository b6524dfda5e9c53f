package io.kubeaudit.daemon;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import io.kubeaudit.log.Log;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * sd_notify(3) without libsystemd: one datagram per message to the socket named by NOTIFY_SOCKET.
 * Without NOTIFY_SOCKET (not started by systemd, or Type=simple) every call does nothing, so the
 * daemon runs the same in a terminal. A failed send is logged, never fatal: systemd notices a
 * missing READY or watchdog ping by itself.
 */
final class SystemdNotifier {

    private static final String PHASE = "daemon/systemd";

    private final Optional<UnixSocketAddress> socket;
    private final Optional<Duration> watchdogTimeout;
    private final Log log;

    SystemdNotifier(Optional<UnixSocketAddress> socket, Optional<Duration> watchdogTimeout, Log log) {
        this.socket = socket;
        this.watchdogTimeout = watchdogTimeout;
        this.log = log;
    }

    /**
     * Reads NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID as sd_notify and sd_watchdog_enabled do: the
     * watchdog counts only when WATCHDOG_PID is unset or names this process (a child inheriting the
     * variables must not ping for us).
     */
    static SystemdNotifier fromEnvironment(Map<String, String> env, long pid, Log log) {
        Optional<UnixSocketAddress> socket = Optional.empty();
        String text = env.getOrDefault("NOTIFY_SOCKET", "");
        if (!text.isEmpty()) {
            try {
                socket = Optional.of(new UnixSocketAddress(text));
            } catch (IllegalArgumentException e) {
                log.warn(PHASE, "cannot use the notify socket; systemd will not see READY or watchdog pings", "error", e);
            }
        }
        Optional<Duration> watchdog = Optional.empty();
        String usec = env.getOrDefault("WATCHDOG_USEC", "");
        String watchdogPid = env.getOrDefault("WATCHDOG_PID", "");
        if (!usec.isEmpty() && (watchdogPid.isEmpty() || watchdogPid.equals(Long.toString(pid)))) {
            try {
                long micros = Long.parseLong(usec);
                if (micros > 0) {
                    watchdog = Optional.of(Duration.ofNanos(Math.multiplyExact(micros, 1000L)));
                }
            } catch (NumberFormatException | ArithmeticException e) {
                log.warn(PHASE, "ignoring a WATCHDOG_USEC that is not a number of microseconds", "value", usec);
            }
        }
        return new SystemdNotifier(socket, watchdog, log);
    }

    boolean isActive() {
        return socket.isPresent();
    }

    /** How often to ping: half the watchdog timeout, as sd_watchdog_enabled(3) recommends; empty when off. */
    Optional<Duration> watchdogPingInterval() {
        return socket.isPresent() ? watchdogTimeout.map(t -> t.dividedBy(2)) : Optional.empty();
    }

    void ready(String status) {
        send("READY=1\nSTATUS=" + singleLine(status));
    }

    /** Sent before a reload; READY=1 afterwards ends it. MONOTONIC_USEC lets systemd 253+ match the two. */
    void reloading(String status) {
        send("RELOADING=1\nMONOTONIC_USEC=" + System.nanoTime() / 1000 + "\nSTATUS=" + singleLine(status));
    }

    void stopping(String status) {
        send("STOPPING=1\nSTATUS=" + singleLine(status));
    }

    void status(String status) {
        send("STATUS=" + singleLine(status));
    }

    void watchdog() {
        send("WATCHDOG=1");
    }

    /** Asks for more start or stop time while a long step (the setup's health wait) runs. */
    void extendTimeout(Duration extra) {
        send("EXTEND_TIMEOUT_USEC=" + extra.toNanos() / 1000);
    }

    /** @return whether the datagram was sent (false without a socket or on an error, which is logged) */
    boolean send(String message) {
        if (socket.isEmpty()) {
            return false;
        }
        byte[] payload = message.getBytes(StandardCharsets.UTF_8);
        byte[] address = socket.get().toSockaddr();
        try {
            int fd = LibC.INSTANCE.socket(LibC.AF_UNIX, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
            try {
                LibC.INSTANCE.sendto(fd, payload, new NativeLong(payload.length), LibC.MSG_NOSIGNAL, address, address.length);
            } finally {
                LibC.INSTANCE.close(fd);
            }
            return true;
        } catch (LastErrorException | UnsatisfiedLinkError e) {
            log.warn(PHASE, "cannot notify systemd", "socket", socket.get().text(), "error", e);
            return false;
        }
    }

    /** A STATUS value is one line; a newline would start a new (bogus) assignment. */
    private static String singleLine(String text) {
        return text.replace('\n', ' ').replace('\r', ' ');
    }
}
