package org.wgkaraf.engine.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Our own transport AEAD against BouncyCastle's, bit for bit, over random keys, counters, lengths
 * and offsets; and its refusal of anything altered. {@link TransportCipherTest} covers the
 * contract shared by all providers.
 */
class JavaTransportCipherTest {
    private static final int MAX_LEN = 2100;

    private static TransportCipher java(byte[] key) {
        return JavaTransportCipher.FACTORY.create(key);
    }

    private static TransportCipher bc(byte[] key) {
        return BcTransportCipher.FACTORY.create(key);
    }

    @Test
    void sealsAndOpensLikeBouncyCastleForEveryLengthUpTo2100() {
        Random random = new Random(0x8439L);
        byte[] key = new byte[32];
        random.nextBytes(key);
        TransportCipher ours = java(key);
        TransportCipher theirs = bc(key);
        for (int len = 0; len <= MAX_LEN; len++) {
            // Every tail length of ChaCha20 (mod 64) and of Poly1305 (mod 16) at several block counts.
            assertSameAsBouncyCastle(random, ours, theirs, random.nextLong(), len, random.nextInt(9), random.nextInt(9));
        }
    }

    @Test
    void sealsAndOpensLikeBouncyCastleForRandomKeysCountersAndOffsets() {
        Random random = new Random(20261203L);
        for (int trial = 0; trial < 300; trial++) {
            byte[] key = new byte[32];
            random.nextBytes(key);
            long counter = switch (trial % 4) {
                case 0 -> random.nextLong();
                case 1 -> random.nextInt(1 << 20);
                case 2 -> -1L - random.nextInt(4); // the top of the counter space
                default -> 0xffffffffL + random.nextInt(4) - 2; // across the 32-bit word boundary
            };
            int len = random.nextInt(MAX_LEN);
            assertSameAsBouncyCastle(random, java(key), bc(key), counter, len, 1 + 2 * random.nextInt(20), random.nextInt(40));
        }
    }

    @Test
    void staysEqualToBouncyCastleAfterTheJitHasCompiledTheVectorizedPath() {
        // C2 vectorizes ChaCha20Lanes only once it compiles it; interpreted code cannot show a
        // wrong vectorization. Thousands of long packets get it compiled while we compare.
        Random random = new Random(16L);
        byte[] key = new byte[32];
        random.nextBytes(key);
        TransportCipher ours = java(key);
        TransportCipher theirs = bc(key);
        for (int n = 0; n < 6_000; n++) {
            int len = ChaCha20Keystream.LANES_MIN_BYTES + random.nextInt(2 * ChaCha20Lanes.BYTES);
            assertSameAsBouncyCastle(random, ours, theirs, n, len, random.nextInt(3), random.nextInt(3));
        }
    }

    private static void assertSameAsBouncyCastle(Random random, TransportCipher ours, TransportCipher theirs,
            long counter, int len, int inOff, int outOff) {
        String what = "len " + len + ", counter " + counter + ", offsets " + inOff + "/" + outOff;
        byte[] plain = new byte[inOff + len + 3];
        random.nextBytes(plain);
        byte[] expected = new byte[outOff + len + 16 + 5];
        byte[] actual = new byte[expected.length];
        random.nextBytes(expected);
        System.arraycopy(expected, 0, actual, 0, expected.length);
        byte[] plainBefore = plain.clone();

        assertEquals(len + 16, theirs.seal(counter, plain, inOff, len, expected, outOff));
        assertEquals(len + 16, ours.seal(counter, plain, inOff, len, actual, outOff), what);
        assertArrayEquals(expected, actual, "sealed bytes, and nothing outside them touched: " + what);
        assertArrayEquals(plainBefore, plain, "input left alone: " + what);

        byte[] opened = new byte[len + 7];
        assertEquals(len, ours.open(counter, actual, outOff, len + 16, opened, 7), what);
        assertArrayEquals(Arrays.copyOfRange(plain, inOff, inOff + len), Arrays.copyOfRange(opened, 7, 7 + len), what);
    }

