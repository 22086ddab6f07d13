package dev.streamfm.replay;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * CSV with a header row: the label column, an optional time column, the columns named numeric,
 * and every other column categorical; an empty cell is a missing value. Cells may be quoted ("a,b", "say ""hi"""), but a
 * row must stay on one line. Column names become field names with characters a feature spec does
 * not allow replaced by '_'.
 */
final class CsvLineParser implements LineParser {

    private static final Pattern NOT_ALLOWED = Pattern.compile("[^A-Za-z0-9_.:-]");
    private static final int MAX_NAME = 128;

    private final char delimiter;
    private final String[] fields;
    private final boolean[] numeric;
    private final int labelColumn;
    /** Index of the time column, or -1. */
    private final int timeColumn;

    private CsvLineParser(char delimiter, String[] fields, boolean[] numeric, int labelColumn, int timeColumn) {
        this.delimiter = delimiter;
        this.fields = fields;
        this.numeric = numeric;
        this.labelColumn = labelColumn;
        this.timeColumn = timeColumn;
    }

    /** A parser for the rows under this header. */
    static CsvLineParser fromHeader(String source, String header, ReaderOptions options) throws LogFileException {
        List<String> names;
        try {
            names = split(header.startsWith("\uFEFF") ? header.substring(1) : header, options.delimiter());
        } catch (BadLineException e) {
            throw new LogFileException(source + ": header row: " + e.getMessage());
        }
        int label = names.indexOf(options.labelColumn());
        if (label < 0) {
            throw new LogFileException(source + ": the header has no label column '" + options.labelColumn()
                    + "'; name the label column with --label-column (header: " + Tokens.clip(header) + ")");
        }
        int time = options.timeColumn() == null ? -1 : names.indexOf(options.timeColumn());
        if (options.timeColumn() != null && (time < 0 || time == label)) {
            throw new LogFileException(source + ": the header has no time column '" + options.timeColumn()
                    + "' apart from the label (header: " + Tokens.clip(header) + ")");
        }
        for (String n : options.numericColumns()) {
            if (!names.contains(n)) {
                throw new LogFileException(source + ": numeric column '" + n + "' is not in the header");
            }
        }
        String[] fields = new String[names.size()];
        boolean[] numeric = new boolean[names.size()];
        Set<String> seen = new HashSet<>();
        for (int c = 0; c < fields.length; c++) {
            String raw = names.get(c).strip();
            String name = raw.isEmpty() ? "col" + (c + 1) : NOT_ALLOWED.matcher(raw).replaceAll("_");
            fields[c] = name.length() > MAX_NAME ? name.substring(0, MAX_NAME) : name;
            numeric[c] = options.numericColumns().contains(names.get(c));
            if (c != label && c != time && !seen.add(fields[c])) {
                throw new LogFileException(source + ": two header columns map to field name '" + fields[c]
                        + "'; rename one of them");
            }
        }
        return new CsvLineParser(options.delimiter(), fields, numeric, label, time);
    }

    @Override
    public ParsedLine parse(String line) throws BadLineException {
        List<String> cells = split(line, delimiter);
        if (cells.size() != fields.length) {
            throw new BadLineException("expected " + fields.length + " columns as in the header, got " + cells.size());
        }
        int label = Tokens.label(cells.get(labelColumn).strip());
        Map<String, String> categorical = new HashMap<>(2 * fields.length);
        Map<String, Double> numbers = new HashMap<>();
        for (int c = 0; c < fields.length; c++) {
            String cell = cells.get(c);
            if (c == labelColumn || c == timeColumn || cell.isEmpty()) {
                continue;
            }
            if (numeric[c]) {
                numbers.put(fields[c], Tokens.finite(cell.strip(), "column " + fields[c]));
            } else {
                categorical.put(fields[c], cell);
            }
        }
        return new ParsedLine(label, categorical, numbers,
                timeColumn < 0 ? OptionalLong.empty() : OptionalLong.of(time(cells.get(timeColumn).strip())));
    }

    /** Epoch milliseconds, or an ISO-8601 instant such as 2024-05-01T10:00:00Z. */
    private long time(String cell) throws BadLineException {
        try {
            return cell.matches("[0-9]+") ? Long.parseLong(cell) : Instant.parse(cell).toEpochMilli();
        } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
            throw new BadLineException("time column " + fields[timeColumn] + " '" + Tokens.clip(cell)
                    + "' is not epoch milliseconds or an ISO-8601 instant (2024-05-01T10:00:00Z)");
        }
    }

    static List<String> split(String line, char delimiter) throws BadLineException {
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
            } else if (c == delimiter) {
                cells.add(cell.toString());
                cell.setLength(0);
            } else if (c == '"' && cell.length() == 0) {
                quoted = true;
            } else {
                cell.append(c);
            }
        }
        if (quoted) {
            throw new BadLineException("a quoted cell is not closed (rows must stay on one line)");
        }
        cells.add(cell.toString());
        return cells;
    }
}
