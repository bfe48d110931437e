package io.sparkbackprop.data;

import java.util.ArrayList;
import java.util.List;

/** Splits one CSV line into cells and quotes cell values for messages. */
final class CsvCells {
    private static final int MAX_SHOWN = 60;

    private CsvCells() {
    }

    /**
     * Splits at commas outside double quotes; inside quotes, "" stands for one quote (RFC 4180). Cells are
     * trimmed, since spaces after commas are common in hand-written files and mean nothing in a number.
     * A line cannot continue a quoted cell onto the next one: lines are read independently, as Spark's
     * CSV source does unless told otherwise.
     */
    static List<String> split(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c != '"') {
                    cell.append(c);
                } else if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                cells.add(cell.toString().trim());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString().trim());
        return cells;
    }

    /** A value as a message shows it: in quotes, and cut short if long (a whole garbled line can end up in one cell). */
    static String quote(String value) {
        String shown = value.length() <= MAX_SHOWN ? value : value.substring(0, MAX_SHOWN) + "...";
        return "'" + shown + "'";
    }

    /** The first line of a file saved as UTF-8 by some Windows editors starts with an invisible byte order mark. */
    static String withoutByteOrderMark(String line) {
        return line.startsWith("\uFEFF") ? line.substring(1) : line;
    }
}
