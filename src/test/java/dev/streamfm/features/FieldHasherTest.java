package dev.streamfm.features;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FieldHasherTest {

    /**
     * Buckets pinned from Guava 33's Hashing.murmur3_32_fixed() over UTF-8 "field\u0001value"
     * (an independent implementation): if these move, every trained model reads its ids wrong.
     */
    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
            "app,   x,        0x58A97D58, 672, 590",
            "f0,    v123,     0x8A3568CB, 121,  89",
            "tags,  sports,   0xC7ED70BC, 461, 587",
            "C1,    68fd1e64, 0xAA4E18D0, 985, 505",
            "city,  Zürich,   0xEC358EAF, 811, 426",
            "emoji, 😀,       0xDB65ED03, 690, 374",
    })
    void pinnedBuckets(String field, String value, String hash, int bucketOf1000, int bucketOf600) {
        byte[] key = (field + "\u0001" + value).getBytes(StandardCharsets.UTF_8);
        assertEquals(Integer.parseUnsignedInt(hash.substring(2), 16), Murmur3.hash32(key, 0, key.length, 0));
        FieldHasher hasher = new FieldHasher(List.of("other", field));
        assertEquals(bucketOf1000, hasher.bucket(1, value, 1000));
        assertEquals(bucketOf600, hasher.bucket(1, value, 600));
        assertEquals(bucketOf1000, FieldHasher.bucketOf(field, value, 1000));
    }

    @Test
    void fieldNameIsPartOfTheKey() {
        assertNotEquals(FieldHasher.bucketOf("a", "x", 1 << 20), FieldHasher.bucketOf("b", "x", 1 << 20));
        // the separator keeps "ab"+"c" apart from "a"+"bc"
        assertNotEquals(FieldHasher.bucketOf("ab", "c", 1 << 20), FieldHasher.bucketOf("a", "bc", 1 << 20));
    }

    @Test
    void bucketsStayInOneToBucketsMinusOneAndSpreadEvenly() {
        FieldHasher hasher = new FieldHasher(List.of("f"));
        int buckets = 11;
        int[] counts = new int[buckets];
        for (int i = 0; i < 100_000; i++) {
            counts[hasher.bucket(0, "v" + i, buckets)]++;
        }
        assertEquals(0, counts[0], "bucket 0 is the missing row");
        for (int b = 1; b < buckets; b++) {
            assertTrue(Math.abs(counts[b] - 10_000) < 500, "bucket " + b + " got " + counts[b]);
        }
        assertEquals(1, hasher.bucket(0, "anything", 2));
    }

    @Test
    void hotPathEqualsAllocatingPathOnAnyString() {
        Random random = new Random(7);
        FieldHasher hasher = new FieldHasher(List.of("f"));
        for (int i = 0; i < 20_000; i++) {
            String s = randomString(random, random.nextInt(i < 100 ? 400 : 12));
            byte[] expected = s.getBytes(StandardCharsets.UTF_8);
            byte[] dst = new byte[3 * s.length()];
            int end = FieldHasher.encodeUtf8(s, dst, 0);
            assertArrayEquals(expected, Arrays.copyOf(dst, end), "UTF-8 of " + s);
            assertEquals(FieldHasher.bucketOf("f", s, 1_000_003), hasher.bucket(0, s, 1_000_003));
        }
    }

    /** Mixes ASCII, 2- and 3-byte chars, surrogate pairs and unpaired surrogates. */
    private static String randomString(Random random, int length) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            switch (random.nextInt(6)) {
                case 0, 1 -> s.append((char) (0x20 + random.nextInt(0x5f)));
                case 2 -> s.append((char) (0x80 + random.nextInt(0x780)));
                case 3 -> s.append((char) (0x800 + random.nextInt(0xD000 - 0x800)));
                case 4 -> s.appendCodePoint(0x10000 + random.nextInt(0x100000));
                default -> s.append((char) (0xD800 + random.nextInt(0x800)));
            }
        }
        return s.toString();
    }
}
