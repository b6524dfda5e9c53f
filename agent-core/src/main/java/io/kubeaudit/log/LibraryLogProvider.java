package io.kubeaudit.log;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPLogger;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J binding of the agent (found by SLF4J through META-INF/services): the Kafka client's warnings and
 * errors become lines of the agent's own {@link Log} ("broker unreachable", "authentication failed"), rate
 * limited per logger like any repeating problem; its info chatter (every configuration value at start) and other
 * libraries' logging (OSHI's) are dropped, as they were before a binding existed.
 */
public final class LibraryLogProvider implements SLF4JServiceProvider {

    private static final String KAFKA = "org.apache.kafka";

    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new NOPMDCAdapter();
    private final ILoggerFactory loggers = name -> name.startsWith(KAFKA) ? new KafkaClientLogger(name) : NOPLogger.NOP_LOGGER;

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggers;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
        // nothing to set up: loggers are made on request
    }

    /** WARN and ERROR of one Kafka client class as {@code kafka} lines; the class is the rate limit's key. */
    static final class KafkaClientLogger extends LegacyAbstractLogger {

        private static final long serialVersionUID = 1L;

        KafkaClientLogger(String name) {
            this.name = name;
        }

        @Override
        public boolean isTraceEnabled() {
            return false;
        }

        @Override
        public boolean isDebugEnabled() {
            return false;
        }

        @Override
        public boolean isInfoEnabled() {
            return false;
        }

        @Override
        public boolean isWarnEnabled() {
            return true;
        }

        @Override
        public boolean isErrorEnabled() {
            return true;
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments, Throwable thrown) {
            String text = MessageFormatter.basicArrayFormat(pattern, arguments);
            if (thrown != null) {
                text = text + ": " + thrown;
            }
            String source = name.substring(name.lastIndexOf('.') + 1);
            if (level == Level.ERROR) {
                Log.stderr().errorLimited("kafka", "kafka client error", name, "source", source, "message", text);
            } else {
                Log.stderr().warnLimited("kafka", "kafka client warning", name, "source", source, "message", text);
            }
        }
    }
}
