package io.kubeaudit.sim;

import io.kubeaudit.node.KubeVersion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The kube-apiserver command line, parsed with pflag's rules: {@code --name=value} or {@code --name value},
 * booleans bare or {@code =true|false}, {@code --} ends the flags, positional arguments are refused.
 *
 * <p>Every {@code --audit-*} flag is checked against the set the real server of this version registers, so a
 * misspelt or too-new audit flag fails exactly as it would ({@code unknown flag: --audit-foo}). Other flags are
 * accepted without a full catalogue of them: the simulator only needs {@code --secure-port}.
 */
record ApiServerFlags(int securePort, Map<String, String> audit, Map<String, String> others) {

    enum Type { BOOL, INT, FLOAT, DURATION, STRING }

    /** The audit flags of kube-apiserver (k8s.io/apiserver options/audit.go) and their value types. */
    private static final Map<String, Type> AUDIT_FLAGS = new LinkedHashMap<>();

    static {
        for (String backend : List.of("log", "webhook")) {
            String p = "audit-" + backend + "-";
            AUDIT_FLAGS.put(p + "mode", Type.STRING);
            AUDIT_FLAGS.put(p + "batch-buffer-size", Type.INT);
            AUDIT_FLAGS.put(p + "batch-max-size", Type.INT);
            AUDIT_FLAGS.put(p + "batch-max-wait", Type.DURATION);
            AUDIT_FLAGS.put(p + "batch-throttle-enable", Type.BOOL);
            AUDIT_FLAGS.put(p + "batch-throttle-qps", Type.FLOAT);
            AUDIT_FLAGS.put(p + "batch-throttle-burst", Type.INT);
            AUDIT_FLAGS.put(p + "truncate-enabled", Type.BOOL);
            AUDIT_FLAGS.put(p + "truncate-max-batch-size", Type.INT);
            AUDIT_FLAGS.put(p + "truncate-max-event-size", Type.INT);
            AUDIT_FLAGS.put(p + "version", Type.STRING);
        }
        AUDIT_FLAGS.put("audit-policy-file", Type.STRING);
        AUDIT_FLAGS.put("audit-log-path", Type.STRING);
        AUDIT_FLAGS.put("audit-log-maxage", Type.INT);
        AUDIT_FLAGS.put("audit-log-maxbackup", Type.INT);
        AUDIT_FLAGS.put("audit-log-maxsize", Type.INT);
        AUDIT_FLAGS.put("audit-log-format", Type.STRING);
        AUDIT_FLAGS.put("audit-log-compress", Type.BOOL);
        AUDIT_FLAGS.put("audit-webhook-config-file", Type.STRING);
        AUDIT_FLAGS.put("audit-webhook-initial-backoff", Type.DURATION);
        AUDIT_FLAGS.put("audit-webhook-batch-initial-backoff", Type.DURATION);
    }

    private static final Pattern GO_DURATION = Pattern.compile("[-+]?(0|(\\d+(\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h))+");
    private static final Pattern GO_INT = Pattern.compile("[-+]?(0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO]?[0-7_]*|[1-9][0-9_]*)");

    ApiServerFlags {
        audit = Map.copyOf(audit);
        others = Map.copyOf(others);
    }

