package dev.streamfm.deploy;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExternalToolTest {

    @Test
    void aToolOnPathIsUsed() {
        assertEquals(Path.of("/usr/bin/promtool"),
                ExternalTool.require("promtool", Optional.of(Path.of("/usr/bin/promtool")), true));
    }

    @Test
    void aMissingToolSkipsSayingHowToInstallItAndHowToMakeItFail() {
        TestAbortedException e = assertThrows(TestAbortedException.class,
                () -> ExternalTool.require("prometheus", Optional.empty(), false));
        assertTrue(e.getMessage().startsWith("skipped: 'prometheus' is not on PATH; install it with "
                + "`apt-get install -y prometheus`"), e.getMessage());
        assertTrue(e.getMessage().contains("STREAMFM_REQUIRE_TOOLS=1"), e.getMessage());
    }

    @Test
    void aMissingRequiredToolFails() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> ExternalTool.require("promtool", Optional.empty(), true));
        assertTrue(e.getMessage().startsWith("'promtool' is not on PATH"), e.getMessage());
    }

    @Test
    void theSwitchIsTheEnvironmentOrASystemProperty() {
        Properties none = new Properties();
        Properties on = new Properties();
        on.setProperty("streamfm.requireTools", "true");
        assertFalse(ExternalTool.toolsRequired(Map.of(), none));
        assertFalse(ExternalTool.toolsRequired(Map.of("STREAMFM_REQUIRE_TOOLS", "0"), none));
        assertTrue(ExternalTool.toolsRequired(Map.of("STREAMFM_REQUIRE_TOOLS", "1"), none));
        assertTrue(ExternalTool.toolsRequired(Map.of("STREAMFM_REQUIRE_TOOLS", "TRUE"), none));
        assertTrue(ExternalTool.toolsRequired(Map.of(), on));
    }
}
