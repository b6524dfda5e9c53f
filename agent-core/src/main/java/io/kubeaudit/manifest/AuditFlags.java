package io.kubeaudit.manifest;

import io.kubeaudit.config.AuditConfig;
import io.kubeaudit.node.KubeVersion;
import io.kubeaudit.yaml.InvalidInputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The kube-apiserver audit flags the agent sets, and which server versions know them: a flag the server
 * does not know makes it exit at start, so the set follows the version in the image tag.
 */
final class AuditFlags {

    static final String POLICY_FILE = "--audit-policy-file";
    static final String LOG_PATH = "--audit-log-path";
    static final String MAX_AGE = "--audit-log-maxage";
    static final String MAX_BACKUP = "--audit-log-maxbackup";
    static final String MAX_SIZE = "--audit-log-maxsize";
    static final String FORMAT = "--audit-log-format";
    static final String COMPRESS = "--audit-log-compress";

    /** audit.k8s.io/v1, the only policy version the agent writes, is read from 1.12 on. */
    static final KubeVersion OLDEST_SUPPORTED = new KubeVersion(1, 12, 0);
    /** --audit-log-compress arrived in 1.19. */
    static final KubeVersion COMPRESS_SINCE = new KubeVersion(1, 19, 0);

    private AuditFlags() {
    }

    static void requireSupported(ApiServerManifest m) throws InvalidInputException {
        Optional<KubeVersion> v = m.serverVersion();
        if (v.isPresent() && v.get().compareTo(OLDEST_SUPPORTED) < 0) {
            throw new InvalidInputException(m.imageLocation(), "kube-apiserver " + v.get() + " (image " + m.image()
                    + ") is older than 1.12, the first version that reads audit.k8s.io/v1 policies; kube-audit-agent"
                    + " supports kube-apiserver 1.12 and newer, so upgrade the control plane first");
        }
    }

    /** Unknown versions (digests, "latest") are taken as current. */
    static boolean compressSupported(Optional<KubeVersion> v) {
        return v.isEmpty() || v.get().compareTo(COMPRESS_SINCE) >= 0;
    }

    /**
     * Flags set only where the operator already has them: {@code --audit-log-compress=true} left from
     * an earlier setting would otherwise keep compressing when the config says not to.
     */
    static Map<String, String> wherePresent(AuditConfig audit, Optional<KubeVersion> version) {
        return !audit.compress() && compressSupported(version) ? Map.of(COMPRESS, "false") : Map.of();
    }

    /**
     * Each audit setting whose flag in {@code actual} (a manifest's or a running server's) is not what setup makes of
     * {@code audit}, one line each, e.g. {@code --audit-log-maxsize is 50, the config says 100}.
     */
    static List<String> differences(AuditConfig audit, Optional<KubeVersion> version, Map<String, String> actual) {
        List<String> found = new ArrayList<>();
        desired(audit, version).forEach((flag, value) -> {
            String has = actual.get(flag);
            if (has == null) {
                found.add(flag + " is missing, the config says " + value);
            } else if (!has.equals(value)) {
                found.add(flag + " is " + has + ", the config says " + value);
            }
        });
        wherePresent(audit, version).forEach((flag, value) -> {
            String has = actual.get(flag);
            if (has != null && !has.equals(value)) {
                found.add(flag + " is " + has + ", the config says " + value);
            }
        });
        return found;
    }

    /** Flag to value, in the order new flags are added when the list is not sorted. */
    static Map<String, String> desired(AuditConfig audit, Optional<KubeVersion> version) {
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put(POLICY_FILE, PathNames.normalize(audit.policyPath()));
        flags.put(LOG_PATH, PathNames.normalize(audit.logPath()));
        flags.put(MAX_AGE, String.valueOf(audit.maxAge()));
        flags.put(MAX_BACKUP, String.valueOf(audit.maxBackup()));
        flags.put(MAX_SIZE, String.valueOf(audit.maxSize()));
        flags.put(FORMAT, "json");
        if (audit.compress() && compressSupported(version)) {
            flags.put(COMPRESS, "true");
        }
        return flags;
    }
}
