package dev.streamfm.stream;

import dev.streamfm.schema.ClickEvent;
import dev.streamfm.stream.serde.AvroSerde;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Store format of a pending event: timestamp, key, then the event in Avro single-object encoding. */
final class PendingEventCodec {

    private PendingEventCodec() {
    }

    private static final AvroSerde<ClickEvent> EVENTS = AvroSerde.of(ClickEvent.class);

    /** A pending event of a record just read: its event encoded once, for this store and the attribution store. */
    static PendingEvent pending(long offset, String key, long timestamp, ClickEvent event) {
        return new PendingEvent(offset, key, timestamp, event, EVENTS.encode(event));
    }

    static byte[] encode(PendingEvent p) {
        byte[] event = p.avro();
        byte[] key = p.key() == null ? new byte[0] : p.key().getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(8 + 4 + key.length + event.length);
        out.putLong(p.timestamp()).putInt(p.key() == null ? -1 : key.length).put(key).put(event);
        return out.array();
    }

    static PendingEvent decode(long offset, byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        long ts = in.getLong();
        int keyLen = in.getInt();
        String key = null;
        if (keyLen >= 0) {
            byte[] k = new byte[keyLen];
            in.get(k);
            key = new String(k, StandardCharsets.UTF_8);
        }
        byte[] event = new byte[in.remaining()];
        in.get(event);
        try {
            return new PendingEvent(offset, key, ts, EVENTS.decode(event), event);
        } catch (RecordRejectedException e) {
            throw new IllegalStateException("corrupt pending event at offset " + offset + " in the scoring store: "
                    + e.getMessage(), e);
        }
    }
}
