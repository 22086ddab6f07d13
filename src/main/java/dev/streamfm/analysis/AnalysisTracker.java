package dev.streamfm.analysis;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Keeps the last N analysed steps of one model and the rolling figures over them. The trainer
 * records every step it analysed; the metrics endpoint, a status line or the offline report
 * read {@link #snapshot()} or listen to every step. Only the window is kept, so a service can run
 * for weeks; a listener that needs the whole history (the offline report) keeps it itself.
 */
public final class AnalysisTracker {

    private final int window;
    private final ArrayDeque<AnalysedStep> steps;
    private final List<AnalysisListener> listeners = new CopyOnWriteArrayList<>();
    private volatile AnalysisSnapshot snapshot = AnalysisSnapshot.EMPTY;

    /** @param window how many analysed steps the rolling figures cover */
    public AnalysisTracker(int window) {
        if (window < 1) {
            throw new IllegalArgumentException("analysis window must be at least 1 analysed step, got " + window);
        }
        this.window = window;
        this.steps = new ArrayDeque<>(window);
    }

    public int window() {
        return window;
    }

    public void addListener(AnalysisListener listener) {
        listeners.add(listener);
    }

    public void removeListener(AnalysisListener listener) {
        listeners.remove(listener);
    }

    /** Derives the step's conflict, slides the window and tells the listeners, in recording order. */
    public synchronized AnalysedStep record(StepAnalysis analysis) {
        AnalysedStep step = AnalysedStep.of(analysis);
        if (steps.size() == window) {
            steps.removeFirst();
        }
        steps.addLast(step);
        AnalysisSnapshot current = AnalysisSnapshot.of(new ArrayList<>(steps));
        snapshot = current;
        for (AnalysisListener l : listeners) {
            l.onStep(step, current);
        }
        return step;
    }

    /** The rolling figures as of the last recorded step; safe to call from any thread. */
    public AnalysisSnapshot snapshot() {
        return snapshot;
    }

    /** The steps in the window, oldest first. */
    public synchronized List<AnalysedStep> recent() {
        return List.copyOf(steps);
    }
}
