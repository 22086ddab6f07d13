package dev.streamfm.cli;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table with right-aligned columns, for command output. */
final class TextTable {

    private final List<String[]> rows = new ArrayList<>();

    TextTable(String... header) {
        rows.add(header);
    }

    TextTable row(Object... cells) {
        String[] r = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            r[i] = String.valueOf(cells[i]);
        }
        rows.add(r);
        return this;
    }

    String render() {
        int columns = rows.get(0).length;
        int[] width = new int[columns];
        for (String[] r : rows) {
            for (int c = 0; c < columns; c++) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < rows.size(); i++) {
            String[] r = rows.get(i);
            for (int c = 0; c < columns; c++) {
                out.append(c == 0 ? "" : "  ").append(" ".repeat(width[c] - r[c].length())).append(r[c]);
            }
            out.append('\n');
            if (i == 0) {
                int total = (columns - 1) * 2;
                for (int w : width) {
                    total += w;
                }
                out.append("-".repeat(total)).append('\n');
            }
        }
        return out.toString();
    }
}
