package io.kubeaudit.yaml;

import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.Node;

/** Where in which file something was found, 1-based, as editors show it. */
public record SourceLocation(String file, int line, int column) {

    public static SourceLocation of(String file, Node node) {
        return of(file, node.getStartMark());
    }

    public static SourceLocation of(String file, Mark mark) {
        return mark == null ? new SourceLocation(file, 0, 0) : new SourceLocation(file, mark.getLine() + 1, mark.getColumn() + 1);
    }

    @Override
    public String toString() {
        return line > 0 ? file + ":" + line + ":" + column : file;
    }
}
