package dev.streamfm.features;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class Murmur3Test {

    /** Published MurmurHash3_x86_32 vectors (smhasher-derived tables, e.g. Ian Boyd's on Stack Overflow). */
    @ParameterizedTest(name = "{0} seed {1}")
    @CsvSource({
            "'',                0x00000000, 0x00000000",
            "'',                0x00000001, 0x514E28B7",
            "'',                0xFFFFFFFF, 0x81F16F39",
            "FFFFFFFF,          0x00000000, 0x76293B50",
            "21436587,          0x00000000, 0xF55B516B",
            "21436587,          0x5082EDEE, 0x2362F9DE",
            "214365,            0x00000000, 0x7E4A8634",
            "2143,              0x00000000, 0xA0F7B07A",
            "21,                0x00000000, 0x72661CF4",
            "00000000,          0x00000000, 0x2362F9DE",
            "000000,            0x00000000, 0x85F0B427",
            "0000,              0x00000000, 0x30F4C306",
            "00,                0x00000000, 0x514E28B7",
    })
    void bytesVectors(String hex, String seed, String expected) {
        byte[] data = new byte[hex.length() / 2];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        assertEquals(Integer.parseUnsignedInt(expected.substring(2), 16),
                Murmur3.hash32(data, 0, data.length, Integer.parseUnsignedInt(seed.substring(2), 16)));
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @CsvSource({
            "aaaa,                                         0x9747B28C, 0x5A97808A",
            "aaa,                                          0x9747B28C, 0x283E0130",
            "aa,                                           0x9747B28C, 0x5D211726",
            "a,                                            0x9747B28C, 0x7FA09EA6",
            "abcd,                                         0x9747B28C, 0xF0478627",
            "abc,                                          0x9747B28C, 0xC84A62DD",
            "ab,                                           0x9747B28C, 0x74875592",
            "'Hello, world!',                              0x9747B28C, 0x24884CBA",
            "The quick brown fox jumps over the lazy dog, 0x9747B28C, 0x2FA826CD",
            "'Hello, world!',                              0x000004D2, 0xFAF6CDB3",
            "The quick brown fox jumps over the lazy dog, 0x00000000, 0x2E4FF723",
    })
    void stringVectors(String text, String seed, String expected) {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        assertEquals(Integer.parseUnsignedInt(expected.substring(2), 16),
                Murmur3.hash32(data, 0, data.length, Integer.parseUnsignedInt(seed.substring(2), 16)));
    }

    /** smhasher's VerificationTest for MurmurHash3_x86_32: every length 0..255 and every tail case. */
    @Test
    void smhasherVerificationValue() {
        byte[] key = new byte[256];
        byte[] hashes = new byte[256 * 4];
        for (int i = 0; i < 256; i++) {
            key[i] = (byte) i;
            int h = Murmur3.hash32(key, 0, i, 256 - i);
            for (int b = 0; b < 4; b++) {
                hashes[4 * i + b] = (byte) (h >>> 8 * b);
            }
        }
        assertEquals(0xB0F57EE3, Murmur3.hash32(hashes, 0, hashes.length, 0));
    }

    @Test
    void offsetIsHonoured() {
        byte[] padded = "xxHello, world!yy".getBytes(StandardCharsets.UTF_8);
        assertEquals(0x24884CBA, Murmur3.hash32(padded, 2, 13, 0x9747B28C));
    }
}
