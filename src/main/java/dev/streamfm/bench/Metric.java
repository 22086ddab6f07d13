package dev.streamfm.bench;

/** Prometheus names (counters without _total) of the service metrics the benchmark reads. */
final class Metric {

    static final String EXAMPLES_TRAINED = "streamfm_examples_trained";
    static final String DEAD_LETTERS = "streamfm_dead_letters";
    static final String FRESHNESS = "streamfm_model_freshness_seconds";

    private Metric() {
    }
}
