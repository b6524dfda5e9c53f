package io.kubeaudit.query;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Matched events as an aligned table, streamed: the first rows (up to {@link #HELD_ROWS}, or until the
 * input is caught up) set the column widths; later rows widen a column when they need to. Long values
 * are cut with an ellipsis at each column's cap, so one odd value cannot push the table off the screen.
 */
public final class TableOutput implements EventOutput {

    static final int HELD_ROWS = 200;
    private static final List<EventColumn> COLUMNS = List.of(EventColumn.TIME, EventColumn.USER, EventColumn.VERB,
            EventColumn.RESOURCE, EventColumn.OBJECT, EventColumn.CODE, EventColumn.SOURCE_IP, EventColumn.USER_AGENT);
    /** Widest a column gets; the last one is not padded. */
    private static final int[] CAPS = {24, 48, 16, 40, 60, 4, 24, 40};

    private final PrintStream out;
    private final int[] widths = new int[COLUMNS.size()];
    private final List<String[]> held = new ArrayList<>();
    private boolean started;

    public TableOutput(PrintStream out) {
        this.out = out;
        for (int i = 0; i < COLUMNS.size(); i++) {
            widths[i] = header(i).length();
        }
    }

    @Override
    public void event(MatchedEvent event) {
        String[] row = new String[COLUMNS.size()];
        for (int i = 0; i < row.length; i++) {
            row[i] = TextTable.cut(COLUMNS.get(i).valueOf(event.event()), CAPS[i]);
            widths[i] = Math.max(widths[i], row[i].length());
        }
        if (started) {
            print(row);
        } else {
            held.add(row);
            if (held.size() >= HELD_ROWS) {
                flush();
            }
        }
    }

    @Override
    public void flush() {
        if (!started && !held.isEmpty()) {
            started = true;
            String[] header = new String[COLUMNS.size()];
            for (int i = 0; i < header.length; i++) {
                header[i] = header(i);
            }
            print(header);
            held.forEach(this::print);
            held.clear();
        }
        out.flush();
    }

    @Override
    public void finish() throws IOException {
        flush();
    }

    private void print(String[] row) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < row.length; i++) {
            line.append(row[i]);
            if (i < row.length - 1) {
                line.append(" ".repeat(widths[i] - row[i].length() + 2));
            }
        }
        out.println(line.toString().stripTrailing());
    }

    private static String header(int column) {
        return COLUMNS.get(column).key().toUpperCase(java.util.Locale.ROOT).replace('-', ' ');
    }
}
