package dev.streamfm.replay;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * libfm and libsvm: {@code label idx:val idx:val ...} separated by spaces or tabs.
 * <ul>
 *   <li>libfm (positional, the Frappe/MovieLens convention): pair i is categorical field f{i}
 *       with value idx; every val must be 1, since one-hot is all a categorical field can say.</li>
 *   <li>libsvm (indexed): index idx is numeric field f{idx} with value val.</li>
 * </ul>
 */
final class SparseLineParser implements LineParser {

    private final boolean positional;

    SparseLineParser(boolean positional) {
        this.positional = positional;
    }

    @Override
    public ParsedLine parse(String line) throws BadLineException {
        String[] tokens = line.trim().split("[ \t]+");
        if (tokens.length == 0 || tokens[0].isEmpty()) {
            throw new BadLineException("blank line");
        }
        int label = Tokens.label(tokens[0]);
        Map<String, String> categorical = positional ? new HashMap<>(2 * tokens.length) : Map.of();
        Map<String, Double> numeric = positional ? Map.of() : new HashMap<>(2 * tokens.length);
        for (int i = 1; i < tokens.length; i++) {
            String pair = tokens[i];
            int colon = pair.indexOf(':');
            if (colon <= 0 || colon == pair.length() - 1 || pair.indexOf(':', colon + 1) >= 0) {
                throw new BadLineException("feature " + i + " '" + Tokens.clip(pair) + "' is not idx:val");
            }
            String index = pair.substring(0, colon);
            if (!index.chars().allMatch(Character::isDigit)) {
                throw new BadLineException("feature " + i + " index '" + Tokens.clip(index)
                        + "' is not a non-negative integer");
            }
            double value = Tokens.finite(pair.substring(colon + 1), "feature " + i + " value");
            if (positional) {
                if (value != 1) {
                    throw new BadLineException("feature " + i + " has value " + value + "; libfm fields are one-hot "
                            + "(value 1), use --format libsvm for weighted features");
                }
                categorical.put("f" + (i - 1), index);
            } else if (numeric.put("f" + index, value) != null) {
                throw new BadLineException("index " + index + " appears twice");
            }
        }
        return new ParsedLine(label, categorical, numeric, OptionalLong.empty());
    }
}
