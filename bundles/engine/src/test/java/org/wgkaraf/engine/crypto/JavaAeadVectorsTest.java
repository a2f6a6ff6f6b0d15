package org.wgkaraf.engine.crypto;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;

/**
 * Our own ChaCha20 and Poly1305 ({@link ChaCha20Keystream}, {@link Poly1305Tag}) against RFC 8439's
 * published answers. The Poly1305 edge vectors of appendix A.3 are the ones that exercise the
 * final reduction (an accumulator between 2^130 - 5 and 2^130, and s wrapping past 2^128), which
 * random inputs practically never reach; each is also checked against BouncyCastle, so a
 * mistyped vector fails as such rather than passing wrongly.
 */
class JavaAeadVectorsTest {
    private static final byte[] KEY_00_TO_1F = Hex.decode("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

    /** Keystream of {@code len} bytes from {@code block} under the WireGuard-layout nonce {@code counter}. */
    private static byte[] keystream(byte[] key, long counter, int block, int len) {
        ChaCha20Keystream c = new ChaCha20Keystream(key, 0);
        c.setNonce(counter);
        byte[] out = new byte[len];
        c.xor(block, new byte[len], 0, out, 0, len);
        return out;
    }

    @Test
    void chacha20EncryptsRfc8439Section242() {
        // Nonce 00000000 0000004a 00000000: word 13 is zero, so it is WireGuard's layout with counter 0x4a000000.
        byte[] plain = ChaChaPolyTest.SUNSCREEN;
        ChaCha20Keystream c = new ChaCha20Keystream(KEY_00_TO_1F, 0);
        c.setNonce(0x4a000000L);
        byte[] out = new byte[plain.length];
        c.xor(1, plain, 0, out, 0, plain.length);
        assertEquals("6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0b"
                + "f91b65c5524733ab8f593dabcd62b3571639d624e65152ab8f530c359f0861d8"
                + "07ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab7793736"
                + "5af90bbf74a35be6b40b8eedf2785e42874d", Hex.toHexString(out));
    }

    @Test
    void chacha20BlocksMatchRfc8439AppendixA1() {
        assertEquals("76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7"
                + "da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586",
                Hex.toHexString(keystream(new byte[32], 0, 0, 64)), "vector 1");
        assertEquals("9f07e7be5551387a98ba977c732d080dcb0f29a048e3656912c6533e32ee7aed"
                + "29b721769ce64e43d57133b074d839d531ed1f28510afb45ace10a1f4b794d6f",
                Hex.toHexString(keystream(new byte[32], 0, 1, 64)), "vector 2");
        byte[] lastBitKey = new byte[32];
        lastBitKey[31] = 1;
        assertEquals("3aeb5224ecf849929b9d828db1ced4dd832025e8018b8160b82284f3c949aa5a"
                + "8eca00bbb4a73bdad192b5c42f73f2fd4e273644c8b36125a64addeb006c13a0",
                Hex.toHexString(keystream(lastBitKey, 0, 1, 64)), "vector 3");
        // Vector 5: nonce 00..00 02, i.e. the top byte of WireGuard's counter.
        assertEquals("c2c64d378cd536374ae204b9ef933fcd1a8b2288b3dfa49672ab765b54ee27c7"
                + "8a970e0e955c14f3a88e741b97c286f75f8fc299e8148362fa198a39531bed6d",
                Hex.toHexString(keystream(new byte[32], 0x0200000000000000L, 0, 64)), "vector 5");
    }

    @Test
    void keystreamIsTheSameWhateverTheSplitIntoCalls() {
        byte[] whole = keystream(KEY_00_TO_1F, 77, 1, 5 * 64);
        for (int first = 1; first <= 4; first++) {
            assertArrayEquals(java.util.Arrays.copyOfRange(whole, 64 * (first - 1), 64 * first),
                    keystream(KEY_00_TO_1F, 77, first, 64), "block " + first);
        }
    }

    @Test
    void poly1305MatchesRfc8439Section252() {
        assertEquals("a8061dc1305136c6c22b8baf0c0127a9",
                mac("85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b",
                        Hex.toHexString("Cryptographic Forum Research Group".getBytes(US_ASCII))));
    }

    @Test
    void poly1305MatchesRfc8439AppendixA3EdgeVectors() {
        String r1 = "01000000000000000000000000000000";
        String r2 = "02000000000000000000000000000000";
        String zero = "00000000000000000000000000000000";
        String ones = "ffffffffffffffffffffffffffffffff";
        assertVector("vector 1", zero + zero, "00".repeat(64), zero);
        assertVector("vector 5", r2 + zero, ones, "03000000000000000000000000000000");
        assertVector("vector 6", r2 + ones, r2, "03000000000000000000000000000000");
        assertVector("vector 7", r1 + zero, ones + "f0" + "ff".repeat(15) + "11" + "00".repeat(15),
                "05000000000000000000000000000000");
        assertVector("vector 8", r1 + zero, ones + "fb" + "fe".repeat(15) + "01".repeat(16), zero);
        assertVector("vector 9", r2 + zero, "fd" + "ff".repeat(15), "faffffffffffffffffffffffffffffff");
        String r10 = "01000000000000000400000000000000";
        String text10 = "e33594d7505e43b900000000000000003394d7505e4379cd01000000000000000000000000000000"
                + "0000000000000000" + "01000000000000000000000000000000";
        assertVector("vector 10", r10 + zero, text10, "14000000000000005500000000000000");
        assertVector("vector 11", r10 + zero, text10.substring(0, 96), "13000000000000000000000000000000");
    }

    private static void assertVector(String name, String key, String text, String tag) {
        assertEquals(tag, bouncyCastleMac(key, text), name + " per BouncyCastle (is the vector typed right?)");
        assertEquals(tag, mac(key, text), name);
    }

    private static String mac(String key, String text) {
        Poly1305Tag p = new Poly1305Tag();
        p.init(Hex.decode(key), 0);
        byte[] msg = Hex.decode(text);
        byte[] out = new byte[16];
        p.mac(msg, 0, msg.length, out, 0);
        return Hex.toHexString(out);
    }

    static String bouncyCastleMac(String key, String text) {
        Poly1305 p = new Poly1305();
        p.init(new KeyParameter(Hex.decode(key)));
        byte[] msg = Hex.decode(text);
        p.update(msg, 0, msg.length);
        byte[] out = new byte[16];
        p.doFinal(out, 0);
        return Hex.toHexString(out);
    }

    @Test
    void aeadMatchesRfc8439AppendixA5WithoutAssociatedData() {
        // A.5's own sealed bytes carry associated data, which the transport never has; its key and
        // (WireGuard-layout) nonce with the AAD left out must give BouncyCastle's one-shot AEAD's bytes.
        byte[] plain = ChaChaPolyTest.A5_PLAINTEXT;
        byte[] expected = new byte[plain.length + 16];
        ChaChaPoly.seal(ChaChaPolyTest.A5_KEY, ChaChaPolyTest.A5_COUNTER, plain, null, expected, 0);
        byte[] sealed = new byte[plain.length + 16];
        JavaTransportCipher.FACTORY.create(ChaChaPolyTest.A5_KEY).seal(ChaChaPolyTest.A5_COUNTER, plain, 0, plain.length, sealed, 0);
        assertArrayEquals(expected, sealed);
        // A.5's ciphertext does not depend on the AAD: ours must equal the RFC's byte for byte.
        assertArrayEquals(java.util.Arrays.copyOf(ChaChaPolyTest.A5_SEALED, plain.length), java.util.Arrays.copyOf(sealed, plain.length));
    }
}
