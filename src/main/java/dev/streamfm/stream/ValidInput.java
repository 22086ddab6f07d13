package dev.streamfm.stream;

import dev.streamfm.config.StreamfmConfig;
import dev.streamfm.config.Topics;
import dev.streamfm.metrics.StreamfmMetrics;
import dev.streamfm.schema.DeadLetter;
import dev.streamfm.stream.serde.OutputFormat;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

import java.time.Instant;
import java.util.Map;

/** The entry of every input topic: raw bytes in, valid records out, the rest to the dead-letter topic. */
final class ValidInput {

    private ValidInput() {
    }

    /** Source -> decode -> valid records continue; rejected ones go to the dead-letter topic. */
    public static <T> KStream<String, T> decodeOrDeadLetter(StreamsBuilder builder, String topic, String name,
                                                     DecodeProcessor.Decoder<T> decoder, DecodeProcessor.RecordCheck<T> recordCheck,
                                                     TimestampBounds bounds, StreamfmConfig cfg, StreamfmMetrics metrics) {
        Topics topics = cfg.topics();
        Map<String, KStream<String, Decoded<T>>> branches = builder
                .stream(topic, Consumed.with(Serdes.String(), Serdes.ByteArray())
                        .withTimestampExtractor(new InputTimestamps()).withName(name + "-source"))
                .processValues(() -> new DecodeProcessor<>(decoder, recordCheck, metrics, bounds),
                        Named.as("decode-" + name))
                .split(Named.as(name + "-"))
                .branch((k, d) -> !d.isOk(), Branched.as("rejected"))
                .defaultBranch(Branched.as("valid"));
        branches.get(name + "-rejected")
                .map((k, d) -> KeyValue.pair(DeadLetters.keyOf(k), DeadLetters.of(d.rejection(), Instant.now())),
                        Named.as(name + "-to-dead-letter"))
                .to(topics.deadLetters(), Produced.with(Serdes.String(), OutputFormat.of(cfg).sinkSerde(DeadLetter.class))
                        .withName(name + "-dead-letter-sink"));
        return branches.get(name + "-valid").mapValues(Decoded::value, Named.as(name + "-unwrap"));
    }
}
