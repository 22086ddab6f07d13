package dev.streamfm.replay;

import dev.streamfm.features.FeatureSpec;
import dev.streamfm.features.InputValidator;
import dev.streamfm.schema.ClickEvent;
import dev.streamfm.schema.Label;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplayerTest {

    private static final FeatureSpec SPEC = FeatureSpec.parse("""
            fields:
              - {name: f0, kind: categorical, buckets: 64}
              - {name: f1, kind: categorical, buckets: 64}
            """);

    /** What reached the sink, in order. */
    private static final class ListSink implements ReplaySink {
        final List<SpecificRecord> sent = new ArrayList<>();
        int flushes;

        @Override
        public void event(ClickEvent event) {
            sent.add(event);
        }

        @Override
        public void label(Label label) {
            sent.add(label);
        }

        @Override
        public void flush() {
            flushes++;
        }

        List<ClickEvent> events() {
            return sent.stream().filter(r -> r instanceof ClickEvent).map(r -> (ClickEvent) r).toList();
        }

        List<Label> labels() {
            return sent.stream().filter(r -> r instanceof Label).map(r -> (Label) r).toList();
        }
    }

    private static LogReader rows(String libfm) throws IOException {
        return LogReader.of(new BufferedReader(new StringReader(libfm)), "day.libfm", LogFormat.LIBFM,
                ReaderOptions.DEFAULT, p -> { });
    }

    @Test
    void everyRowIsAnUnlabeledEventFollowedByItsLabelAfterTheDelay() throws IOException {
        ListSink sink = new ListSink();
        List<String> rejected = new ArrayList<>();
        long[] progress = {0};
        long before = System.currentTimeMillis();
        ReplaySummary s = new Replayer(sink, new InputValidator(SPEC), 0, Duration.ofMillis(300), false)
                .run(rows("1 3:1 4:1\n0 5:1 6:1\n-1 7:1 8:1\n"), rejected::add, n -> progress[0] += n);

        assertEquals(new ReplaySummary(3, 3, 0, s.seconds()), s);
        assertEquals(3, progress[0]);
        assertTrue(rejected.isEmpty(), rejected.toString());
        assertEquals(1, sink.flushes, "the replay ends when the sink has everything");
        List<ClickEvent> events = sink.events();
        assertEquals(List.of("day.libfm:1", "day.libfm:2", "day.libfm:3"),
                events.stream().map(ClickEvent::getEventId).toList(), "ids are deterministic: file and line");
        Map<String, Long> eventTimes = new HashMap<>();
        for (ClickEvent e : events) {
            assertNull(e.getLabel(), "the label travels on the labels topic");
            long t = e.getEventTime().toEpochMilli();
            assertTrue(t >= before && t <= System.currentTimeMillis(), "unpaced: times are the wall clock");
            eventTimes.put(e.getEventId(), t);
        }
        assertEquals(Map.of("f0", "3", "f1", "4"), events.get(0).getCategorical());
        List<Label> labels = sink.labels();
        assertEquals(List.of(1, 0, 0), labels.stream().map(Label::getLabel).toList());
        for (Label l : labels) {
            assertEquals(eventTimes.get(l.getEventId()) + 300, l.getEventTime().toEpochMilli());
            assertTrue(sink.sent.indexOf(l) > sink.sent.indexOf(events.stream()
                    .filter(e -> e.getEventId().equals(l.getEventId())).findFirst().orElseThrow()),
                    "a label follows its event");
        }
    }

    @Test
    void pacedRowsAreSpacedAtTheRateAndLabelsGoOutOnceTheReplayReachesTheirTime() throws IOException {
        ListSink sink = new ListSink();
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < 21; i++) {
            log.append("1 ").append(i).append(":1 0:1\n");
        }
        ReplaySummary s = new Replayer(sink, new InputValidator(SPEC), 100, Duration.ofMillis(50), false)
                .run(rows(log.toString()), m -> { }, n -> { });

        assertTrue(s.seconds() >= 0.19, "21 rows at 100/s take 0.2 s, took " + s.seconds());
        List<ClickEvent> events = sink.events();
        long start = events.get(0).getEventTime().toEpochMilli();
        for (int i = 0; i < events.size(); i++) {
            assertEquals(start + 10L * i, events.get(i).getEventTime().toEpochMilli(), "event " + i);
        }
        // Label of row 0 (t+50) goes out just before the event at t+50, not at the end.
        int label0 = sink.sent.indexOf(sink.labels().get(0));
        assertEquals(events.get(5), sink.sent.get(label0 + 1));
        long previous = Long.MIN_VALUE;
        for (Label l : sink.labels()) {
            assertTrue(l.getEventTime().toEpochMilli() >= previous, "labels in time order");
            previous = l.getEventTime().toEpochMilli();
        }
    }

    @Test
    void rowsTheSpecRefusesAreReportedWithTheirLineAndNotSent() throws IOException {
        ListSink sink = new ListSink();
        List<String> rejected = new ArrayList<>();
        FeatureSpec numeric = FeatureSpec.parse("""
                fields:
                  - {name: f0, kind: numeric}
                """);
        ReplaySummary s = new Replayer(sink, new InputValidator(numeric), 0, Duration.ZERO, false)
                .run(rows("1 3:1\n"), rejected::add, n -> { });
        assertEquals(0, s.events());
        assertEquals(1, s.rejected());
        assertTrue(sink.sent.isEmpty());
        assertEquals(1, rejected.size());
        assertTrue(rejected.get(0).startsWith("event day.libfm:1: "), rejected.get(0));
    }

    @Test
    void keptTimesComeFromTheRows() throws IOException {
        ListSink sink = new ListSink();
        new Replayer(sink, new InputValidator(SPEC), 0, Duration.ofSeconds(1), true)
                .run(rows("1 3:1\n1 4:1\n"), m -> { }, n -> { });
        // The reader stamps a row with its line number when there is no time column.
        assertEquals(List.of(1L, 2L), sink.events().stream().map(e -> e.getEventTime().toEpochMilli()).toList());
        assertEquals(List.of(1001L, 1002L), sink.labels().stream().map(l -> l.getEventTime().toEpochMilli()).toList());
    }
}
