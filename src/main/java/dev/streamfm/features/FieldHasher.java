package dev.streamfm.features;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Maps a categorical value to its bucket, the same on every JVM and run (a contract: a model
 * trained today must read tomorrow's ids the same way, and non-Java producers may reproduce it):
 * <pre>bucket = 1 + unsigned(murmur3_x86_32(utf8(field + "\u0001" + value), seed 0)) mod (buckets - 1)</pre>
 * Bucket 0 is the field's missing row. Not thread-safe: it encodes into a reused buffer so the
 * hot path allocates nothing.
 */
public final class FieldHasher {

    static final char SEPARATOR = '\u0001';

    private final byte[][] prefixes;
    private byte[] scratch = new byte[256];

    /** A hasher for the given field names; {@link #bucket(int, String, int)} takes their index. */
    public FieldHasher(List<String> fieldNames) {
        prefixes = new byte[fieldNames.size()][];
        for (int f = 0; f < prefixes.length; f++) {
            prefixes[f] = (fieldNames.get(f) + SEPARATOR).getBytes(StandardCharsets.UTF_8);
        }
    }

    /** Bucket in 1..buckets-1 of value in field number {@code field}. */
    public int bucket(int field, String value, int buckets) {
        byte[] prefix = prefixes[field];
        int worst = prefix.length + 3 * value.length(); // UTF-8 never needs more than 3 bytes per UTF-16 char
        if (scratch.length < worst) {
            scratch = new byte[Math.max(worst, 2 * scratch.length)];
        }
        System.arraycopy(prefix, 0, scratch, 0, prefix.length);
        int length = encodeUtf8(value, scratch, prefix.length);
        return toBucket(Murmur3.hash32(scratch, 0, length, 0), buckets);
    }

    /** The same mapping without a hasher; allocates, so not for the hot path. */
    public static int bucketOf(String field, String value, int buckets) {
        byte[] bytes = (field + SEPARATOR + value).getBytes(StandardCharsets.UTF_8);
        return toBucket(Murmur3.hash32(bytes, 0, bytes.length, 0), buckets);
    }

    private static int toBucket(int hash, int buckets) {
        return 1 + Integer.remainderUnsigned(hash, buckets - 1);
    }

    /**
     * Writes s as UTF-8 from dst[at], exactly as String.getBytes(UTF_8) does (an unpaired
     * surrogate becomes '?'), and returns the end offset.
     */
    static int encodeUtf8(String s, byte[] dst, int at) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                dst[at++] = (byte) c;
            } else if (c < 0x800) {
                dst[at++] = (byte) (0xc0 | c >> 6);
                dst[at++] = (byte) (0x80 | c & 0x3f);
            } else if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, s.charAt(++i));
                    dst[at++] = (byte) (0xf0 | cp >> 18);
                    dst[at++] = (byte) (0x80 | cp >> 12 & 0x3f);
                    dst[at++] = (byte) (0x80 | cp >> 6 & 0x3f);
                    dst[at++] = (byte) (0x80 | cp & 0x3f);
                } else {
                    dst[at++] = '?';
                }
            } else {
                dst[at++] = (byte) (0xe0 | c >> 12);
                dst[at++] = (byte) (0x80 | c >> 6 & 0x3f);
                dst[at++] = (byte) (0x80 | c & 0x3f);
            }
        }
        return at;
    }
}
