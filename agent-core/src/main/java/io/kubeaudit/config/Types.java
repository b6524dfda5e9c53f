package io.kubeaudit.config;

import io.kubeaudit.yaml.InvalidInputException;
import io.kubeaudit.yaml.SourceLocation;
import io.kubeaudit.yaml.YamlMapping;
import io.kubeaudit.yaml.YamlValues;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/** The plain setting types: strings, paths, switches, bounded numbers, sizes, durations, lists, choices. */
public final class Types {

    private Types() {
    }

    public static final SettingType<String> STRING = new Plain<>("string", "", YamlValues::string, Types::yamlScalar);

    /** A node path (under {@code root}); relative paths are refused because nothing says what they would be relative to. */
    public static final SettingType<String> ABSOLUTE_PATH = new Plain<>("path", "must be an absolute path", (file, path, node) -> {
        String value = YamlValues.string(file, path, node);
        if (!value.startsWith("/")) {
            throw error(file, node, path + " must be an absolute path, found \"" + value + "\"");
        }
        return value;
    }, Types::yamlScalar);

    public static final SettingType<Boolean> BOOLEAN = new Plain<>("boolean", "", YamlValues::bool, String::valueOf);

    /** Bytes, written as 4096, 64KiB, 64MiB, 1GiB (or KB, MB, GB: powers of 1000). */
    public static final SettingType<Long> SIZE = new Plain<>("size", "", (file, path, node) -> {
        Long bytes = node instanceof ScalarNode s ? Units.parseSize(s.getValue()) : null;
        if (bytes == null) {
            throw error(file, node, path + " must be a size such as 64MiB or 4096, found " + YamlMapping.describe(node));
        }
        return bytes;
    }, Units::formatSize);

    /** Written as 500ms, 30s, 5m or 1h. */
    public static final SettingType<Duration> DURATION = new Plain<>("duration", "", (file, path, node) -> {
        Duration d = node instanceof ScalarNode s ? Units.parseDuration(s.getValue()) : null;
        if (d == null) {
            throw error(file, node, path + " must be a duration such as 500ms, 30s, 5m or 1h, found " + YamlMapping.describe(node));
        }
        return d;
    }, Types::formatDuration);

    public static final SettingType<List<String>> STRING_LIST = new Plain<>("list of strings", "",
            (file, path, node) -> List.copyOf(YamlValues.strings(file, path, node)),
            list -> list.stream().map(Types::yamlScalar).collect(Collectors.joining(", ", "[", "]")));

    /** Names to string values, in file order; a key without a value stands for "". */
    public static final SettingType<Map<String, String>> STRING_MAP = new Plain<>("mapping of strings", "", (file, path, node) -> {
        YamlMapping m = YamlMapping.of(file, path, node);
        Map<String, String> out = new LinkedHashMap<>();
        for (String key : m.keys()) {
            out.put(key, m.string(key).orElse(""));
        }
        m.finish();
        return out;
    }, map -> map.entrySet().stream().map(e -> yamlScalar(e.getKey()) + ": " + yamlScalar(e.getValue()))
            .collect(Collectors.joining(", ", "{", "}")));

    /** A whole number from {@code min} to {@code max}. */
    public static SettingType<Integer> integer(int min, int max) {
        return new Plain<>("integer", "must be between " + min + " and " + max, (file, path, node) -> {
            long v = YamlValues.integer(file, path, node);
            if (v < min || v > max) {
                throw error(file, node, path + " must be between " + min + " and " + max + ", found " + v);
            }
            return (int) v;
        }, String::valueOf);
    }

    /** How the spelling of a choice is matched. */
    public enum Matching { EXACT, IGNORING_CASE }

    /** One of {@code values}, each written as {@code spelling} gives it; the error lists them in this order. */
    @SafeVarargs
    public static <E> SettingType<E> choice(Function<E, String> spelling, Matching matching, E... values) {
        List<E> choices = Arrays.asList(values);
        String names = choices.stream().map(spelling).collect(Collectors.joining(" or "));
        return new Plain<>("one of " + choices.stream().map(spelling).collect(Collectors.joining(", ")), "", (file, path, node) -> {
            String text = YamlValues.string(file, path, node);
            for (E value : choices) {
                String spelt = spelling.apply(value);
                if (matching == Matching.EXACT ? spelt.equals(text) : spelt.equalsIgnoreCase(text)) {
                    return value;
                }
            }
            throw error(file, node, path + " must be " + names + ", found \"" + text + "\"");
        }, spelling::apply);
    }

    /** An enum's constants, spelt as their lower-case names, matched in any case. */
    public static <E extends Enum<E>> SettingType<E> lowerCaseEnum(Class<E> type) {
        return choice(e -> e.name().toLowerCase(Locale.ROOT), Matching.IGNORING_CASE, type.getEnumConstants());
    }

    /** The largest unit that states {@code d} exactly, as the config file would spell it. */
    static String formatDuration(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0 && ms > 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && ms > 0) {
            return ms / 60_000 + "m";
        }
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    /** A string as YAML reads it back: plain where that works, quoted where it would not ("", "true", "a: b"). */
    static String yamlScalar(String value) {
        if (value.isEmpty()) {
            return "\"\"";
        }
        DumperOptions options = new DumperOptions();
        options.setWidth(Integer.MAX_VALUE);
        return new Yaml(options).dump(value).strip();
    }

    private static InvalidInputException error(String file, Node at, String problem) {
        return new InvalidInputException(SourceLocation.of(file, at), problem);
    }

    /** A reader that may refuse. */
    @FunctionalInterface
    private interface Reader<T> {
        T read(String file, String path, Node node) throws InvalidInputException;
    }

    private record Plain<T>(String describe, String rule, Reader<T> reader, Function<T, String> formatter) implements SettingType<T> {
        @Override
        public T read(String file, String path, Node node) throws InvalidInputException {
            return reader.read(file, path, node);
        }

        @Override
        public String format(T value) {
            return formatter.apply(value);
        }
    }
}
