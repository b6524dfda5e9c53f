package io.kubeaudit.node;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The host name, as kubeadm names the node after it: the kernel's, read without a DNS lookup that can
 * hang on a node whose resolver is down; where the kernel does not say (not Linux), the JDK's.
 */
public final class HostName {

    private static final Path KERNEL = Path.of("/proc/sys/kernel/hostname");

    private HostName() {
    }

    /** The host name; when neither source knows it, an exception saying what was tried (the caller picks a stand-in and says so). */
    public static String read() throws IOException {
        String kernel;
        try {
            kernel = Files.readString(KERNEL, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            kernel = "";
        }
        if (!kernel.isEmpty()) {
            return kernel;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            throw new IOException("neither " + KERNEL + " nor the JDK tells the host name (" + e.getMessage() + ")", e);
        }
    }
}
