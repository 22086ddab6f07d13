package dev.streamfm.analysis;

/** Told about every step an {@link AnalysisTracker} records, with the window as of that step. */
@FunctionalInterface
public interface AnalysisListener {

    void onStep(AnalysedStep step, AnalysisSnapshot window);
}
