package io.kubeaudit.query;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** An aligned table for people: a header, rows, the columns given as numeric right-aligned, two spaces between columns. */
public final class TextTable {

    private final List<String[]> lines = new ArrayList<>();
    private final boolean[] rightAligned;

    /** {@code numeric}: the indexes of the right-aligned columns. */
    public TextTable(List<String> header, int... numeric) {
        rightAligned = new boolean[header.size()];
        for (int i : numeric) {
            rightAligned[i] = true;
        }
        lines.add(header.toArray(String[]::new));
    }

    public TextTable row(List<String> cells) {
        if (cells.size() != rightAligned.length) {
            throw new IllegalArgumentException("a row of " + cells.size() + " cells in a table of " + rightAligned.length + " columns");
        }
        lines.add(cells.toArray(String[]::new));
        return this;
    }

    public void print(PrintStream out) {
        int[] widths = new int[rightAligned.length];
        for (String[] line : lines) {
            for (int i = 0; i < line.length; i++) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        for (String[] line : lines) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < line.length; i++) {
                String pad = " ".repeat(widths[i] - line[i].length());
                s.append(rightAligned[i] ? pad + line[i] : line[i] + pad);
                if (i < line.length - 1) {
                    s.append("  ");
                }
            }
            out.println(s.toString().stripTrailing());
        }
    }

    /** {@code value}, cut to {@code cap} characters with an ellipsis when longer. */
    public static String cut(String value, int cap) {
        return value.length() <= cap ? value : value.substring(0, cap - 1) + "…";
    }
}
