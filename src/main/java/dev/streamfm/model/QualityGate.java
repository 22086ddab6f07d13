package dev.streamfm.model;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.OptionalLong;

/**
 * Decides whether a scorer may apply a model version (README, "Model quality gate"). A version
 * carries the trainer's online AUC and log loss at the checkpoint that wrote it; it is accepted
 * unless its AUC fell more than {@code maxAucDrop} below, or its log loss rose more than
 * {@code maxLoglossRise} above, the best of the versions accepted within {@code historyMs}
 * before it. Figures over fewer than {@code minExamples} examples are neither judged nor used as
 * a reference. A pinned version lets nothing newer through. Pure: no clock (times are the
 * versions' own), no I/O, one caller at a time.
 */
public final class QualityGate {

    /** Reasons of a rejection, the values of the metric's reason label. */
    public static final String AUC_DROP = "auc_drop";
    public static final String LOGLOSS_RISE = "logloss_rise";
    public static final String PINNED = "pinned";
    /** Reasons of an acceptance (logged, not counted). */
    public static final String GATE_OFF = "gate_off";
    public static final String UNMEASURED = "unmeasured";
    public static final String NO_REFERENCE = "no_reference";
    public static final String WITHIN_MARGIN = "within_margin";

    /**
     * @param pinnedVersion the newest version a scorer may apply, or empty for none
     */
    public record Config(boolean enabled, double maxAucDrop, double maxLoglossRise, long historyMs, long minExamples,
                         OptionalLong pinnedVersion) {

        public static final double DEFAULT_MAX_AUC_DROP = 0.02;
        public static final double DEFAULT_MAX_LOGLOSS_RISE = 0.05;
        public static final long DEFAULT_HISTORY_MS = 3_600_000;
        public static final long DEFAULT_MIN_EXAMPLES = 5_000;

        public static final Config DEFAULTS = new Config(true, DEFAULT_MAX_AUC_DROP, DEFAULT_MAX_LOGLOSS_RISE,
                DEFAULT_HISTORY_MS, DEFAULT_MIN_EXAMPLES, OptionalLong.empty());
        /** Everything accepted: the behaviour before the gate. */
        public static final Config OFF = new Config(false, DEFAULT_MAX_AUC_DROP, DEFAULT_MAX_LOGLOSS_RISE,
                DEFAULT_HISTORY_MS, DEFAULT_MIN_EXAMPLES, OptionalLong.empty());

        public Config {
            if (!(maxAucDrop >= 0) || !(maxLoglossRise >= 0) || historyMs < 0 || minExamples < 0) {
                throw new IllegalArgumentException("quality gate margins, history and minimum examples must be >= 0");
            }
        }

        public Config pinned(long version) {
            return new Config(enabled, maxAucDrop, maxLoglossRise, historyMs, minExamples, OptionalLong.of(version));
        }
    }

    /**
     * What the trainer measured for a version: its online AUC and log loss (NaN when not measured)
     * over {@code examples} examples, at the checkpoint written at {@code writtenAt} (epoch ms).
     */
    public record Quality(long version, long writtenAt, double auc, double logloss, long examples) {

        public static Quality unmeasured(long version, long writtenAt) {
            return new Quality(version, writtenAt, Double.NaN, Double.NaN, 0);
        }

        boolean measuredOver(long minExamples) {
            return Double.isFinite(auc) && Double.isFinite(logloss) && examples >= Math.max(1, minExamples);
        }
    }

    /**
     * The gate's verdict on a version.
     *
     * @param reason    one of the constants above
     * @param bestAuc   the best AUC of the recent accepted versions it was compared with (NaN if none)
     * @param bestLogloss the best (lowest) log loss of those versions (NaN if none)
     */
    public record Decision(boolean accepted, String reason, Quality candidate, double bestAuc, double bestLogloss) {

        public String describe() {
            String figures = String.format("AUC %.4f, logloss %.4f over %d examples", candidate.auc(),
                    candidate.logloss(), candidate.examples());
            return switch (reason) {
                case AUC_DROP, LOGLOSS_RISE -> String.format("version %d rejected (%s): %s against the best recent "
                                + "AUC %.4f and logloss %.4f", candidate.version(), reason, figures, bestAuc,
                        bestLogloss);
                case PINNED -> "version " + candidate.version() + " held back: the scorer is pinned to an earlier one";
                default -> "version " + candidate.version() + " accepted (" + reason + "): " + figures;
            };
        }
    }

    private final Config config;
    /** Accepted, measured versions, oldest first. */
    private final Deque<Quality> history = new ArrayDeque<>();

    public QualityGate(Config config) {
        this.config = config;
    }

    public Config config() {
        return config;
    }

    /** Judges a version; an accepted, measured one becomes part of the recent history. */
    public Decision judge(Quality candidate) {
        if (config.pinnedVersion().isPresent() && candidate.version() > config.pinnedVersion().getAsLong()) {
            return new Decision(false, PINNED, candidate, Double.NaN, Double.NaN);
        }
        if (!config.enabled()) {
            return accept(candidate, GATE_OFF, Double.NaN, Double.NaN);
        }
        if (!candidate.measuredOver(config.minExamples())) {
            return accept(candidate, UNMEASURED, Double.NaN, Double.NaN);
        }
        forgetBefore(candidate.writtenAt() - config.historyMs());
        if (history.isEmpty()) {
            return accept(candidate, NO_REFERENCE, Double.NaN, Double.NaN);
        }
        double bestAuc = Double.NEGATIVE_INFINITY;
        double bestLogloss = Double.POSITIVE_INFINITY;
        for (Quality q : history) {
            bestAuc = Math.max(bestAuc, q.auc());
            bestLogloss = Math.min(bestLogloss, q.logloss());
        }
        if (bestAuc - candidate.auc() > config.maxAucDrop()) {
            return new Decision(false, AUC_DROP, candidate, bestAuc, bestLogloss);
        }
        if (candidate.logloss() - bestLogloss > config.maxLoglossRise()) {
            return new Decision(false, LOGLOSS_RISE, candidate, bestAuc, bestLogloss);
        }
        return accept(candidate, WITHIN_MARGIN, bestAuc, bestLogloss);
    }

    /**
     * Takes a version as applied without judging it (what a scorer caught up with at start),
     * so that later versions are compared with it.
     */
    public void remember(Quality applied) {
        if (applied.measuredOver(config.minExamples())) {
            history.addLast(applied);
        }
    }

    private Decision accept(Quality candidate, String reason, double bestAuc, double bestLogloss) {
        remember(candidate);
        return new Decision(true, reason, candidate, bestAuc, bestLogloss);
    }

    private void forgetBefore(long oldest) {
        while (!history.isEmpty() && history.peekFirst().writtenAt() < oldest) {
            history.removeFirst();
        }
    }
}
