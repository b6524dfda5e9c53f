package io.kubeaudit.daemon;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A {@code struct sockaddr_un} as bytes: a path, or an abstract name when the text starts with '@'
 * (systemd's notation; the kernel's is a leading NUL byte and no terminator).
 *
 * @param text the address as systemd writes it into NOTIFY_SOCKET
 */
record UnixSocketAddress(String text) {

    /** {@code sizeof(sun_path)} on Linux. */
    static final int PATH_CAPACITY = 108;
    private static final int FAMILY_SIZE = 2;

    UnixSocketAddress {
        if (text.isEmpty() || !(text.startsWith("/") || text.startsWith("@"))) {
            throw new IllegalArgumentException("NOTIFY_SOCKET must be an absolute path or start with '@' for an abstract socket, found \""
                    + text + "\"");
        }
        int length = text.getBytes(StandardCharsets.UTF_8).length;
        // A path needs its terminating NUL; an abstract name's '@' becomes the leading NUL.
        if (text.startsWith("/") ? length + 1 > PATH_CAPACITY : length > PATH_CAPACITY) {
            throw new IllegalArgumentException("NOTIFY_SOCKET \"" + text + "\" is longer than a unix socket address can be ("
                    + PATH_CAPACITY + " bytes)");
        }
    }

    boolean isAbstract() {
        return text.startsWith("@");
    }

    /** The sockaddr_un bytes, exactly as long as the address length passed to the kernel. */
    byte[] toSockaddr() {
        byte[] name = text.getBytes(StandardCharsets.UTF_8);
        int pathBytes = isAbstract() ? name.length : name.length + 1;
        ByteBuffer b = ByteBuffer.allocate(FAMILY_SIZE + pathBytes).order(ByteOrder.nativeOrder());
        b.putShort((short) LibC.AF_UNIX);
        if (isAbstract()) {
            b.put((byte) 0).put(name, 1, name.length - 1);
        } else {
            b.put(name).put((byte) 0);
        }
        return b.array();
    }
}
