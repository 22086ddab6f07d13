package dev.streamfm.model;

/**
 * Which training steps are analysed, and how deeply: every {@code every}-th step (0 = none), and
 * of those every {@code layersEvery}-th with layer statistics too. A function of the step alone, so
 * a replayed stream analyses the same steps.
 *
 * @param every       analyse steps 0, every, 2 * every, ...; 0 = never
 * @param layersEvery of the analysed steps, every k-th has {@link AnalysisLevel#FULL}; 1 = all of them
 */
public record AnalysisCadence(long every, long layersEvery) {

    public static final AnalysisCadence OFF = new AnalysisCadence(0, 1);
    /** The service's: conflicts every 10th step, layer statistics every 100th. */
    public static final AnalysisCadence DEFAULTS = new AnalysisCadence(10, 10);

    public AnalysisCadence {
        if (every < 0) {
            throw new IllegalArgumentException("analysis every must be >= 0 steps (0 = off), got " + every);
        }
        if (layersEvery < 1) {
            throw new IllegalArgumentException("layer statistics every must be >= 1 analysed steps, got " + layersEvery);
        }
    }

    /** Every k-th step analysed in full: what offline reports use. */
    public static AnalysisCadence full(long every) {
        return new AnalysisCadence(every, 1);
    }

    /** The level of the step numbered {@code step} (the model's step before the update). */
    public AnalysisLevel at(long step) {
        if (every == 0 || step % every != 0) {
            return AnalysisLevel.OFF;
        }
        return (step / every) % layersEvery == 0 ? AnalysisLevel.FULL : AnalysisLevel.CONFLICTS;
    }
}
