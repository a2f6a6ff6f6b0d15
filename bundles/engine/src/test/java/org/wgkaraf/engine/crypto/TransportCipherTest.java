package org.wgkaraf.engine.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every transport AEAD against RFC 8439 (through ChaChaPoly) and each other, in place and forged. */
class TransportCipherTest {

    private static TransportCipher cipher(TransportProvider provider, byte[] key) {
        return provider.factory().create(key);
    }

    @ParameterizedTest
    @EnumSource(TransportProvider.class)
    void sealMatchesChaChaPolyOnRfc8439AppendixA5KeyAndCounter(TransportProvider provider) {
        // The transport has no associated data, so A.5's sealed bytes cannot be used as they are; the
        // RFC-verified one-shot ChaChaPoly gives the expected bytes for the same key, counter and text.
        byte[] plain = ChaChaPolyTest.A5_PLAINTEXT;
        byte[] expected = new byte[plain.length + 16];
        ChaChaPoly.seal(ChaChaPolyTest.A5_KEY, ChaChaPolyTest.A5_COUNTER, plain, null, expected, 0);

        byte[] out = new byte[plain.length + 16];
        TransportCipher c = cipher(provider, ChaChaPolyTest.A5_KEY);
        assertEquals(out.length, c.seal(ChaChaPolyTest.A5_COUNTER, plain, 0, plain.length, out, 0));
        assertArrayEquals(expected, out);
    }

    @ParameterizedTest
    @EnumSource(TransportProvider.class)
    void sealMatchesChaChaPolyForManySizesAndCounters(TransportProvider provider) {
        Random random = new Random(8439L);
        byte[] key = new byte[32];
        random.nextBytes(key);
        TransportCipher c = cipher(provider, key);
        long counter = 0;
        for (int size : new int[] {0, 1, 15, 16, 17, 63, 64, 65, 127, 1420, 1500, 16384}) {
            byte[] plain = new byte[size];
            random.nextBytes(plain);
            byte[] expected = new byte[size + 16];
            ChaChaPoly.seal(key, counter, plain, null, expected, 0);
            byte[] out = new byte[size + 16 + 7];
            assertEquals(size + 16, c.seal(counter, plain, 0, size, out, 7));
            assertArrayEquals(expected, Arrays.copyOfRange(out, 7, 7 + size + 16), "size " + size);
            counter = counter * 31 + 0x1_0000_0001L;
        }
    }

    @ParameterizedTest
    @EnumSource(TransportProvider.class)
    void opensWhatChaChaPolySealed(TransportProvider provider) {
        byte[] plain = ChaChaPolyTest.A5_PLAINTEXT;
        byte[] sealed = new byte[plain.length + 16];
        long counter = Long.MAX_VALUE - 3;
        ChaChaPoly.seal(ChaChaPolyTest.A5_KEY, counter, plain, null, sealed, 0);
        byte[] out = new byte[plain.length];
        assertEquals(plain.length, cipher(provider, ChaChaPolyTest.A5_KEY).open(counter, sealed, 0, sealed.length, out, 0));
        assertArrayEquals(plain, out);
    }

    @ParameterizedTest
    @EnumSource(TransportProvider.class)
    void roundTripsInPlaceAtAnOffset(TransportProvider provider) {
        Random random = new Random(42L);
        byte[] key = new byte[32];
        random.nextBytes(key);
        TransportCipher sender = cipher(provider, key);
        TransportCipher receiver = cipher(provider, key);
        // The engine's layout: a 16-byte transport header, then the payload, then room for the tag.
        for (int size : new int[] {0, 16, 1420, 9000}) {
            byte[] plain = new byte[size];
            random.nextBytes(plain);
            byte[] buf = new byte[16 + size + 16];
            System.arraycopy(plain, 0, buf, 16, size);
            long counter = 1000 + size;
            assertEquals(size + 16, sender.seal(counter, buf, 16, size, buf, 16));
            assertFalse(size > 0 && Arrays.equals(plain, Arrays.copyOfRange(buf, 16, 16 + size)), "sealed in place");
            assertEquals(size, receiver.open(counter, buf, 16, size + 16, buf, 16));
            assertArrayEquals(plain, Arrays.copyOfRange(buf, 16, 16 + size), "size " + size);
        }
    }

    @ParameterizedTest
    @EnumSource(TransportProvider.class)
    void allProvidersInteroperate(TransportProvider provider) {
        byte[] key = Blake2sTest.sequence(32);
        byte[] plain = Blake2sTest.sequence(200);
        byte[] sealed = new byte[216];
        cipher(provider, key).seal(77, plain, 0, 200, sealed, 0);
        for (TransportProvider other : TransportProvider.values()) {
            byte[] out = new byte[200];
            assertEquals(200, cipher(other, key).open(77, sealed, 0, 216, out, 0), provider + " to " + other);
            assertArrayEquals(plain, out, provider + " to " + other);
        }
    }

