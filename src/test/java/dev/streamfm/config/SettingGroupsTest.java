package dev.streamfm.config;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `serve --help` lists every setting once, under its area, indented and within the width. */
class SettingGroupsTest {

    @Test
    void everyDeclaredSettingIsInExactlyOneGroup() throws IllegalAccessException {
        List<Setting> declared = new ArrayList<>();
        for (Field f : Settings.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == Setting.class) {
                declared.add((Setting) f.get(null));
            }
        }
        assertEquals(declared.size(), Settings.ALL.size(), "a setting is missing from Settings.GROUPS or listed twice");
        assertTrue(Settings.ALL.containsAll(declared));
    }

    @Test
    void helpShowsEachKeyUnderItsAreaWithTheDescriptionIndentedBelow() {
        List<String> lines = StreamfmConfig.helpLines(80);
        for (String line : lines) {
            assertTrue(line.length() <= 80, "longer than 80: " + line);
        }
        int topics = lines.indexOf("Topics:");
        int model = lines.indexOf("Model:");
        int key = lines.indexOf("  streamfm.output.format = avro");
        assertTrue(topics >= 0 && topics < key && key < model, "output.format under Topics");
        assertTrue(lines.get(key + 1).startsWith("      Encoding of predictions"), lines.get(key + 1));
        for (Setting s : Settings.ALL) {
            int at = lines.indexOf("  " + s.key() + " = " + (s.defaultValue().isEmpty() ? "(empty)" : s.defaultValue()));
            assertTrue(at >= 0, s.key());
            assertTrue(lines.get(at + 1).startsWith("      ") && !lines.get(at + 1).isBlank(), s.key());
        }
    }
}
