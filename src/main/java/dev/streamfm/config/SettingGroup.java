package dev.streamfm.config;

import java.util.List;

/** Settings of one area (topics, model, scoring, ...), as `serve --help` shows them together. */
public record SettingGroup(String title, List<Setting> settings) {

    public SettingGroup {
        settings = List.copyOf(settings);
    }

    static SettingGroup of(String title, Setting... settings) {
        return new SettingGroup(title, List.of(settings));
    }
}
