package dev.streamfm.replay;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Criteo display-advertising TSV: label, 13 integer columns (numeric fields I1..I13) and 26
 * hashed categorical columns (C1..C26, 8 hex digits); an empty column is a missing value.
 */
final class CriteoLineParser implements LineParser {

    static final int INTEGER_COLUMNS = 13;
    static final int CATEGORICAL_COLUMNS = 26;
    private static final int COLUMNS = 1 + INTEGER_COLUMNS + CATEGORICAL_COLUMNS;

    @Override
    public ParsedLine parse(String line) throws BadLineException {
        String[] cols = line.split("\t", -1);
        if (cols.length != COLUMNS) {
            throw new BadLineException("expected " + COLUMNS + " tab-separated columns (label, I1..I13, C1..C26), got "
                    + cols.length);
        }
        int label = Tokens.label(cols[0]);
        Map<String, Double> numeric = new HashMap<>(2 * INTEGER_COLUMNS);
        for (int i = 1; i <= INTEGER_COLUMNS; i++) {
            if (!cols[i].isEmpty()) {
                try {
                    numeric.put("I" + i, (double) Long.parseLong(cols[i]));
                } catch (NumberFormatException e) {
                    throw new BadLineException("I" + i + " '" + Tokens.clip(cols[i]) + "' is not an integer");
                }
            }
        }
        Map<String, String> categorical = new HashMap<>(2 * CATEGORICAL_COLUMNS);
        for (int c = 1; c <= CATEGORICAL_COLUMNS; c++) {
            String value = cols[INTEGER_COLUMNS + c];
            if (!value.isEmpty()) {
                categorical.put("C" + c, value);
            }
        }
        return new ParsedLine(label, categorical, numeric, OptionalLong.empty());
    }
}
