package dev.streamfm.report;

import java.util.Arrays;

/**
 * Trailing-window smoothing of a per-step series for the over-time charts. Missing values (NaN, a
 * step that did not measure the figure) are skipped; a window without any value stays NaN.
 */
final class Rolling {

    private Rolling() {
    }

    /** How many analysed steps one point of an over-time chart summarises: about 40 points per line. */
    static int window(int steps) {
        return Math.max(1, steps / 40);
    }

    static double[] mean(double[] values, int window) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            double sum = 0;
            int n = 0;
            for (int j = Math.max(0, i - window + 1); j <= i; j++) {
                if (!Double.isNaN(values[j])) {
                    sum += values[j];
                    n++;
                }
            }
            out[i] = n == 0 ? Double.NaN : sum / n;
        }
        return out;
    }

    static double[] median(double[] values, int window) {
        double[] out = new double[values.length];
        double[] buffer = new double[window];
        for (int i = 0; i < values.length; i++) {
            int n = 0;
            for (int j = Math.max(0, i - window + 1); j <= i; j++) {
                if (!Double.isNaN(values[j])) {
                    buffer[n++] = values[j];
                }
            }
            if (n == 0) {
                out[i] = Double.NaN;
                continue;
            }
            Arrays.sort(buffer, 0, n);
            out[i] = n % 2 == 1 ? buffer[n / 2] : 0.5 * (buffer[n / 2 - 1] + buffer[n / 2]);
        }
        return out;
    }
}
