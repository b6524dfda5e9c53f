package io.kubeaudit.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The settings table printed for people: docs/configuration.md (Markdown, with a YAML block of every
 * default) and the settings part of {@code --help}. Both walk {@link AgentConfig#SETTINGS}, so what they
 * say is what the loader does.
 */
public final class Reference {

    /** One setting with its dotted name ("ship.batch.maxWait"; "ship.destinations[].url"). */
    public record Row(String name, Setting<?> setting) {
    }

    private Reference() {
    }

    /** Every plain (non-section) setting under {@code setting}, depth first, with dotted names. */
    public static List<Row> rows(Section<?> section, Setting<?> setting) {
        List<Row> out = new ArrayList<>();
        collect(section.nameOf(setting), setting, out);
        return out;
    }

    private static void collect(String name, Setting<?> setting, List<Row> out) {
        if (setting.type() instanceof Section<?> nested) {
            nested.settings().forEach(s -> collect(name + "." + s.key(), s, out));
        } else {
            out.add(new Row(name, setting));
        }
    }

    /**
     * The settings part of a command's {@code --help}: each of {@code settings} (top-level settings of
     * {@link AgentConfig#SETTINGS}, sections expanded) as "name (default): description", wrapped at {@code width}.
     */
    public static List<String> help(List<Setting<?>> settings, int width) {
        List<String> lines = new ArrayList<>();
        for (Setting<?> top : settings) {
            for (Row row : rows(AgentConfig.SETTINGS, top)) {
                wrap("  " + row.name() + " (" + row.setting().shownDefault() + "): " + row.setting().description(), width, lines);
            }
        }
        return lines;
    }

    private static void wrap(String text, int width, List<String> out) {
        String rest = text;
        String indent = "";
        while (indent.length() + rest.length() > width) {
            int cut = rest.lastIndexOf(' ', width - indent.length());
            if (cut <= 0) {
                break;
            }
            out.add(indent + rest.substring(0, cut));
            rest = rest.substring(cut + 1);
            indent = "      ";
        }
        out.add(indent + rest);
    }

    /** docs/configuration.md. */
    public static String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Configuration reference\n\n")
                .append("<!-- Generated from the settings table (io.kubeaudit.config, AgentConfig.SETTINGS). Do not edit: change\n")
                .append("     the table, then run: mvn -B -ntp -pl agent-core -am test -Dtest=ConfigurationReferenceTest\n")
                .append("     -Dsurefire.failIfNoSpecifiedTests=false -Dreference.update=true -->\n\n")
                .append("The agent reads `").append(AgentConfig.DEFAULT_PATH).append("` (or `--config FILE`). Every setting has a\n")
                .append("default, so no file is needed. Unknown keys, wrong types and values that break a rule are errors naming\n")
                .append("the file, line and column; nothing is changed on the node then (the daemon keeps running with the config\n")
                .append("it has). Sizes are written `4096`, `64KiB`, `64MiB`, `1GiB` (`KB`, `MB`, `GB`: powers of 1000); durations\n")
                .append("`500ms`, `30s`, `5m`, `1h`. Paths are node paths: they are resolved under `root`.\n\n")
                .append("## Every default\n\n```yaml\n");
        yaml(AgentConfig.SETTINGS, "", md);
        md.append("```\n");
        section(AgentConfig.SETTINGS, md);
        return md.toString();
    }

    private static void yaml(Section<?> section, String indent, StringBuilder out) {
        for (Setting<?> s : section.settings()) {
            if (s.type() instanceof Section<?> nested) {
                out.append(indent).append(s.key()).append(":\n");
                yaml(nested, indent + "  ", out);
            } else {
                out.append(indent).append(s.key()).append(": ").append(formatDefault(s)).append('\n');
            }
        }
    }

    private static void section(Section<?> section, StringBuilder md) {
        List<Setting<?>> plain = section.settings().stream().filter(s -> !(s.type() instanceof Section<?>)).toList();
        md.append("\n## ").append(section.name().isEmpty() ? "Top level" : "`" + section.name() + "`").append("\n\n")
                .append(section.description()).append('\n');
        table(section, plain, md);
        for (Setting<?> s : plain) {
            if (s.type() instanceof ListType<?> list && list.item() instanceof Variants<?> variants) {
                variants(section.nameOf(s), variants, md);
            }
            if (s.type() instanceof ListType<?> list && list.item() instanceof Section<?> item) {
                section(item, md);
            }
        }
        section.settings().stream().filter(s -> s.type() instanceof Section<?>).forEach(s -> section((Section<?>) s.type(), md));
    }

    /** The settings every variant shares, once, then each variant's own; variants with the same table are listed together. */
    private static void variants(String name, Variants<?> variants, StringBuilder md) {
        Map<Section<?>, List<String>> byTable = new LinkedHashMap<>();
        variants.names().forEach(n -> byTable.computeIfAbsent(variants.table(n), t -> new ArrayList<>()).add(n));
        List<Setting<?>> shared = byTable.size() == 1 ? List.of() : variants.table(variants.names().get(0)).settings().stream()
                .filter(s -> byTable.keySet().stream().allMatch(t -> t.settings().contains(s))).toList();
        md.append("\n## `").append(name).append("[]`\n\n").append("Each item of `").append(name).append("`; `")
                .append(variants.discriminator().key()).append("` selects the item's table")
                .append(shared.isEmpty() ? ".\n" : ". Settings of every type:\n");
        table(null, shared, md);
        byTable.forEach((table, names) -> {
            md.append("\n### ").append(names.stream().map(n -> "`" + variants.discriminator().key() + ": " + n + "`")
                    .collect(Collectors.joining(", "))).append("\n\n").append(table.description()).append('\n');
            table(table, table.settings().stream().filter(s -> !shared.contains(s)).toList(), md);
        });
        byTable.keySet().stream().flatMap(t -> t.settings().stream()).filter(s -> s.type() instanceof Section<?>)
                .map(s -> (Section<?>) s.type()).distinct().forEach(nested -> section(nested, md));
        if (!variants.planned().isEmpty()) {
            md.append("\nNot built into this version yet (refused by name): ")
                    .append(variants.planned().stream().map(n -> "`" + n + "`").collect(Collectors.joining(", "))).append(".\n");
        }
    }

    private static void table(Section<?> section, List<Setting<?>> settings, StringBuilder md) {
        if (!settings.isEmpty()) {
            md.append("\n| setting | type | default | validation | description |\n|---|---|---|---|---|\n");
            for (Setting<?> s : settings) {
                md.append("| `").append(s.key()).append("` | ").append(cell(s.type().describe())).append(" | ")
                        .append(cell(s.defaultInWords().orElse(s.isRequired() ? "required" : "`" + formatDefault(s) + "`")))
                        .append(" | ").append(cell(String.join("; ", s.rules()))).append(" | ").append(cell(s.description()))
                        .append(" |\n");
            }
        }
        if (section != null && !section.rules().isEmpty()) {
            md.append("\nAcross these settings: ").append(String.join("; ", section.rules())).append(".\n");
        }
    }

    private static <T> String formatDefault(Setting<T> s) {
        return s.type().format(s.defaultValue());
    }

    /** Table cell text: "|" escaped, and "<" and ">" outside code spans, which Markdown would take for HTML. */
    private static String cell(String text) {
        StringBuilder out = new StringBuilder();
        boolean inCode = false;
        for (char c : text.toCharArray()) {
            inCode ^= c == '`';
            out.append(c == '|' ? "\\|" : !inCode && c == '<' ? "&lt;" : !inCode && c == '>' ? "&gt;" : String.valueOf(c));
        }
        return out.toString();
    }
}
