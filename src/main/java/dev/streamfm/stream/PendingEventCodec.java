package dev.streamfm.stream;

import dev.streamfm.schema.ClickEvent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Store format of a pending event: timestamp, key, then the event in Avro single-object encoding. */
final class PendingEventCodec {

    private PendingEventCodec() {
    }

    static byte[] encode(PendingEvent p) {
        try {
            ByteBuffer event = ClickEvent.getEncoder().encode(p.event());
            byte[] key = p.key() == null ? new byte[0] : p.key().getBytes(StandardCharsets.UTF_8);
            ByteBuffer out = ByteBuffer.allocate(8 + 4 + key.length + event.remaining());
            out.putLong(p.timestamp()).putInt(p.key() == null ? -1 : key.length).put(key).put(event);
            return out.array();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a pending event", e);
        }
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
        try {
            return new PendingEvent(offset, key, ts, ClickEvent.getDecoder().decode(in.slice()));
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt pending event at offset " + offset + " in the scoring store", e);
        }
    }
}
