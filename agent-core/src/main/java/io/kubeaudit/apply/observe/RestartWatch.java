package io.kubeaudit.apply.observe;

import java.io.IOException;

/**
 * Evidence that a new kube-apiserver started since the watch began. Taken before the swap: an old
 * server still answering proves nothing, only a new instance does.
 */
public interface RestartWatch {

    /** Server starts seen since the watch began; 0 while only the old server (or none) is there. */
    Restarts poll() throws IOException;

    /**
     * @param count  new server instances seen since the watch began
     * @param latest what shows the newest one (a container log file, a process), for progress and errors
     */
    record Restarts(int count, String latest) {
        public static final Restarts NONE = new Restarts(0, "");
    }
}
