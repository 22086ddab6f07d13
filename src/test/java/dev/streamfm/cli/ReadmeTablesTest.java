package dev.streamfm.cli;

import dev.streamfm.config.Setting;
import dev.streamfm.config.Settings;
import dev.streamfm.model.ModelConfig;
import dev.streamfm.model.ModelType;
import dev.streamfm.model.Tower;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's variant and model-default tables, and the command line's help, say what the
 * variant registry ({@link ModelType}) and the configuration defaults say: adding a variant or
 * changing a default without the README fails here, printing the line to paste.
 */
class ReadmeTablesTest {

    private static String readme() throws IOException {
        return Files.readString(Path.of("README.md"));
    }

    static String variantRow(ModelType t) {
        String towers = t.towers().isEmpty() ? "none" : labels(t.towers().stream().toList());
        String switchable = t.switchable().isEmpty() ? "-" : labels(t.switchable().stream().toList());
        String tables = t.towers().isEmpty() ? "none" : t.sharing().separateTables() ? "one per tower" : "one, shared";
        return "| `" + t.label() + "` | " + towers + " | " + switchable + " | " + tables + " | " + t.summary() + " |";
    }

    private static String labels(List<Tower> towers) {
        return towers.stream().map(Tower::label).collect(Collectors.joining(", "));
    }

    @Test
    void readmeListsEveryVariantAsRegistered() throws IOException {
        String readme = readme();
        for (ModelType t : ModelType.values()) {
            assertTrue(readme.contains(variantRow(t)), "README, Model variants, needs the row\n" + variantRow(t));
        }
        long rows = readme.lines().filter(l -> l.matches("\\| `[a-z-]+` \\| .* \\| .* \\| (none|one, shared|one per tower) \\| .*"))
                .count();
        assertEquals(ModelType.values().length, rows, "README lists a variant that is not registered");
    }

    @Test
    void readmeModelDefaultsAreTheSettingsDefaults() throws IOException {
        List<String> rows = readme().lines().filter(l -> l.startsWith("| `streamfm.model.")).toList();
        assertTrue(rows.size() >= 5, "README, Defaults and why, lists the model defaults: " + rows);
        for (String row : rows) {
            String[] cells = row.split("(?<!\\\\)\\|");
            String key = cells[1].trim().replace("`", "");
            Setting setting = Settings.ALL.stream().filter(s -> s.key().equals(key)).findFirst()
                    .orElseThrow(() -> new AssertionError("README names an unknown setting: " + row));
            String shown = cells[3].trim();
            boolean number = shown.matches("[0-9.]+");
            assertEquals(number ? String.valueOf(Double.parseDouble(setting.defaultValue())) : setting.defaultValue(),
                    number ? String.valueOf(Double.parseDouble(shown)) : shown, "README's default of " + key);
        }
    }

    @Test
    void helpNamesEveryVariantAndTheDefaults() {
        StringWriter out = new StringWriter();
        int exit = Main.commandLine().setOut(new PrintWriter(out)).execute("eval", "--help");
        assertEquals(0, exit);
        String help = out.toString().replaceAll("\\s+", " ");
        assertTrue(help.contains(String.join(", ", ModelType.labels())), help);
        assertTrue(help.contains("(default: " + ModelType.DEFAULT.label()), help);
        assertTrue(help.contains("learning rate of the table optimizer (default: 0.05)"), help);
        assertTrue(help.contains("--squared-gradients=batch|example|first-order"), help);
        assertTrue(help.contains("(default: " + ModelConfig.DEFAULTS.squaredGradients().label() + ";"), help);
    }
}
