package io.kubeaudit.testing.kafka;

import java.io.IOException;

/**
 * The broker JVM's main class: runs {@code kafka.Kafka} and ends the JVM at once when its standard input closes,
 * which happens when the process that started it died, so a test run killed half way leaves no broker behind on a
 * machine other builds share.
 */
public final class BrokerMain {

    private BrokerMain() {
    }

    public static void main(String[] args) {
        Thread watch = new Thread(BrokerMain::haltWhenParentGone, "parent-watch");
        watch.setDaemon(true);
        watch.start();
        kafka.Kafka.main(args);
    }

    private static void haltWhenParentGone() {
        try {
            while (System.in.read() >= 0) {
                // the parent writes nothing; only end of input matters
            }
        } catch (IOException e) {
            // a broken pipe means the same as end of input
        }
        Runtime.getRuntime().halt(137);
    }
}
