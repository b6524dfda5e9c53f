package io.kubeaudit.manifest;

import io.kubeaudit.yaml.InvalidInputException;
import io.kubeaudit.yaml.SourceLocation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.DumperOptions.FlowStyle;
import org.yaml.snakeyaml.DumperOptions.ScalarStyle;
import org.yaml.snakeyaml.nodes.CollectionNode;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Surgical edits of a YAML text at the positions of its parsed nodes: a scalar replaced where it stands,
 * a list item or mapping entry inserted next to its siblings in their indentation and key order, or
 * removed with exactly the lines it occupies. Nothing else in the text moves, so comments, quoting and
 * trailing spaces elsewhere survive byte for byte. Each method describes one {@link TextEdit} against
 * the text the nodes were parsed from.
 */
final class YamlEdits {

    private final String file;
    private final SourceText src;
    private final BlockIndent indent;
    private final boolean jsonDocument;

    /** @param jsonDocument whether the document is JSON, so additions to an empty {} or [] are JSON too */
    YamlEdits(String file, SourceText src, BlockIndent indent, boolean jsonDocument) {
        this.file = file;
        this.src = src;
        this.indent = indent;
        this.jsonDocument = jsonDocument;
    }

    // ---- scalars

    /**
     * Replaces a scalar in its own quoting style. When a comment follows on the same line, the spaces
     * before it are adjusted so the comment keeps its column where the new value fits.
     */
    TextEdit replaceScalar(ScalarNode node, String value) throws InvalidInputException {
        ScalarStyle style = node.getScalarStyle();
        if (style == ScalarStyle.LITERAL || style == ScalarStyle.FOLDED) {
            throw error(node, "is a block scalar (| or >), which kube-audit-agent does not rewrite; write it on one line");
        }
        String rendered = ScalarText.inStyle(value, style);
        int start = src.offset(node.getStartMark());
        int end = src.offset(node.getEndMark());
        int regionEnd = regionEnd(node);
        if (regionEnd > end) {
            rendered += " ".repeat(Math.max(1, regionEnd - start - rendered.length()));
        }
        return new TextEdit(start, regionEnd, rendered);
    }

    /** The exact text {@link #replaceScalar} replaces, so it can be put back byte for byte. */
    String scalarRegion(ScalarNode node) {
        return src.text().substring(src.offset(node.getStartMark()), regionEnd(node));
    }

    TextEdit restoreScalarRegion(ScalarNode node, String region) {
        return new TextEdit(src.offset(node.getStartMark()), regionEnd(node), region);
    }

    private int regionEnd(ScalarNode node) {
        String text = src.text();
        int end = src.offset(node.getEndMark());
        int i = end;
        while (i < text.length() && text.charAt(i) == ' ') {
            i++;
        }
        return i > end && i < text.length() && text.charAt(i) == '#' ? i : end;
    }

    // ---- lists

    /** Inserts {@code item} before item {@code before}, or after the last item when {@code before} is -1. */
    TextEdit insertItem(SequenceNode seq, int before, YamlValue item) throws InvalidInputException {
        List<Node> items = seq.getValue();
        if (isFlow(seq) && items.isEmpty()) {
            return TextEdit.insert(src.offset(seq.getStartMark()) + 1, flow(item, jsonStyle(seq)));
        }
        Node template = before >= 0 ? items.get(before) : items.get(items.size() - 1);
        YamlValue shaped = template instanceof MappingNode m && item instanceof YamlValue.Entries e ? orderLike(e, m) : item;
        if (isFlow(seq)) {
            String rendered = flow(shaped, jsonStyle(seq));
            return before >= 0
                    ? TextEdit.insert(src.offset(template.getStartMark()), rendered + ", ")
                    : TextEdit.insert(src.offset(template.getEndMark()), ", " + rendered);
        }
        int dash = dashOffset(template);
        int dashColumn = src.column(dash);
        int contentColumn = src.column(src.offset(template.getStartMark()));
        BlockIndent layout = nestedIndent(template).map(indent::withMapping).orElse(indent);
        List<String> lines = isFlow(template)
                ? List.of(" ".repeat(dashColumn) + "-" + " ".repeat(contentColumn - dashColumn - 1)
                        + flow(shaped, jsonStyle(template)))
                : itemLines(shaped, dashColumn, contentColumn, layout);
        int at = before >= 0 ? src.lineStart(dash) : src.nextLineStart(contentEnd(template));
        return insertLines(at, lines);
    }

