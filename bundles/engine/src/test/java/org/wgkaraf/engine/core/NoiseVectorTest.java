package org.wgkaraf.engine.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.wgkaraf.engine.crypto.ChaChaPoly;
import org.wgkaraf.engine.crypto.X25519;

/** Our Noise IKpsk2 against the published cacophony vector, both roles, handshake and transport. */
class NoiseVectorTest {
    private static final HexFormat HEX = HexFormat.of();

    private static Properties vector() throws Exception {
        Properties p = new Properties();
        try (InputStream in = NoiseVectorTest.class.getResourceAsStream("/vectors/noise-IKpsk2_25519_ChaChaPoly_BLAKE2s.properties")) {
            p.load(in);
        }
        return p;
    }

    private static byte[] hex(Properties p, String key) {
        return HEX.parseHex(p.getProperty(key).trim());
    }

    private static byte[] pub(byte[] priv) {
        byte[] out = new byte[32];
        X25519.publicKey(priv, out);
        return out;
    }

    private static byte[] dh(byte[] priv, byte[] pub) {
        byte[] out = new byte[32];
        assertTrue(X25519.sharedSecret(priv, pub, out));
        return out;
    }

    @Test
    void handshakeAndTransportMatchTheCacophonyVector() throws Exception {
        Properties v = vector();
        byte[] name = v.getProperty("protocol_name").getBytes(StandardCharsets.US_ASCII);
        byte[] prologue = hex(v, "init_prologue");
        byte[] psk = hex(v, "init_psk");
        byte[] iStatic = hex(v, "init_static");
        byte[] rStatic = hex(v, "resp_static");
        byte[] rStaticPub = hex(v, "init_remote_static");
        assertArrayEquals(pub(rStatic), rStaticPub);
        byte[] iStaticPub = pub(iStatic);

        Noise initiator = new Noise(name, prologue, rStaticPub);
        initiator.setEphemeral(hex(v, "init_ephemeral"));
        Noise responder = new Noise(name, hex(v, "resp_prologue"), pub(rStatic));
        responder.setEphemeral(hex(v, "resp_ephemeral"));

        // message A: e, es, s, ss + payload
        byte[] payload0 = hex(v, "message.0.payload");
        byte[] msg0 = new byte[32 + 48 + payload0.length + 16];
        assertTrue(initiator.writeA(iStaticPub, dh(iStatic, rStaticPub), rStaticPub, payload0, msg0, 0));
        assertArrayEquals(hex(v, "message.0.ciphertext"), msg0);
        assertTrue(responder.readA(rStatic, msg0, 0));
        assertArrayEquals(iStaticPub, responder.remoteStatic());
        byte[] got0 = new byte[payload0.length];
        assertTrue(responder.finishReadA(dh(rStatic, iStaticPub), msg0, 0, payload0.length, got0));
        assertArrayEquals(payload0, got0);

        // message B: e, ee, se, psk + payload
        byte[] payload1 = hex(v, "message.1.payload");
        byte[] msg1 = new byte[32 + payload1.length + 16];
        assertTrue(responder.writeB(iStaticPub, hex(v, "resp_psk"), payload1, msg1, 0));
        assertArrayEquals(hex(v, "message.1.ciphertext"), msg1);
        byte[] got1 = new byte[payload1.length];
        assertTrue(initiator.readB(iStatic, psk, msg1, 0, payload1.length, got1));
        assertArrayEquals(payload1, got1);

        assertArrayEquals(hex(v, "handshake_hash"), initiator.handshakeHash());
        assertArrayEquals(initiator.handshakeHash(), responder.handshakeHash());

        // transport: initiator's key first; messages alternate, each direction counts from 0
        byte[] iSend = new byte[32];
        byte[] iRecv = new byte[32];
        initiator.split(iSend, iRecv);
        byte[] rFirst = new byte[32];
        byte[] rSecond = new byte[32];
        responder.split(rFirst, rSecond);
        assertArrayEquals(iSend, rFirst);
        assertArrayEquals(iRecv, rSecond);
        int count = Integer.parseInt(v.getProperty("message.count"));
        for (int m = 2; m < count; m++) {
            byte[] payload = hex(v, "message." + m + ".payload");
            byte[] expected = hex(v, "message." + m + ".ciphertext");
            byte[] key = m % 2 == 0 ? iSend : iRecv;
            long counter = (m - 2) / 2;
            byte[] out = new byte[payload.length + 16];
            ChaChaPoly.seal(key, counter, payload, new byte[0], out, 0);
            assertArrayEquals(expected, out, "transport message " + m);
        }
    }

    @Test
    void aTamperedMessageIsRefusedByTheResponder() throws Exception {
        Properties v = vector();
        byte[] name = v.getProperty("protocol_name").getBytes(StandardCharsets.US_ASCII);
        byte[] rStatic = hex(v, "resp_static");
        byte[] msg0 = hex(v, "message.0.ciphertext");
        msg0[40] ^= 1; // inside the encrypted static key
        Noise responder = new Noise(name, hex(v, "resp_prologue"), pub(rStatic));
        org.junit.jupiter.api.Assertions.assertFalse(responder.readA(rStatic, msg0, 0));
    }
}