    @ParameterizedTest
    @EnumSource(TransportProvider.class)
    void openRejectsForgedTagFlippedBitWrongCounterAndTruncation(TransportProvider provider) {
        byte[] key = Blake2sTest.sequence(32);
        byte[] plain = Blake2sTest.sequence(100);
        byte[] sealed = new byte[116];
        TransportCipher c = cipher(provider, key);
        c.seal(5, plain, 0, 100, sealed, 0);
        byte[] out = new byte[116];

        byte[] forged = sealed.clone();
        forged[115] ^= 0x40;
        assertEquals(-1, c.open(5, forged, 0, 116, out, 0), "forged tag");
        for (int i = 0; i < 100; i += 9) {
            byte[] flipped = sealed.clone();
            flipped[i] ^= 1;
            assertEquals(-1, c.open(5, flipped, 0, 116, out, 0), "flipped byte " + i);
        }
        assertEquals(-1, c.open(6, sealed, 0, 116, out, 0), "wrong counter");
        assertEquals(-1, c.open(5, sealed, 0, 115, out, 0), "one byte short");
        assertEquals(-1, c.open(5, sealed, 0, 15, out, 0), "shorter than a tag");
        assertEquals(-1, c.open(5, sealed, 0, 0, out, 0), "empty");
        assertEquals(100, c.open(5, sealed, 0, 116, out, 0), "the genuine packet still opens");
    }

    @ParameterizedTest
    @EnumSource(TransportProvider.class)
    void genuinePacketOpensAfterAForgeryWithTheSameCounter(TransportProvider provider) {
        // A peer on the path can send a forgery carrying the next counter; it must not block the real packet.
        byte[] key = Blake2sTest.sequence(32);
        byte[] sealed = new byte[48];
        cipher(provider, key).seal(12, new byte[32], 0, 32, sealed, 0);
        TransportCipher receiver = cipher(provider, key);
        byte[] forged = sealed.clone();
        forged[0] ^= 1;
        byte[] out = new byte[32];
        assertEquals(-1, receiver.open(12, forged, 0, 48, out, 0));
        assertEquals(-1, receiver.open(12, forged, 0, 48, out, 0));
        assertEquals(32, receiver.open(12, sealed, 0, 48, out, 0));
        assertEquals(32, receiver.open(12, sealed, 0, 48, out, 0), "opening is repeatable; replay is the window's job");
    }

    @ParameterizedTest
    @EnumSource(TransportProvider.class)
    void forgedPacketOpenedInPlaceIsLeftAsItWas(TransportProvider provider) {
        byte[] key = Blake2sTest.sequence(32);
        byte[] buf = new byte[64 + 16];
        TransportCipher c = cipher(provider, key);
        c.seal(9, buf, 0, 64, buf, 0);
        buf[80 - 1] ^= 1;
        byte[] before = buf.clone();
        assertEquals(-1, c.open(9, buf, 0, 80, buf, 0));
        assertArrayEquals(before, buf);
    }

    @ParameterizedTest
    @EnumSource(TransportProvider.class)
    void destroyZeroesTheKeyAndRetiresTheCipher(TransportProvider provider) {
        byte[] key = Blake2sTest.sequence(32);
        TransportCipher c = cipher(provider, key);
        assertArrayEquals(key, keyMaterial(c), "the cipher holds the key before destroy");
        c.destroy();
        assertArrayEquals(new byte[32], keyMaterial(c));
        assertThrows(IllegalStateException.class, () -> c.seal(1, new byte[1], 0, 1, new byte[17], 0));
        assertThrows(IllegalStateException.class, () -> c.open(1, new byte[17], 0, 17, new byte[1], 0));
    }

    @ParameterizedTest
    @EnumSource(TransportProvider.class)
    void cipherCopiesTheKeyItIsGiven(TransportProvider provider) {
        byte[] key = Blake2sTest.sequence(32);
        TransportCipher c = cipher(provider, key);
        byte[] expected = new byte[32];
        c.seal(3, new byte[16], 0, 16, expected, 0);
        Arrays.fill(key, (byte) 0);
        byte[] again = new byte[32];
        cipher(provider, Blake2sTest.sequence(32)).seal(3, new byte[16], 0, 16, again, 0);
        byte[] after = new byte[32];
        c.open(3, again, 0, 32, after, 0);
        assertArrayEquals(new byte[16], Arrays.copyOf(after, 16), "still keyed with the original key");
    }

    private static byte[] keyMaterial(TransportCipher c) {
        if (c instanceof BcTransportCipher bc) {
            return bc.keyMaterial();
        }
        if (c instanceof JavaTransportCipher java) {
            return java.keyMaterial();
        }
        return ((JceTransportCipher) c).keyMaterial();
    }
}
