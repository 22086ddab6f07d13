package dev.streamfm.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DurationsTest {

    @Test
    void formatIsTheCompactFormParseReadsBack() {
        assertEquals("1h30m", Durations.format(Duration.ofMinutes(90)));
        assertEquals("500ms", Durations.format(Duration.ofMillis(500)));
        assertEquals("0s", Durations.format(Duration.ZERO));
        for (long ms : new long[] {1, 999, 1000, 61_001, 3_600_000, 90_061_001}) {
            assertEquals(Duration.ofMillis(ms), Durations.parse(Durations.format(Duration.ofMillis(ms))));
        }
    }

    @Test
    void shortFormsInEveryUnit() {
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
        assertEquals(Duration.ofSeconds(50), Durations.parse("50s"));
        assertEquals(Duration.ofMinutes(2), Durations.parse("2m"));
        assertEquals(Duration.ofHours(1), Durations.parse("1h"));
        assertEquals(Duration.ofDays(3), Durations.parse("3d"));
        assertEquals(Duration.ZERO, Durations.parse("0s"));
    }

    @Test
    void compoundsAddUpAndCaseAndSpacesDoNotMatter() {
        assertEquals(Duration.ofMinutes(90), Durations.parse("1h30m"));
        assertEquals(Duration.ofMillis(2_250), Durations.parse(" 2S250MS "));
    }

    @Test
    void isoEightSixOneStillWorks() {
        assertEquals(Duration.ofSeconds(50), Durations.parse("PT50S"));
        assertEquals(Duration.ofMinutes(5), Durations.parse("pt5m"));
        assertEquals(Duration.ofMillis(1500), Durations.parse("PT1.5S"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "50", "5 s", "5sec", "-5s", "1.5s", "s", "PT", "P1X", "5s5"})
    void anythingElseIsRefusedWithWhatADurationLooksLike(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
        assertTrue(e.getMessage().contains("'" + text + "' is not a duration such as 500ms, 50s"), e.getMessage());
    }

    @Test
    void negativeIsoIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse("-PT5S"));
        assertTrue(e.getMessage().contains("negative"), e.getMessage());
    }

    @Test
    void overflowIsRefusedNotWrapped() {
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("99999999999999999999d"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("9223372036854775807d"));
    }
}
