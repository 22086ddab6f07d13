package dev.streamfm.cli;

import dev.streamfm.config.Settings;
import dev.streamfm.evaluation.LabelArrival;
import dev.streamfm.model.DelayedFeedback;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.Optional;

/** eval's options that replay the service's label arrival order; the defaults are the service's settings. */
final class ArrivalOptions {

    @Option(names = "--label-delay", paramLabel = "DURATION",
            description = "replay the service's arrival order: a click's label arrives a uniform delay of at most "
                    + "this after its event (e.g. 30s, 2m), events are --rate apart, and examples reach the "
                    + "model when the service would release them (default: off, every label at once)")
    Duration labelDelay;

    @Option(names = "--rate", defaultValue = "1000", description = "events/s of the replayed event times "
            + "(with --label-delay; default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--attribution-window", paramLabel = "DURATION",
            description = "with --label-delay: streamfm.labeling.window.ms (default: the service's)")
    Duration window;

    @Option(names = "--grace", paramLabel = "DURATION",
            description = "with --label-delay: streamfm.labeling.grace.ms (default: the service's)")
    Duration grace;

    @Option(names = "--feedback", paramLabel = "window|fake-negative",
            description = "with --label-delay: streamfm.labeling.feedback (default: the service's)")
    String feedback;

    /** The arrival order to replay, or empty when every label is known at once (plain prequential). */
    Optional<LabelArrival> arrival() {
        if (labelDelay == null) {
            InputOptions.require(window == null && grace == null && feedback == null,
                    "--attribution-window, --grace and --feedback go with --label-delay");
            return Optional.empty();
        }
        InputOptions.require(!labelDelay.isNegative(), "--label-delay must be >= 0, got " + labelDelay);
        InputOptions.require(rate > 0 && !Double.isInfinite(rate), "--rate must be > 0 events/s, got " + rate);
        Duration w = window != null ? window : defaultMillis(Settings.ATTRIBUTION_MS.defaultValue());
        Duration g = grace != null ? grace : defaultMillis(Settings.GRACE_MS.defaultValue());
        InputOptions.require(w.toMillis() >= 1, "--attribution-window must be at least 1ms, got " + w);
        InputOptions.require(!g.isNegative(), "--grace must be >= 0, got " + g);
        DelayedFeedback f;
        try {
            f = DelayedFeedback.parse(feedback != null ? feedback : Settings.FEEDBACK.defaultValue());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--feedback: " + e.getMessage(), e);
        }
        return Optional.of(LabelArrival.of(w, g, f, defaultMillis(Settings.TRAINING_MAX_MS.defaultValue())));
    }

    private static Duration defaultMillis(String ms) {
        return Duration.ofMillis(Long.parseLong(ms));
    }
}
