package dev.streamfm.stream.serde;

import dev.streamfm.schema.ClickEvent;

import java.nio.charset.StandardCharsets;

/**
 * Run in a fresh JVM without the SERIALIZABLE_PACKAGES property by {@link AvroTrustTest}: decodes
 * an event with Avro's own decoder ("raw"), or through AvroSerde and JsonRecordDecoder ("serde").
 * Exit 0 = decoded, 3 = Avro refused the class.
 */
public final class AvroTrustProbe {

    private AvroTrustProbe() {
    }

    public static void main(String[] args) throws Exception {
        byte[] bytes = ClickEvent.getEncoder().encode(SampleRecords.clickEvent()).array();
        try {
            if ("raw".equals(args[0])) {
                System.exit(ClickEvent.getDecoder().decode(bytes).equals(SampleRecords.clickEvent()) ? 0 : 1);
            }
            ClickEvent avro = AvroSerde.of(ClickEvent.class).decode(bytes);
            ClickEvent json = JsonRecordDecoder.of(ClickEvent.class).decode(
                    "{\"event_id\":\"e\",\"event_time\":1}".getBytes(StandardCharsets.UTF_8));
            System.exit(avro.equals(SampleRecords.clickEvent()) && json.getEventId().equals("e") ? 0 : 1);
        } catch (SecurityException e) {
            System.exit(3);
        }
    }
}
