package dev.streamfm.replay;

import dev.streamfm.evaluation.LabeledEvent;
import dev.streamfm.features.InputValidator;
import dev.streamfm.schema.ClickEvent;
import dev.streamfm.schema.Label;
import dev.streamfm.rejection.RecordRejectedException;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Iterator;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Replays labeled rows as the service sees production traffic: each row becomes an unlabeled
 * event, and its label (0 or 1) follows as a Label a fixed delay after the event's time, so the
 * scorer scores the event first and then joins it with its label into one training example.
 * A label goes out once the replay has reached its time (or at the end), which keeps both
 * topics in time order as the join expects.
 */
public final class Replayer {

    private final ReplaySink sink;
    private final InputValidator validator;
    private final double rate;
    private final long labelDelayMs;
    private final boolean keepTimes;
    private final PriorityQueue<Label> pending = new PriorityQueue<>(Comparator.comparing(Label::getEventTime));
    private final AtomicBoolean running = new AtomicBoolean(true);

    /**
     * @param validator  the spec rows must fit; a row it rejects is reported, not sent
     * @param rate       events per second, or 0 for as fast as the sink takes them
     * @param labelDelay time from an event to its label
     * @param keepTimes  true: the rows' own event times (a time column); false: times synthesised
     *                   from now, at the rate (or the wall clock when unpaced)
     */
    public Replayer(ReplaySink sink, InputValidator validator, double rate, Duration labelDelay, boolean keepTimes) {
        if (rate < 0 || Double.isNaN(rate)) {
            throw new IllegalArgumentException("--rate must be >= 0 (0 = as fast as the broker takes them), got "
                    + rate);
        }
        if (labelDelay.isNegative()) {
            throw new IllegalArgumentException("--label-delay must be >= 0, got " + labelDelay);
        }
        this.sink = sink;
        this.validator = validator;
        this.rate = rate;
        this.labelDelayMs = labelDelay.toMillis();
        this.keepTimes = keepTimes;
    }

    /** Ends {@link #run} after the current row; the labels of the rows sent still go out (Ctrl-C). */
    public void stop() {
        running.set(false);
    }

    /**
     * Sends every row (until {@link #stop()}), then the labels still pending, and waits until the
     * sink has them all.
     *
     * @param rejected told "event <id>: <why>" for each row the spec refuses
     * @param progress told of each row consumed, sent or not
     */
    public ReplaySummary run(Iterator<? extends LabeledEvent> rows, Consumer<String> rejected, LongConsumer progress) {
        long startNanos = System.nanoTime();
        long startMillis = System.currentTimeMillis();
        long events = 0;
        long labels = 0;
        long refused = 0;
        while (running.get() && rows.hasNext()) {
            LabeledEvent row = rows.next();
            progress.accept(1);
            try {
                validator.validate(row.event());
            } catch (RecordRejectedException e) {
                refused++;
                rejected.accept("event " + row.event().getEventId() + ": " + e.getMessage());
                continue;
            }
            if (rate > 0) {
                sleepUntil(startNanos + (long) (events * 1e9 / rate));
            }
            long time = keepTimes ? row.event().getEventTime().toEpochMilli()
                    : rate > 0 ? startMillis + (long) (events * 1000 / rate) : System.currentTimeMillis();
            labels += sendLabelsUpTo(time);
            ClickEvent event = ClickEvent.newBuilder(row.event()).setEventTime(Instant.ofEpochMilli(time))
                    .setLabel(null).build();
            sink.event(event);
            events++;
            pending.add(new Label(event.getEventId(), Instant.ofEpochMilli(time + labelDelayMs), row.label()));
        }
        labels += sendLabelsUpTo(Long.MAX_VALUE);
        sink.flush();
        return new ReplaySummary(events, labels, refused, (System.nanoTime() - startNanos) / 1e9);
    }

    private long sendLabelsUpTo(long time) {
        long sent = 0;
        while (!pending.isEmpty() && pending.peek().getEventTime().toEpochMilli() <= time) {
            sink.label(pending.poll());
            sent++;
        }
        return sent;
    }

    private static void sleepUntil(long nanoTime) {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("replay interrupted", e);
            }
        }
    }
}
