package io.kubeaudit.testsupport;

import java.io.PrintStream;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Says on the console why a test was skipped (a tool such as shellcheck or ansible-playbook missing, with the
 * package that brings it): Maven's summary only counts skips. Registered for every module's tests through
 * META-INF/services in this module's test jar.
 */
public final class SkipReasonPrinter implements TestExecutionListener {

    private final PrintStream console = System.out;

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        console.println("[SKIPPED] " + name(test) + ": " + reason);
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            console.println("[SKIPPED] " + name(test) + ": "
                    + result.getThrowable().map(Throwable::getMessage).orElse("aborted without a reason"));
        }
    }

    private static String name(TestIdentifier test) {
        return test.getSource().map(source -> {
            if (source instanceof MethodSource m) {
                return m.getClassName().substring(m.getClassName().lastIndexOf('.') + 1) + "." + m.getMethodName();
            }
            if (source instanceof ClassSource c) {
                return c.getClassName().substring(c.getClassName().lastIndexOf('.') + 1);
            }
            return test.getDisplayName();
        }).orElse(test.getDisplayName());
    }
}
