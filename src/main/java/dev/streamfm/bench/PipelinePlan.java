package dev.streamfm.bench;

import dev.streamfm.config.Settings;
import dev.streamfm.config.StreamfmConfig;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What {@code bench pipeline} measures. Build it with {@link #builder(StreamfmConfig)}; the
 * defaults are the reference run.
 *
 * @param base       the service configuration every phase starts from (Kafka properties, model, batch sizes)
 * @param events     preloaded backlog of each catch-up phase
 * @param warmUp     backlog each catch-up phase works through once, untimed, before the measured runs
 * @param repeats    measured runs of the scorer catch-up per guarantee, the guarantees interleaved
 * @param rates      live rates, events per second
 * @param duration   how long each live rate runs
 * @param guarantees processing guarantees of the scorer catch-up and the live runs
 * @param phases     which phases run
 */
public record PipelinePlan(StreamfmConfig base, long events, long warmUp, int repeats, List<Integer> rates,
                           Duration duration, List<String> guarantees, Set<Phase> phases) {

    public enum Phase { SCORER, TRAINER, LIVE }

    public PipelinePlan {
        rates = List.copyOf(rates);
        guarantees = List.copyOf(guarantees);
        phases = Set.copyOf(phases);
        if (events < 1) {
            throw new IllegalArgumentException("events must be >= 1, got " + events);
        }
        if (warmUp < 0) {
            throw new IllegalArgumentException("warm-up must be >= 0 events, got " + warmUp);
        }
        if (repeats < 1) {
            throw new IllegalArgumentException("repeats must be >= 1, got " + repeats);
        }
        if (rates.stream().anyMatch(r -> r < 1)) {
            throw new IllegalArgumentException("rates must be >= 1 event/s, got " + rates);
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration must be positive, got " + duration);
        }
        guarantees.forEach(Guarantees::shortName);
        if (!base.get(Settings.SPEC_FILE).isBlank()) {
            throw new IllegalArgumentException("bench pipeline generates synthetic events of streamfm.features.shape; "
                    + "unset streamfm.features.spec");
        }
    }

    public static Builder builder(StreamfmConfig base) {
        return new Builder(base);
    }

    public static final class Builder {
        private final StreamfmConfig base;
        private long events = 200_000;
        private long warmUp = 1_000_000;
        private int repeats = 3;
        private List<Integer> rates = List.of(1000, 2000, 5000, 10000);
        private Duration duration = Duration.ofSeconds(60);
        private List<String> guarantees = List.of("exactly_once_v2", "at_least_once");
        private Set<Phase> phases = EnumSet.allOf(Phase.class);

        private Builder(StreamfmConfig base) {
            this.base = base;
        }

        public Builder events(long n) {
            this.events = n;
            return this;
        }

        public Builder warmUp(long n) {
            this.warmUp = n;
            return this;
        }

        public Builder repeats(int n) {
            this.repeats = n;
            return this;
        }

        public Builder rates(List<Integer> r) {
            this.rates = r;
            return this;
        }

        public Builder duration(Duration d) {
            this.duration = d;
            return this;
        }

        public Builder guarantees(List<String> g) {
            this.guarantees = g;
            return this;
        }

        public Builder phases(Set<Phase> p) {
            this.phases = p;
            return this;
        }

        public PipelinePlan build() {
            return new PipelinePlan(base, events, warmUp, repeats, rates, duration, guarantees, phases);
        }
    }
}
