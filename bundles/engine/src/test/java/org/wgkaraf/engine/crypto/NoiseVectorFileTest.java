package org.wgkaraf.engine.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Properties;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks the stored cacophony vector for Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s against what the
 * primitives say about it, so a transcription slip shows here rather than in the handshake tests.
 */
class NoiseVectorFileTest {
    private static Properties vector;

    @BeforeAll
    static void load() throws IOException {
        vector = new Properties();
        try (InputStream in = NoiseVectorFileTest.class.getResourceAsStream(
                "/vectors/noise-IKpsk2_25519_ChaChaPoly_BLAKE2s.properties")) {
            assertNotNull(in, "vector file on the test class path");
            vector.load(in);
        }
    }

    private static byte[] hex(String key) {
        String v = vector.getProperty(key);
        assertNotNull(v, key);
        return Hex.decode(v);
    }

    @Test
    void namesTheWireGuardConstruction() {
        assertEquals("Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s", vector.getProperty("protocol_name"));
    }

    @Test
    void initiatorKnowsTheResponderStaticPublicKey() {
        byte[] pub = new byte[32];
        X25519.publicKey(hex("resp_static"), pub);
        assertArrayEquals(hex("init_remote_static"), pub);
    }

    @Test
    void handshakeMessagesStartWithTheEphemeralPublicKeys() {
        byte[] initE = new byte[32];
        byte[] respE = new byte[32];
        X25519.publicKey(hex("init_ephemeral"), initE);
        X25519.publicKey(hex("resp_ephemeral"), respE);
        assertArrayEquals(initE, Arrays.copyOf(hex("message.0.ciphertext"), 32));
        assertArrayEquals(respE, Arrays.copyOf(hex("message.1.ciphertext"), 32));
    }

    @Test
    void messageSizesFollowThePattern() {
        // IK: e, es, s, ss carries 32 + (32 + 16) + payload + 16; the response e, ee, se carries 32 + payload + 16;
        // transport messages carry payload + 16.
        assertEquals(32 + 48 + hex("message.0.payload").length + 16, hex("message.0.ciphertext").length);
        assertEquals(32 + hex("message.1.payload").length + 16, hex("message.1.ciphertext").length);
        int count = Integer.parseInt(vector.getProperty("message.count"));
        for (int i = 2; i < count; i++) {
            assertEquals(hex("message." + i + ".payload").length + 16, hex("message." + i + ".ciphertext").length, "message " + i);
        }
        assertEquals(32, hex("handshake_hash").length);
        assertArrayEquals(hex("init_psk"), hex("resp_psk"));
    }
}
