package dev.streamfm.replay;

/** Parsing of the label and number tokens the formats share. */
final class Tokens {

    private Tokens() {
    }

    /** 1 for "1" or "+1", 0 for "0" or "-1" (also written as decimals, e.g. "1.0"). */
    static int label(String token) throws BadLineException {
        double v;
        try {
            v = Double.parseDouble(token);
        } catch (NumberFormatException e) {
            throw new BadLineException("label '" + clip(token) + "' is not a number; use 0/1 or -1/+1");
        }
        if (v == 1) {
            return 1;
        }
        if (v == 0 || v == -1) {
            return 0;
        }
        throw new BadLineException("label " + clip(token) + " is not 0/1 or -1/+1");
    }

    static double finite(String token, String what) throws BadLineException {
        double v;
        try {
            v = Double.parseDouble(token);
        } catch (NumberFormatException e) {
            throw new BadLineException(what + " '" + clip(token) + "' is not a number");
        }
        if (!Double.isFinite(v)) {
            throw new BadLineException(what + " " + clip(token) + " is not finite");
        }
        return v;
    }

    /** A piece of input short enough to quote in a message. */
    static String clip(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
