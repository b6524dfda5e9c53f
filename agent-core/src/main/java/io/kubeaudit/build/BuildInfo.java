package io.kubeaudit.build;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * What was built: the version, the git revision and the commit's date (the build date: taken from the commit, not
 * the clock, so rebuilding a commit gives the same jar). "unknown" where the build ran outside a git checkout.
 *
 * @param dirty the working tree had uncommitted changes when it was built
 */
public record BuildInfo(String version, String revision, String date, boolean dirty) {

    private static final String RESOURCE = "build.properties";
    private static final BuildInfo CURRENT = load();

    public static BuildInfo current() {
        return CURRENT;
    }

    /** The revision as people read it: the commit's first 12 hex digits, {@code -dirty} when built with changes. */
    public String describedRevision() {
        String shortRevision = revision.length() > 12 ? revision.substring(0, 12) : revision;
        return dirty ? shortRevision + "-dirty" : shortRevision;
    }

    private static BuildInfo load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the jar's " + RESOURCE, e);
        }
        return new BuildInfo(value(p, "version"), value(p, "revision"), value(p, "date"), Boolean.parseBoolean(value(p, "dirty")));
    }

    /** Classes run from an IDE's output, without the build's file, are of an unknown build. */
    private static String value(Properties p, String key) {
        String v = p.getProperty(key, "unknown").strip();
        return v.isEmpty() ? "unknown" : v;
    }
}
