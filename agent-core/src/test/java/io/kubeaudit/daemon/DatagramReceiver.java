package io.kubeaudit.daemon;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/** A real unix datagram socket bound where systemd's notify socket would be, to receive what the agent sends. */
final class DatagramReceiver implements AutoCloseable {

    interface Sockets extends Library {
        Sockets INSTANCE = Native.load("c", Sockets.class);

        int socket(int domain, int type, int protocol) throws LastErrorException;

        int bind(int fd, byte[] address, int length) throws LastErrorException;

        int setsockopt(int fd, int level, int name, byte[] value, int length) throws LastErrorException;

        NativeLong recv(int fd, byte[] buffer, NativeLong length, int flags) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;
    private static final int EAGAIN = 11;

    private final int fd;
    final UnixSocketAddress address;

    DatagramReceiver(String address, Duration timeout) {
        this.address = new UnixSocketAddress(address);
        fd = Sockets.INSTANCE.socket(LibC.AF_UNIX, LibC.SOCK_DGRAM, 0);
        byte[] sockaddr = this.address.toSockaddr();
        Sockets.INSTANCE.bind(fd, sockaddr, sockaddr.length);
        ByteBuffer timeval = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
        timeval.putLong(timeout.toSeconds()).putLong(timeout.toMillisPart() * 1000L);
        Sockets.INSTANCE.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, timeval.array(), 16);
    }

    /** The next datagram, or empty when none arrives within the timeout. */
    Optional<String> receive() {
        byte[] buffer = new byte[4096];
        try {
            int n = Sockets.INSTANCE.recv(fd, buffer, new NativeLong(buffer.length), 0).intValue();
            return Optional.of(new String(buffer, 0, n, StandardCharsets.UTF_8));
        } catch (LastErrorException e) {
            if (e.getErrorCode() == EAGAIN) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public void close() {
        Sockets.INSTANCE.close(fd);
    }
}