    static ApiServerFlags parse(List<String> args, KubeVersion version) throws StartupException {
        Map<String, String> audit = new LinkedHashMap<>();
        Map<String, String> others = new LinkedHashMap<>();
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                positional.addAll(args.subList(i + 1, args.size()));
                break;
            }
            if (!arg.startsWith("-") || arg.equals("-")) {
                positional.add(arg);
                continue;
            }
            if (!arg.startsWith("--")) {
                i = shorthand(args, i, others);
                continue;
            }
            String body = arg.substring(2);
            if (body.isEmpty() || body.startsWith("-") || body.startsWith("=")) {
                throw new StartupException("bad flag syntax: " + arg);
            }
            int eq = body.indexOf('=');
            String name = eq < 0 ? body : body.substring(0, eq);
            Optional<String> inline = eq < 0 ? Optional.empty() : Optional.of(body.substring(eq + 1));
            if (name.startsWith("audit-")) {
                Type type = auditFlagType(name, version);
                String value;
                if (type == Type.BOOL) {
                    value = inline.orElse("true");
                } else if (inline.isPresent()) {
                    value = inline.get();
                } else if (i + 1 < args.size()) {
                    value = args.get(++i);
                } else {
                    throw new StartupException("flag needs an argument: --" + name);
                }
                checkValue(name, type, value);
                audit.put(name, value);
            } else if (inline.isPresent()) {
                others.put(name, inline.get());
            } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("-")) {
                others.put(name, args.get(++i));
            } else {
                others.put(name, "true");
            }
        }
        if (positional.stream().anyMatch(p -> !p.isEmpty())) {
            throw new StartupException("\"kube-apiserver\" does not take any arguments, got "
                    + positional.stream().map(GoStrings::quote).collect(Collectors.joining(" ", "[", "]")));
        }
        String port = others.getOrDefault("secure-port", "6443");
        checkValue("secure-port", Type.INT, port);
        return new ApiServerFlags(Integer.parseInt(port.replace("_", "")), audit, others);
    }

    private static Type auditFlagType(String name, KubeVersion version) throws StartupException {
        Type type = AUDIT_FLAGS.get(name);
        // --audit-log-compress came with kube-apiserver 1.20 (kubernetes PR #94066).
        if (type == null || (name.equals("audit-log-compress") && !version.atLeast(1, 20))) {
            throw new StartupException("unknown flag: --" + name);
        }
        return type;
    }

    /** klog registers {@code -v}; any other single-dash flag is an unknown shorthand. */
    private static int shorthand(List<String> args, int i, Map<String, String> others) throws StartupException {
        String arg = args.get(i);
        char c = arg.charAt(1);
        if (c != 'v') {
            throw new StartupException("unknown shorthand flag: '" + c + "' in " + arg);
        }
        String rest = arg.substring(2);
        if (rest.startsWith("=")) {
            rest = rest.substring(1);
        } else if (rest.isEmpty()) {
            if (i + 1 >= args.size()) {
                throw new StartupException("flag needs an argument: 'v' in -v");
            }
            rest = args.get(++i);
        }
        others.put("v", rest);
        return i;
    }

    private static void checkValue(String name, Type type, String value) throws StartupException {
        String problem = switch (type) {
            case BOOL -> isGoBool(value) ? null : "strconv.ParseBool: parsing " + GoStrings.quote(value) + ": invalid syntax";
            case INT -> GO_INT.matcher(value).matches() ? intRange(value) : "strconv.ParseInt: parsing " + GoStrings.quote(value)
                    + ": invalid syntax";
            case FLOAT -> isFloat(value) ? null : "strconv.ParseFloat: parsing " + GoStrings.quote(value) + ": invalid syntax";
            case DURATION -> GO_DURATION.matcher(value).matches() ? null : "time: invalid duration " + GoStrings.quote(value);
            case STRING -> null;
        };
        if (problem != null) {
            throw new StartupException("invalid argument " + GoStrings.quote(value) + " for \"--" + name + "\" flag: " + problem);
        }
    }

    private static String intRange(String value) {
        String digits = value.replace("_", "");
        try {
            if (digits.matches("[-+]?[0-9]+")) {
                Integer.parseInt(digits);
            }
            return null;
        } catch (NumberFormatException e) {
            return "strconv.ParseInt: parsing " + GoStrings.quote(value) + ": value out of range";
        }
    }

    private static boolean isGoBool(String v) {
        return List.of("1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False").contains(v);
    }

    private static boolean isFloat(String v) {
        try {
            Double.parseDouble(v);
            return !v.endsWith("d") && !v.endsWith("f") && !v.endsWith("D") && !v.endsWith("F");
        } catch (NumberFormatException e) {
            return false;
        }
    }

    boolean bool(String auditFlag) {
        String v = audit.get(auditFlag);
        return v != null && List.of("1", "t", "T", "TRUE", "true", "True").contains(v);
    }

    int integer(String auditFlag, int fallback) {
        String v = audit.get(auditFlag);
        return v == null ? fallback : Integer.decode(v.replace("_", "").replaceFirst("^([-+]?)0[oO]", "$10"));
    }

    String string(String auditFlag, String fallback) {
        return audit.getOrDefault(auditFlag, fallback);
    }
}
