package org.wgkaraf.engine.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;

/** HChaCha20 and XChaCha20-Poly1305 against draft-irtf-cfrg-xchacha-03. */
class XChaChaPolyTest {
    private static final byte[] KEY = ChaChaPolyTest.SUNSCREEN_KEY;
    private static final byte[] NONCE = Hex.decode("404142434445464748494a4b4c4d4e4f5051525354555657");
    private static final String CIPHERTEXT = "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb"
            + "731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b452"
            + "2f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9"
            + "21f9664c97637da9768812f615c68b13b52e";
    private static final String TAG = "c0875924c1c7987947deafd8780acf49";

    @Test
    void hchacha20MatchesDraftSection221() {
        byte[] key = Blake2sTest.sequence(32);
        byte[] nonce = Hex.decode("000000090000004a0000000031415927");
        assertEquals("82413b4227b27bfed30e42508a877d73a0f9e4d58a74a853c12ec41326d3ecdc",
                Hex.toHexString(XChaChaPoly.hchacha20(key, nonce)));
    }

    @Test
    void sealMatchesDraftAppendixA31() {
        byte[] plain = ChaChaPolyTest.SUNSCREEN;
        byte[] out = new byte[plain.length + 16];
        XChaChaPoly.seal(KEY, NONCE, plain, ChaChaPolyTest.SUNSCREEN_AAD, out, 0);
        assertEquals(CIPHERTEXT + TAG, Hex.toHexString(out));
    }

    @Test
    void openRecoversDraftAppendixA31Plaintext() {
        byte[] sealed = Hex.decode(CIPHERTEXT + TAG);
        byte[] out = new byte[sealed.length - 16];
        assertTrue(XChaChaPoly.open(KEY, NONCE, sealed, 0, sealed.length, ChaChaPolyTest.SUNSCREEN_AAD, out, 0));
        assertArrayEquals(ChaChaPolyTest.SUNSCREEN, out);
    }

    @Test
    void openRejectsFlippedBitTagAndNonce() {
        byte[] out = new byte[ChaChaPolyTest.SUNSCREEN.length];
        byte[] aad = ChaChaPolyTest.SUNSCREEN_AAD;

        byte[] flipped = Hex.decode(CIPHERTEXT + TAG);
        flipped[10] ^= 0x20;
        assertFalse(XChaChaPoly.open(KEY, NONCE, flipped, 0, flipped.length, aad, out, 0));

        byte[] forged = Hex.decode(CIPHERTEXT + TAG);
        forged[forged.length - 16] ^= 1;
        assertFalse(XChaChaPoly.open(KEY, NONCE, forged, 0, forged.length, aad, out, 0));

        // The first 16 nonce bytes only enter through HChaCha20; a change there must still be caught.
        byte[] sealed = Hex.decode(CIPHERTEXT + TAG);
        byte[] otherNonce = NONCE.clone();
        otherNonce[3] ^= 1;
        assertFalse(XChaChaPoly.open(KEY, otherNonce, sealed, 0, sealed.length, aad, out, 0));
    }
}