    /** Removes {@code count} consecutive items starting at {@code from}, with the lines they occupy. */
    TextEdit removeItems(SequenceNode seq, int from, int count) throws InvalidInputException {
        List<Node> items = seq.getValue();
        if (isFlow(seq)) {
            List<int[]> spans = new ArrayList<>();
            for (Node n : items) {
                spans.add(new int[] {src.offset(n.getStartMark()), src.offset(n.getEndMark())});
            }
            return removeFlowSpans(spans, from, count);
        }
        int dash = dashOffset(items.get(from));
        return deleteLines(src.lineStart(dash), src.nextLineStart(contentEnd(items.get(from + count - 1))));
    }

    // ---- mappings

    /**
     * Adds {@code key: value} to a mapping: where it sorts when the keys are sorted (kubeadm writes them
     * sorted), after the last entry otherwise.
     */
    TextEdit insertEntry(MappingNode map, String key, YamlValue value) throws InvalidInputException {
        List<NodeTuple> entries = map.getValue();
        if (isFlow(map)) {
            boolean json = jsonStyle(map);
            String rendered = (json ? ScalarText.doubleQuoted(key) : key) + ": " + flow(value, json);
            if (entries.isEmpty()) {
                return TextEdit.insert(src.offset(map.getStartMark()) + 1, rendered);
            }
            return TextEdit.insert(src.offset(entries.get(entries.size() - 1).getValueNode().getEndMark()), ", " + rendered);
        }
        int column = src.column(src.offset(map.getStartMark()));
        List<String> lines = entryLines(key, value, column, indent);
        List<String> keys = keys(map);
        if (isSorted(keys)) {
            Optional<NodeTuple> next = entries.stream().filter(t -> keyText(t).compareTo(key) > 0).findFirst();
            int keyAt = next.map(t -> src.offset(t.getKeyNode().getStartMark())).orElse(-1);
            if (keyAt >= 0 && src.startsLine(keyAt)) {
                return insertLines(src.lineStart(keyAt), lines);
            }
        }
        return insertLines(src.nextLineStart(contentEnd(map)), lines);
    }

    /** Removes the entry {@code key} with the lines it occupies. */
    TextEdit removeEntry(MappingNode map, String key) throws InvalidInputException {
        List<NodeTuple> entries = map.getValue();
        int index = -1;
        for (int i = 0; i < entries.size(); i++) {
            if (keyText(entries.get(i)).equals(key)) {
                index = i;
            }
        }
        if (index < 0) {
            throw new IllegalArgumentException("no key " + key);
        }
        NodeTuple t = entries.get(index);
        if (isFlow(map)) {
            List<int[]> spans = new ArrayList<>();
            for (NodeTuple e : entries) {
                spans.add(new int[] {src.offset(e.getKeyNode().getStartMark()), src.offset(e.getValueNode().getEndMark())});
            }
            return removeFlowSpans(spans, index, 1);
        }
        int keyAt = src.offset(t.getKeyNode().getStartMark());
        if (!src.startsLine(keyAt)) {
            throw error(t.getKeyNode(), "\"" + key + "\" shares its line with a list '-', which kube-audit-agent cannot remove safely");
        }
        return deleteLines(src.lineStart(keyAt), src.nextLineStart(contentEnd(t.getValueNode())));
    }

    // ---- layout