    @Test
    void everyFlippedBitOfCiphertextOrTagIsRefusedAndReleasesNothing() {
        Random random = new Random(7L);
        byte[] key = new byte[32];
        random.nextBytes(key);
        TransportCipher c = java(key);
        for (int len : new int[] {0, 1, 15, 16, 17, 63, 64, 65, 100}) {
            byte[] plain = new byte[len];
            random.nextBytes(plain);
            byte[] sealed = new byte[len + 16];
            c.seal(99, plain, 0, len, sealed, 0);
            for (int bit = 0; bit < 8 * sealed.length; bit++) {
                byte[] forged = sealed.clone();
                forged[bit >>> 3] ^= (byte) (1 << (bit & 7));
                byte[] out = new byte[len];
                Arrays.fill(out, (byte) 0x5a);
                assertEquals(-1, c.open(99, forged, 0, forged.length, out, 0), "len " + len + ", bit " + bit);
                byte[] untouched = new byte[len];
                Arrays.fill(untouched, (byte) 0x5a);
                assertArrayEquals(untouched, out, "no plaintext released: len " + len + ", bit " + bit);
            }
            byte[] out = new byte[len];
            assertEquals(len, c.open(99, sealed, 0, sealed.length, out, 0), "the genuine packet opens");
            assertArrayEquals(plain, out);
        }
    }

    @Test
    void aPacketOpensOnlyUnderItsOwnCounter() {
        byte[] key = Blake2sTest.sequence(32);
        TransportCipher c = java(key);
        byte[] sealed = new byte[40 + 16];
        long counter = 0x0000_0001_0000_0000L;
        c.seal(counter, new byte[40], 0, 40, sealed, 0);
        byte[] out = new byte[40];
        // Neighbours, zero, the halves swapped, an extra low bit, the top bit.
        for (long other : new long[] {counter - 1, counter + 1, 0, 1, 0x1_0000_0001L, Long.MIN_VALUE | counter}) {
            assertEquals(-1, c.open(other, sealed, 0, sealed.length, out, 0), "counter " + Long.toHexString(other));
        }
        assertEquals(40, c.open(counter, sealed, 0, sealed.length, out, 0));
    }

    @Test
    void theNonceIsThirtyTwoZeroBitsThenTheCounterLittleEndian() {
        // RFC 8439 A.5 uses nonce 00000000 0102030405060708; ChaChaPoly takes it as raw bytes.
        byte[] plain = Blake2sTest.sequence(70);
        byte[] expected = new byte[86];
        byte[] nonce = org.bouncycastle.util.encoders.Hex.decode("000000000102030405060708");
        ChaChaPoly.seal(ChaChaPolyTest.A5_KEY, nonce, plain, 0, plain.length, null, expected, 0);
        byte[] sealed = new byte[86];
        java(ChaChaPolyTest.A5_KEY).seal(0x0807060504030201L, plain, 0, 70, sealed, 0);
        assertArrayEquals(expected, sealed);
    }

    @Test
    void refusesBadKeysAndBoundsWithoutTouchingOutput() {
        assertThrows(IllegalArgumentException.class, () -> java(new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> java(new byte[33]));
        TransportCipher c = java(new byte[32]);
        byte[] small = new byte[20];
        assertThrows(IndexOutOfBoundsException.class, () -> c.seal(1, new byte[10], 0, 10, small, 0), "no room for the tag");
        assertArrayEquals(new byte[20], small);
        assertThrows(IndexOutOfBoundsException.class, () -> c.seal(1, new byte[10], 5, 10, new byte[64], 0));
        assertThrows(IndexOutOfBoundsException.class, () -> c.seal(1, new byte[10], 0, -1, new byte[64], 0));
        assertThrows(IndexOutOfBoundsException.class, () -> c.open(1, new byte[40], 0, 41, new byte[64], 0));
        assertThrows(IndexOutOfBoundsException.class, () -> c.open(1, new byte[40], 0, 40, new byte[10], 0));
    }
}
