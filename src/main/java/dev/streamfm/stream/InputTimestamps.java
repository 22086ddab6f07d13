package dev.streamfm.stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.TimestampExtractor;

import java.nio.ByteBuffer;
import java.util.OptionalLong;

/**
 * The timestamp extractor of the input topics. A record without a valid timestamp (-1 from an
 * old or foreign client, or any negative value) makes Kafka Streams' default extractor throw, and
 * the replaced thread meets the same record forever; an extractor that returned it negative
 * would make Kafka Streams drop the record without a trace. This one lets such a record through
 * at the partition's time, which moves no clock, and marks it in a header so that decoding sends
 * it to the dead-letter topic with its reason (README, Dead letters).
 */
public final class InputTimestamps implements TimestampExtractor {

    /** Header carrying the invalid timestamp a record arrived with. */
    static final String INVALID_TIMESTAMP_HEADER = "streamfm.invalid.timestamp";

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.timestamp() >= 0) {
            return record.timestamp();
        }
        if (record.headers().lastHeader(INVALID_TIMESTAMP_HEADER) == null) {
            record.headers().add(INVALID_TIMESTAMP_HEADER, ByteBuffer.allocate(Long.BYTES)
                    .putLong(record.timestamp()).array());
        }
        return Math.max(0, partitionTime);
    }

    /** The invalid timestamp a record arrived with, if the extractor marked it. */
    static OptionalLong invalidTimestamp(Headers headers) {
        Header h = headers.lastHeader(INVALID_TIMESTAMP_HEADER);
        return h == null || h.value() == null || h.value().length != Long.BYTES ? OptionalLong.empty()
                : OptionalLong.of(ByteBuffer.wrap(h.value()).getLong());
    }
}
