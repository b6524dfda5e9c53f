package io.kubeaudit.apply.observe;

import oshi.SystemInfo;

/** The one OSHI entry point (mounted filesystems, the process table). */
public final class OshiSystem {

    private OshiSystem() {
    }

    public static SystemInfo get() {
        return Holder.INSTANCE;
    }

    /** OSHI's own logging goes nowhere (see io.kubeaudit.log.LibraryLogProvider). */
    private static final class Holder {
        static final SystemInfo INSTANCE = new SystemInfo();
    }
}
