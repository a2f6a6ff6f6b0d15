package org.wgkaraf.engine.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.bouncycastle.crypto.digests.Blake2sDigest;
import org.junit.jupiter.api.Test;

/** The reusable BLAKE2s-256 against RFC 7693's example and BouncyCastle's digest, however the input is split. */
class Blake2sHasherTest {
    private final Blake2sHasher hasher = new Blake2sHasher();

    @Test
    void abcGivesTheDigestOfRfc7693AppendixB() {
        byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[32];
        hasher.update(abc, 0, 3);
        hasher.doFinal(out, 0);
        assertArrayEquals(HexFormat.of().parseHex("508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982"), out);
    }

    @Test
    void everyLengthAndEverySplitMatchesBouncyCastle() {
        Random random = new Random(7693);
        byte[] out = new byte[32];
        byte[] expected = new byte[32];
        for (int len = 0; len <= 300; len++) {
            byte[] data = new byte[len];
            random.nextBytes(data);
            Blake2sDigest bc = new Blake2sDigest(256);
            bc.update(data, 0, len);
            bc.doFinal(expected, 0);
            int cut = len == 0 ? 0 : random.nextInt(len + 1);
            hasher.update(data, 0, cut);
            hasher.update(data, cut, 0);
            hasher.update(data, cut, len - cut);
            hasher.doFinal(out, 0);
            assertArrayEquals(expected, out, "length " + len + " cut at " + cut);
        }
    }

    @Test
    void refusesARangeOutsideTheInput() {
        assertThrows(IndexOutOfBoundsException.class, () -> hasher.update(new byte[4], 2, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> hasher.update(new byte[4], -1, 1));
    }
}
