package io.kubeaudit.daemon;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * The libc calls sd_notify needs, and signal() to take back a SIGHUP the process was started with ignored. The JDK's UNIX-domain channels are stream-only and systemd's
 * notify socket is a datagram socket; JNA (which OSHI already brings) reaches libc without native code of ours.
 */
interface LibC extends Library {

    int AF_UNIX = 1;
    int SOCK_DGRAM = 2;
    int SOCK_CLOEXEC = 0x80000;
    /** A vanished reader must not kill the JVM with SIGPIPE. */
    int MSG_NOSIGNAL = 0x4000;

    LibC INSTANCE = Native.load("c", LibC.class);

    int socket(int domain, int type, int protocol) throws LastErrorException;

    NativeLong sendto(int fd, byte[] buffer, NativeLong length, int flags, byte[] address, int addressLength)
            throws LastErrorException;

    int close(int fd) throws LastErrorException;

    /** Sets a signal's disposition; {@code null} is SIG_DFL. Returns the previous one (SIG_IGN is the address 1). */
    Pointer signal(int signal, Pointer handler);
}
