package dev.streamfm.replay;

import java.util.Set;

/**
 * How to read a CSV file; the other formats fix their columns.
 *
 * @param labelColumn    name of the 0/1 label column
 * @param numericColumns columns read as numbers; every other column is categorical
 * @param delimiter      column separator
 * @param timeColumn     column with each row's event time (epoch milliseconds or an ISO-8601
 *                       instant), read instead of a feature; null = none
 */
public record ReaderOptions(String labelColumn, Set<String> numericColumns, char delimiter, String timeColumn) {

    public static final ReaderOptions DEFAULT = new ReaderOptions("label", Set.of(), ',', null);

    public ReaderOptions {
        numericColumns = Set.copyOf(numericColumns);
        if (labelColumn == null || labelColumn.isBlank()) {
            throw new IllegalArgumentException("the label column name must not be empty");
        }
        if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
            throw new IllegalArgumentException("the CSV delimiter cannot be a quote or a line break");
        }
    }

    public ReaderOptions withLabelColumn(String column) {
        return new ReaderOptions(column, numericColumns, delimiter, timeColumn);
    }

    public ReaderOptions withNumericColumns(Set<String> columns) {
        return new ReaderOptions(labelColumn, columns, delimiter, timeColumn);
    }

    public ReaderOptions withTimeColumn(String column) {
        return new ReaderOptions(labelColumn, numericColumns, delimiter, column);
    }
}
