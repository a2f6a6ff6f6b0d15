package org.wgkaraf.engine.crypto;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import java.util.stream.Stream;
import org.bouncycastle.crypto.digests.Blake2sDigest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** BLAKE2s known answers, and MAC / HMAC / KDF against independent constructions. */
class Blake2sTest {
    private static final byte[] KAT_KEY = sequence(32);

    @Test
    void hashOfAbcMatchesRfc7693AppendixB() {
        byte[] out = new byte[32];
        Blake2s.hash(out, "abc".getBytes(US_ASCII));
        assertEquals("508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982", Hex.toHexString(out));
    }

    @Test
    void hashOfThePartsIsTheHashOfTheirConcatenation() {
        byte[] whole = new byte[32];
        byte[] split = new byte[32];
        Blake2s.hash(whole, "abc".getBytes(US_ASCII));
        Blake2s.hash(split, "a".getBytes(US_ASCII), new byte[0], "bc".getBytes(US_ASCII));
        assertArrayEquals(whole, split);
    }

    @Test
    void hashYieldsWireGuardsInitialChainingKeyAndHash() {
        // Whitepaper section 5.4.2: Ci = HASH(CONSTRUCTION), Hi = HASH(Ci || IDENTIFIER).
        byte[] ck = new byte[32];
        byte[] h = new byte[32];
        Blake2s.hash(ck, "Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s".getBytes(US_ASCII));
        Blake2s.hash(h, ck, "WireGuard v1 zx2c4 Jason@zx2c4.com".getBytes(US_ASCII));
        assertEquals("60e26daef327efc02ec335e2a025d2d016eb4206f87277f52d38d1988b78cd36", Hex.toHexString(ck));
        assertEquals("2211b361081ac566691243db458ad5322d9c6c662293e8b70ee19c65ba079ef3", Hex.toHexString(h));
    }

    /** blake2s_keyed_kat of the BLAKE2 reference (testvectors/blake2-kat.h): key 00..1f, input 00..(n-1). */
    static Stream<Arguments> keyedKnownAnswers() {
        return Stream.of(
                Arguments.of(0, "48a8997da407876b3d79c0d92325ad3b89cbb754d86ab71aee047ad345fd2c49"),
                Arguments.of(1, "40d15fee7c328830166ac3f918650f807e7e01e177258cdc0a39b11f598066f1"),
                Arguments.of(3, "1d220dbe2ee134661fdf6d9e74b41704710556f2f6e5a091b227697445dbea6b"),
                Arguments.of(63, "c65382513f07460da39833cb666c5ed82e61b9e998f4b0c4287cee56c3cc9bcd"),
                Arguments.of(64, "8975b0577fd35566d750b362b0897a26c399136df07bababbde6203ff2954ed4"),
                Arguments.of(65, "21fe0ceb0052be7fb0f004187cacd7de67fa6eb0938d927677f2398c132317a8"),
                Arguments.of(255, "3fb735061abc519dfe979e54c1ee5bfad0a9d858b3315bad34bde999efd724dd"));
    }

    @ParameterizedTest(name = "input length {0}")
    @MethodSource("keyedKnownAnswers")
    void keyedHashMatchesBlake2ReferenceKnownAnswers(int length, String expected) {
        byte[] out = new byte[32];
        Blake2s.keyed(KAT_KEY, sequence(length), 0, length, out, 0, 32);
        assertEquals(expected, Hex.toHexString(out));
    }

    @ParameterizedTest(name = "input length {0}")
    @MethodSource("keyedKnownAnswers")
    void referenceImplementationMatchesTheKnownAnswersItself(int length, String expected) {
        assertEquals(expected, Hex.toHexString(ReferenceBlake2s.digest(KAT_KEY, sequence(length), 32)));
    }

    @Test
    void referenceImplementationMatchesRfc7693AppendixB() {
        assertEquals("508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982",
                Hex.toHexString(ReferenceBlake2s.digest(new byte[0], "abc".getBytes(US_ASCII), 32)));
    }

    @ParameterizedTest(name = "key length {0}")
    @ValueSource(ints = {1, 16, 31, 32})
    void macIsKeyedBlake2sWith16ByteDigest(int keyLength) {
        Random random = new Random(7693L + keyLength);
        for (int dataLength : new int[] {0, 1, 15, 16, 17, 64, 65, 116, 148, 500}) {
            byte[] key = new byte[keyLength];
            byte[] data = new byte[dataLength + 3];
            random.nextBytes(key);
            random.nextBytes(data);
            byte[] out = new byte[Blake2s.MAC_SIZE + 2];
            Blake2s.mac(key, data, 3, dataLength, out, 2);
            byte[] expected = ReferenceBlake2s.digest(key, java.util.Arrays.copyOfRange(data, 3, 3 + dataLength), 16);
            assertArrayEquals(expected, java.util.Arrays.copyOfRange(out, 2, 18), "data length " + dataLength);
        }
    }

