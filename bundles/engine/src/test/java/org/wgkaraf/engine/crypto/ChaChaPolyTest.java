package org.wgkaraf.engine.crypto;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;

/** ChaCha20-Poly1305 (RFC 8439) known answers and the rejection of anything not sealed by the key. */
class ChaChaPolyTest {
    /** RFC 8439 section 2.8.2. */
    static final byte[] SUNSCREEN_KEY = Hex.decode("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
    static final byte[] SUNSCREEN_NONCE = Hex.decode("070000004041424344454647");
    static final byte[] SUNSCREEN_AAD = Hex.decode("50515253c0c1c2c3c4c5c6c7");
    static final byte[] SUNSCREEN = ("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for "
            + "the future, sunscreen would be it.").getBytes(US_ASCII);
    static final String SUNSCREEN_CIPHERTEXT = "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
            + "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
            + "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
            + "3ff4def08e4b7a9de576d26586cec64b6116";
    static final String SUNSCREEN_TAG = "1ae10b594f09e26a7e902ecbd0600691";

    /** RFC 8439 appendix A.5. Its nonce is WireGuard's layout: 32 zero bits, then LE64(0x0807060504030201). */
    static final byte[] A5_KEY = Hex.decode("1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca5cbc207075c0");
    static final long A5_COUNTER = 0x0807060504030201L;
    static final byte[] A5_AAD = Hex.decode("f33388860000000000004e91");
    static final byte[] A5_PLAINTEXT = Hex.decode(
            "496e7465726e65742d4472616674732061726520647261667420646f63756d65"
            + "6e74732076616c696420666f722061206d6178696d756d206f6620736978206d"
            + "6f6e74687320616e64206d617920626520757064617465642c207265706c6163"
            + "65642c206f72206f62736f6c65746564206279206f7468657220646f63756d65"
            + "6e747320617420616e792074696d652e20497420697320696e617070726f7072"
            + "6961746520746f2075736520496e7465726e65742d4472616674732061732072"
            + "65666572656e6365206d6174657269616c206f7220746f206369746520746865"
            + "6d206f74686572207468616e206173202fe2809c776f726b20696e2070726f67"
            + "726573732e2fe2809d");
    static final byte[] A5_SEALED = Hex.decode(
            "64a0861575861af460f062c79be643bd5e805cfd345cf389f108670ac76c8cb2"
            + "4c6cfc18755d43eea09ee94e382d26b0bdb7b73c321b0100d4f03b7f355894cf"
            + "332f830e710b97ce98c8a84abd0b948114ad176e008d33bd60f982b1ff37c855"
            + "9797a06ef4f0ef61c186324e2b3506383606907b6a7c02b0f9f6157b53c867e4"
            + "b9166c767b804d46a59b5216cde7a4e99040c5a40433225ee282a1b0a06c523e"
            + "af4534d7f83fa1155b0047718cbc546a0d072b04b3564eea1b422273f548271a"
            + "0bb2316053fa76991955ebd63159434ecebb4e466dae5a1073a6727627097a10"
            + "49e617d91d361094fa68f0ff77987130305beaba2eda04df997b714d6c6f2c29"
            + "a6ad5cb4022b02709b" + "eead9d67890cbb22392336fea1851f38");

    @Test
    void sealMatchesRfc8439Section282() {
        byte[] out = new byte[SUNSCREEN.length + 16];
        ChaChaPoly.seal(SUNSCREEN_KEY, SUNSCREEN_NONCE, SUNSCREEN, 0, SUNSCREEN.length, SUNSCREEN_AAD, out, 0);
        assertEquals(SUNSCREEN_CIPHERTEXT + SUNSCREEN_TAG, Hex.toHexString(out));
    }

    @Test
    void openRecoversRfc8439Section282Plaintext() {
        byte[] sealed = Hex.decode(SUNSCREEN_CIPHERTEXT + SUNSCREEN_TAG);
        byte[] out = new byte[SUNSCREEN.length];
        assertTrue(ChaChaPoly.open(SUNSCREEN_KEY, SUNSCREEN_NONCE, sealed, 0, sealed.length, SUNSCREEN_AAD, out, 0));
        assertArrayEquals(SUNSCREEN, out);
    }

    @Test
    void openRecoversRfc8439AppendixA5WithWireGuardCounterNonce() {
        assertArrayEquals(Hex.decode("000000000102030405060708"), ChaChaPoly.nonce(A5_COUNTER));
        byte[] out = new byte[A5_PLAINTEXT.length];
        assertTrue(ChaChaPoly.open(A5_KEY, A5_COUNTER, A5_SEALED, 0, A5_SEALED.length, A5_AAD, out, 0));
        assertArrayEquals(A5_PLAINTEXT, out);
    }

    @Test
    void sealReproducesRfc8439AppendixA5() {
        byte[] out = new byte[A5_SEALED.length];
        ChaChaPoly.seal(A5_KEY, A5_COUNTER, A5_PLAINTEXT, A5_AAD, out, 0);
        assertArrayEquals(A5_SEALED, out);
    }

    @Test
    void nonceIsFourZeroBytesThenLittleEndianCounter() {
        assertEquals("000000000100000000000000", Hex.toHexString(ChaChaPoly.nonce(1)));
        assertEquals("00000000ffffffffffffffff", Hex.toHexString(ChaChaPoly.nonce(-1L)));
    }

    @Test
    void openRejectsForgedTag() {
        byte[] sealed = A5_SEALED.clone();
        sealed[sealed.length - 1] ^= 1;
        assertFalse(open(sealed, A5_AAD));
    }

    @Test
    void openRejectsEveryFlippedCiphertextBit() {
        for (int bit = 0; bit < 8 * (A5_SEALED.length - 16); bit += 61) {
            byte[] sealed = A5_SEALED.clone();
            sealed[bit / 8] ^= (byte) (1 << (bit % 8));
            assertFalse(open(sealed, A5_AAD), "bit " + bit);
        }
    }

    @Test
    void openRejectsChangedAssociatedData() {
        byte[] aad = A5_AAD.clone();
        aad[0] ^= 0x80;
        assertFalse(open(A5_SEALED, aad));
    }

    @Test
    void openRejectsWrongCounter() {
        byte[] out = new byte[A5_PLAINTEXT.length];
        assertFalse(ChaChaPoly.open(A5_KEY, A5_COUNTER + 1, A5_SEALED, 0, A5_SEALED.length, A5_AAD, out, 0));
    }

    @Test
    void openRejectsTruncatedInput() {
        assertFalse(open(Arrays.copyOf(A5_SEALED, A5_SEALED.length - 1), A5_AAD));
        assertFalse(open(Arrays.copyOf(A5_SEALED, 16), A5_AAD));
        assertFalse(open(Arrays.copyOf(A5_SEALED, 15), A5_AAD));
        assertFalse(open(new byte[0], A5_AAD));
    }

    @Test
    void emptyPlaintextSealsToTagAlone() {
        byte[] out = new byte[16];
        ChaChaPoly.seal(A5_KEY, 0, new byte[0], null, out, 0);
        assertTrue(ChaChaPoly.open(A5_KEY, 0, out, 0, 16, null, new byte[0], 0));
        out[3] ^= 4;
        assertFalse(ChaChaPoly.open(A5_KEY, 0, out, 0, 16, null, new byte[0], 0));
    }

    private static boolean open(byte[] sealed, byte[] aad) {
        byte[] out = new byte[Math.max(0, sealed.length - 16)];
        return ChaChaPoly.open(A5_KEY, A5_COUNTER, sealed, 0, sealed.length, aad, out, 0);
    }
}