    /** The offset of the '-' that opens a block list item; refuses layouts where that is not on the item's line. */
    private int dashOffset(Node item) throws InvalidInputException {
        String text = src.text();
        int i = src.offset(item.getStartMark()) - 1;
        while (i >= 0 && text.charAt(i) == ' ') {
            i--;
        }
        if (i < 0 || text.charAt(i) != '-' || !src.startsLine(i)) {
            throw error(item, "is a list item laid out in a way kube-audit-agent cannot edit safely"
                    + " (expected '- ' at the start of its line)");
        }
        return i;
    }

    /** Where a node's text really ends: SnakeYAML ends a block collection only at the next token. */
    private int contentEnd(Node n) {
        if (n instanceof SequenceNode s && !isFlow(s) && !s.getValue().isEmpty()) {
            return contentEnd(s.getValue().get(s.getValue().size() - 1));
        }
        if (n instanceof MappingNode m && !isFlow(m) && !m.getValue().isEmpty()) {
            return contentEnd(m.getValue().get(m.getValue().size() - 1).getValueNode());
        }
        return src.offset(n.getEndMark());
    }

    /** The indentation step of a nested block mapping in {@code template}, to copy into a new sibling. */
    private static Optional<Integer> nestedIndent(Node template) {
        if (template instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                Node v = t.getValueNode();
                if (v instanceof MappingNode && BlockIndent.isBlock(v)
                        && v.getStartMark().getLine() > t.getKeyNode().getStartMark().getLine()) {
                    return Optional.of(v.getStartMark().getColumn() - t.getKeyNode().getStartMark().getColumn());
                }
            }
        }
        return Optional.empty();
    }

    private TextEdit insertLines(int at, List<String> lines) {
        String sep = src.lineSeparator();
        String body = String.join(sep, lines);
        if (at == src.length() && src.length() > 0 && !src.endsWithLineBreak()) {
            return TextEdit.insert(at, sep + body);
        }
        return TextEdit.insert(at, body + sep);
    }

    /** Deletes whole lines; at the end of a file without a final line break, the break before them goes too. */
    private TextEdit deleteLines(int start, int end) {
        if (end == src.length() && !src.endsWithLineBreak()) {
            start -= src.breakLengthBefore(start);
        }
        return TextEdit.delete(start, end);
    }

    private static TextEdit removeFlowSpans(List<int[]> spans, int from, int count) {
        int last = from + count - 1;
        if (count == spans.size()) {
            return TextEdit.delete(spans.get(0)[0], spans.get(last)[1]);
        }
        if (from > 0) {
            return TextEdit.delete(spans.get(from - 1)[1], spans.get(last)[1]);
        }
        return TextEdit.delete(spans.get(0)[0], spans.get(count)[0]);
    }

    // ---- rendering

    private List<String> entryLines(String key, YamlValue value, int column, BlockIndent layout) {
        String head = " ".repeat(column) + key + ":";
        List<String> lines = new ArrayList<>();
        if (value instanceof YamlValue.Entries e && !e.entries().isEmpty()) {
            lines.add(head);
            lines.addAll(mappingLines(e, column + layout.mapping(), layout));
        } else if (value instanceof YamlValue.Items i && !i.items().isEmpty()) {
            lines.add(head);
            int dash = column + layout.sequence();
            for (YamlValue item : i.items()) {
                lines.addAll(itemLines(item, dash, dash + 2, layout));
            }
        } else {
            lines.add(head + " " + flow(value, false));
        }
        return lines;
    }

    private List<String> mappingLines(YamlValue.Entries e, int column, BlockIndent layout) {
        List<String> lines = new ArrayList<>();
        for (YamlValue.Entry entry : e.entries()) {
            lines.addAll(entryLines(entry.key(), entry.value(), column, layout));
        }
        return lines;
    }

    private List<String> itemLines(YamlValue item, int dashColumn, int contentColumn, BlockIndent layout) {
        String dash = " ".repeat(dashColumn) + "-" + " ".repeat(contentColumn - dashColumn - 1);
        if (item instanceof YamlValue.Entries e && !e.entries().isEmpty()) {
            List<String> lines = mappingLines(e, contentColumn, layout);
            lines.set(0, dash + lines.get(0).substring(contentColumn));
            return lines;
        }
        return List.of(dash + flow(item, false));
    }

    private static String flow(YamlValue value, boolean json) {
        if (value instanceof YamlValue.Text t) {
            return json ? ScalarText.doubleQuoted(t.value()) : ScalarText.of(t.value());
        }
        if (value instanceof YamlValue.Bool b) {
            return String.valueOf(b.value());
        }
        List<String> parts = new ArrayList<>();
        if (value instanceof YamlValue.Entries e) {
            for (YamlValue.Entry entry : e.entries()) {
                parts.add((json ? ScalarText.doubleQuoted(entry.key()) : entry.key()) + ": " + flow(entry.value(), json));
            }
            return "{" + String.join(", ", parts) + "}";
        }
        for (YamlValue item : ((YamlValue.Items) value).items()) {
            parts.add(flow(item, json));
        }
        return "[" + String.join(", ", parts) + "]";
    }

    /**
     * Orders a new mapping's keys like its neighbour's: alphabetically when the neighbour's keys are
     * sorted, else in the neighbour's order with unknown keys last.
     */
    private static YamlValue.Entries orderLike(YamlValue.Entries value, MappingNode template) {
        List<String> order = keys(template);
        List<YamlValue.Entry> entries = new ArrayList<>(value.entries());
        if (isSorted(order)) {
            entries.sort(Comparator.comparing(YamlValue.Entry::key));
        } else {
            entries.sort(Comparator.comparingInt(e -> order.contains(e.key()) ? order.indexOf(e.key()) : order.size()));
        }
        List<YamlValue.Entry> shaped = new ArrayList<>();
        for (YamlValue.Entry e : entries) {
            Node nested = valueOf(template, e.key());
            shaped.add(e.value() instanceof YamlValue.Entries inner && nested instanceof MappingNode nm
                    ? new YamlValue.Entry(e.key(), orderLike(inner, nm)) : e);
        }
        return new YamlValue.Entries(shaped);
    }

    /** JSON-looking flow collections (quoted keys and strings) get JSON-looking additions. */
    private boolean jsonStyle(Node collection) {
        Node first = collection;
        while (first instanceof CollectionNode<?>) {
            if (first instanceof MappingNode m && !m.getValue().isEmpty()) {
                first = m.getValue().get(0).getKeyNode();
            } else if (first instanceof SequenceNode s && !s.getValue().isEmpty()) {
                first = s.getValue().get(0);
            } else {
                return jsonDocument;
            }
        }
        return first instanceof ScalarNode s && s.getScalarStyle() == ScalarStyle.DOUBLE_QUOTED;
    }

    private static boolean isFlow(Node n) {
        return n instanceof CollectionNode<?> c && c.getFlowStyle() == FlowStyle.FLOW;
    }

    private static List<String> keys(MappingNode m) {
        List<String> keys = new ArrayList<>();
        for (NodeTuple t : m.getValue()) {
            keys.add(keyText(t));
        }
        return keys;
    }

    private static String keyText(NodeTuple t) {
        return t.getKeyNode() instanceof ScalarNode s ? s.getValue() : "";
    }

    private static Node valueOf(MappingNode m, String key) {
        for (NodeTuple t : m.getValue()) {
            if (keyText(t).equals(key)) {
                return t.getValueNode();
            }
        }
        return null;
    }

    static boolean isSorted(List<String> keys) {
        for (int i = 1; i < keys.size(); i++) {
            if (keys.get(i - 1).compareTo(keys.get(i)) > 0) {
                return false;
            }
        }
        return true;
    }

    private InvalidInputException error(Node at, String problem) {
        return new InvalidInputException(SourceLocation.of(file, at), problem);
    }
}
