package org.wgkaraf.engine.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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
    void keyedDigestsOfEveryKeyAndDigestLengthMatchBouncyCastleAndTheNextMessageIsUnkeyedAgain() {
        Random random = new Random(25519);
        byte[] expected = new byte[32];
        byte[] out = new byte[40];
        for (int keyLength = 1; keyLength <= 32; keyLength++) {
            for (int outLength : new int[] {16, 32, keyLength}) {
                for (int len : new int[] {0, 1, 63, 64, 65, 130}) {
                    byte[] key = new byte[keyLength];
                    byte[] data = new byte[len];
                    random.nextBytes(key);
                    random.nextBytes(data);
                    Blake2sDigest bc = new Blake2sDigest(key, outLength, null, null);
                    bc.update(data, 0, len);
                    bc.doFinal(expected, 0);
                    hasher.startKeyed(key, outLength);
                    hasher.update(data, 0, len);
                    hasher.doFinal(out, 3);
                    assertArrayEquals(Arrays.copyOf(expected, outLength), Arrays.copyOfRange(out, 3, 3 + outLength),
                            "key " + keyLength + ", digest " + outLength + ", data " + len);
                }
            }
        }
        byte[] plain = new byte[32];
        new Blake2sDigest(256).doFinal(expected, 0);
        hasher.doFinal(plain, 0);
        assertArrayEquals(Arrays.copyOf(expected, 32), plain, "after a keyed message: unkeyed, 32 bytes");
    }

    @Test
    void macWritesTheSixteenByteKeyedDigestIntoItsOwnInput() {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 9);
        byte[] msg = new byte[132];
        new Random(148).nextBytes(msg);
        byte[] expected = new byte[16];
        Blake2s.mac(key, msg, 0, 116, expected, 0);
        hasher.mac(key, msg, 0, 116, msg, 116);
        assertArrayEquals(expected, Arrays.copyOfRange(msg, 116, 132));
    }

    @Test
    void aMessageResumedAfterASavedFirstBlockMatchesBouncyCastleAndTheStateServesAgain() {
        Random random = new Random(2104);
        byte[] first = new byte[64];
        random.nextBytes(first);
        int[] state = new int[8];
        hasher.saveAfterBlock(first, state);
        byte[] out = new byte[32];
        byte[] expected = new byte[32];
        for (int len : new int[] {1, 33, 64, 65, 200}) {
            byte[] rest = new byte[len];
            random.nextBytes(rest);
            Blake2sDigest bc = new Blake2sDigest(256);
            bc.update(first, 0, 64);
            bc.update(rest, 0, len);
            bc.doFinal(expected, 0);
            hasher.resume(state);
            hasher.update(rest, 0, len);
            hasher.doFinal(out, 0);
            assertArrayEquals(expected, out, "64 + " + len + " bytes");
        }
        // the saved block was compressed as not the last, so a message cannot end right after it
        hasher.resume(state);
        assertThrows(IllegalStateException.class, () -> hasher.doFinal(out, 0));
        // saving left the hasher at the start of a plain message
        hasher.saveAfterBlock(first, state);
        hasher.update(first, 0, 10);
        hasher.doFinal(out, 0);
        Blake2sDigest bc = new Blake2sDigest(256);
        bc.update(first, 0, 10);
        bc.doFinal(expected, 0);
        assertArrayEquals(expected, out);
    }

    @Test
    void refusesKeysAndDigestsOutsideOneToThirtyTwoBytes() {
        assertThrows(IllegalArgumentException.class, () -> hasher.startKeyed(new byte[0], 16));
        assertThrows(IllegalArgumentException.class, () -> hasher.startKeyed(new byte[33], 16));
        assertThrows(IllegalArgumentException.class, () -> hasher.startKeyed(new byte[16], 0));
        assertThrows(IllegalArgumentException.class, () -> hasher.startKeyed(new byte[16], 33));
    }

    @Test
    void refusesARangeOutsideTheInput() {
        assertThrows(IndexOutOfBoundsException.class, () -> hasher.update(new byte[4], 2, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> hasher.update(new byte[4], -1, 1));
    }
}
