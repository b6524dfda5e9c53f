package io.kubeaudit.apply.observe;

import oshi.SystemInfo;

/** The one OSHI entry point (mounted filesystems, the process table). */
public final class OshiSystem {

    private OshiSystem() {
    }

    public static SystemInfo get() {
        return Holder.INSTANCE;
    }

    private static final class Holder {
        static final SystemInfo INSTANCE = create();

        private static SystemInfo create() {
            // OSHI logs through SLF4J and the agent ships no SLF4J binding; without this, every setup
            // would print SLF4J's "no providers" warning, which tells an operator nothing.
            if (System.getProperty("slf4j.internal.verbosity") == null) {
                System.setProperty("slf4j.internal.verbosity", "ERROR");
            }
            return new SystemInfo();
        }
    }
}