    @Test
    void macIsNotATruncatedHash() {
        // The digest length enters the parameter block, so MAC differs from the first 16 bytes of a 32-byte hash.
        byte[] mac = new byte[16];
        byte[] full = new byte[32];
        Blake2s.mac(KAT_KEY, new byte[0], 0, 0, mac, 0);
        Blake2s.keyed(KAT_KEY, new byte[0], 0, 0, full, 0, 32);
        assertEquals(false, java.util.Arrays.equals(mac, java.util.Arrays.copyOf(full, 16)));
    }

    @Test
    void keyedRejectsKeysAndDigestsOutsideOneTo32Bytes() {
        byte[] out = new byte[64];
        assertThrows(IllegalArgumentException.class, () -> Blake2s.keyed(new byte[0], new byte[1], 0, 1, out, 0, 32));
        assertThrows(IllegalArgumentException.class, () -> Blake2s.keyed(new byte[33], new byte[1], 0, 1, out, 0, 32));
        assertThrows(IllegalArgumentException.class, () -> Blake2s.keyed(new byte[32], new byte[1], 0, 1, out, 0, 33));
    }

    @ParameterizedTest(name = "key length {0}")
    @ValueSource(ints = {0, 1, 32, 63, 64, 65, 200})
    void hmacMatchesBouncyCastleHmacOverBlake2s(int keyLength) {
        Random random = new Random(2104L + keyLength);
        byte[] key = new byte[keyLength];
        random.nextBytes(key);
        byte[] a = new byte[37];
        byte[] b = new byte[100];
        random.nextBytes(a);
        random.nextBytes(b);
        byte[] out = new byte[32];
        Blake2s.hmac(key, out, a, b);
        assertArrayEquals(bcHmac(key, concat(a, b)), out);
    }

    @Test
    void kdfMatchesTheWhitepapersHmacChain() {
        Random random = new Random(54L);
        byte[] key = new byte[32];
        byte[] input = new byte[32];
        random.nextBytes(key);
        random.nextBytes(input);
        // Whitepaper section 5.4: tau0 = HMAC(key, input), tau1 = HMAC(tau0, 0x1), tau_i = HMAC(tau0, tau_{i-1} || i).
        byte[] t0 = bcHmac(key, input);
        byte[] t1 = bcHmac(t0, new byte[] {1});
        byte[] t2 = bcHmac(t0, concat(t1, new byte[] {2}));
        byte[] t3 = bcHmac(t0, concat(t2, new byte[] {3}));

        byte[] k1 = new byte[32];
        Blake2s.kdf(key, input, k1);
        assertArrayEquals(t1, k1, "KDF1");

        byte[] k2a = new byte[32];
        byte[] k2b = new byte[32];
        Blake2s.kdf(key, input, k2a, k2b);
        assertArrayEquals(t1, k2a, "KDF2 first");
        assertArrayEquals(t2, k2b, "KDF2 second");

        byte[] k3a = new byte[32];
        byte[] k3b = new byte[32];
        byte[] k3c = new byte[32];
        Blake2s.kdf(key, input, k3a, k3b, k3c);
        assertArrayEquals(t1, k3a, "KDF3 first");
        assertArrayEquals(t2, k3b, "KDF3 second");
        assertArrayEquals(t3, k3c, "KDF3 third");
    }

    @Test
    void kdfWithEmptyInputMatchesTheHmacChain() {
        // The handshake's final KDF2(C, epsilon) derives the transport keys from an empty input.
        byte[] key = sequence(32);
        byte[] t0 = bcHmac(key, new byte[0]);
        byte[] t1 = bcHmac(t0, new byte[] {1});
        byte[] t2 = bcHmac(t0, concat(t1, new byte[] {2}));
        byte[] a = new byte[32];
        byte[] b = new byte[32];
        Blake2s.kdf(key, new byte[0], a, b);
        assertArrayEquals(t1, a);
        assertArrayEquals(t2, b);
    }

    @Test
    void kdfRejectsMoreThanThreeOutputs() {
        assertThrows(IllegalArgumentException.class,
                () -> Blake2s.kdf(new byte[32], new byte[0], new byte[32], new byte[32], new byte[32], new byte[32]));
        assertThrows(IllegalArgumentException.class, () -> Blake2s.kdf(new byte[32], new byte[0]));
    }

    private static byte[] bcHmac(byte[] key, byte[] data) {
        HMac mac = new HMac(new Blake2sDigest(256));
        mac.init(new KeyParameter(key));
        mac.update(data, 0, data.length);
        byte[] out = new byte[32];
        mac.doFinal(out, 0);
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    static byte[] sequence(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) i;
        }
        return b;
    }
}
