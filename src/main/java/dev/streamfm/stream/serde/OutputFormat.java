package dev.streamfm.stream.serde;

import dev.streamfm.config.Settings;
import dev.streamfm.config.StreamfmConfig;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How the service writes what consumers read: predictions and dead letters (the setting
 * streamfm.output.format). Avro single-object encoding for consumers with the generated classes;
 * plain JSON, one object per record, for everyone else (README, "Reading predictions").
 * Internal topics (examples, model) stay Avro whatever this says.
 */
public enum OutputFormat {
    AVRO,
    JSON;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static List<String> labels() {
        return Arrays.stream(values()).map(OutputFormat::label).toList();
    }

    public static OutputFormat parse(String label) {
        for (OutputFormat f : values()) {
            if (f.label().equalsIgnoreCase(label.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown output format '" + label + "'; use one of " + labels());
    }

    /** The format the configuration asks for (Settings.OUTPUT_FORMAT has validated it). */
    public static OutputFormat of(StreamfmConfig cfg) {
        return parse(cfg.get(Settings.OUTPUT_FORMAT));
    }

    /** The serializer of an output record type in this format. */
    public <T extends SpecificRecord> Serializer<T> serializer(Class<T> type) {
        if (this == AVRO) {
            return AvroSerde.of(type).serializer();
        }
        JsonRecordEncoder<T> json = JsonRecordEncoder.of(type);
        return (topic, record) -> {
            if (record == null) {
                return null;
            }
            try {
                return json.encode(record);
            } catch (RuntimeException e) {
                throw new SerializationException("topic " + topic + ": cannot write " + type.getSimpleName()
                        + " as JSON: " + e.getMessage(), e);
            }
        };
    }

    /** A serde for a sink of the topology: Kafka Streams only ever serializes there. */
    public <T extends SpecificRecord> Serde<T> sinkSerde(Class<T> type) {
        Serializer<T> serializer = serializer(type);
        return new Serde<>() {
            @Override
            public Serializer<T> serializer() {
                return serializer;
            }

            @Override
            public Deserializer<T> deserializer() {
                throw new UnsupportedOperationException("the service writes " + type.getSimpleName()
                        + " records and never reads them back");
            }
        };
    }
}
