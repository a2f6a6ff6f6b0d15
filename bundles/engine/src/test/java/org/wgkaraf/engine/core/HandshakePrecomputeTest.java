package org.wgkaraf.engine.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.wgkaraf.api.engine.DropReason;
import org.wgkaraf.api.engine.IpPrefix;
import org.wgkaraf.api.engine.PeerConfig;
import org.wgkaraf.api.engine.PublicKey;
import org.wgkaraf.api.engine.SecretKey;
import org.wgkaraf.engine.crypto.Blake2s;
import org.wgkaraf.engine.crypto.Blake2sKdf;
import org.wgkaraf.engine.crypto.X25519;

/**
 * What the device computes once per key instead of once per handshake (the static-static DH, the
 * start of the handshake hash) equals what a handshake would compute afresh, follows every change
 * of keys, and is zeroed with the peer.
 */
class HandshakePrecomputeTest {
    private final TestNet net = new TestNet();
    private final TestNet.Node a = net.node("a", "10.213.0.1", 40001, 1);
    private final TestNet.Node b = net.node("b", "10.213.0.2", 51820, 2);

    private static SecretKey psk(int seed) {
        byte[] k = new byte[32];
        for (int i = 0; i < 32; i++) {
            k[i] = (byte) (i * 7 + seed);
        }
        return SecretKey.of(k);
    }

    private static byte[] freshStaticStatic(TestNet.Node us, TestNet.Node them) {
        byte[] priv = us.privateKey.toBytes();
        X25519.clamp(priv);
        byte[] dh = new byte[32];
        X25519.sharedSecret(priv, them.publicKey, dh);
        Arrays.fill(priv, (byte) 0);
        return dh;
    }

    private static byte[] freshStart(byte[] responderStatic) {
        byte[] ck = new byte[32];
        byte[] h = new byte[32];
        Blake2s.hash(ck, Constants.CONSTRUCTION);
        Blake2s.hash(h, ck, Constants.IDENTIFIER);
        Blake2s.hash(h, h, responderStatic);
        return h;
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    @Test
    void precomputedValuesEqualTheFreshlyComputedOnes() {
        TestNet.link(a, "10.214.0.2/32", b, "10.214.0.1/32", null, false, 0);
        Peer aToB = a.peerOf(b);
        Peer bToA = b.peerOf(a);
        assertArrayEquals(freshStaticStatic(a, b), aToB.staticStatic);
        assertArrayEquals(aToB.staticStatic, bToA.staticStatic, "DH(s_a, S_b) = DH(s_b, S_a)");
        assertArrayEquals(freshStart(b.publicKey), aToB.initiationStart);
        assertArrayEquals(freshStart(a.publicKey), bToA.initiationStart);
        assertFalse(Arrays.equals(aToB.initiationStart, bToA.initiationStart));
    }

    @Test
    void aPrecomputedStartWritesAndReadsTheSameMessagesAsTheFullStart() {
        byte[] ephemeral = new byte[32];
        Arrays.fill(ephemeral, (byte) 0x21);
        byte[] timestamp = new byte[Constants.TIMESTAMP_SIZE];
        byte[] ss = freshStaticStatic(a, b);
        byte[] start = new byte[32];
        Noise.wireGuardStart(b.publicKey, start);

        Noise full = Noise.wireGuard(b.publicKey);
        Noise fromStart = Noise.wireGuard(start, new Blake2sKdf());
        full.setEphemeral(ephemeral);
        fromStart.setEphemeral(ephemeral);
        byte[] m1 = new byte[32 + 48 + 12 + 16];
        byte[] m2 = new byte[m1.length];
        assertTrue(full.writeA(a.publicKey, ss, b.publicKey, timestamp, m1, 0));
        assertTrue(fromStart.writeA(a.publicKey, ss, b.publicKey, timestamp, m2, 0));
        assertArrayEquals(m1, m2);
        assertArrayEquals(full.handshakeHash(), fromStart.handshakeHash());

        byte[] bPriv = b.privateKey.toBytes();
        X25519.clamp(bPriv);
        byte[] bStart = new byte[32];
        Noise.wireGuardStart(b.publicKey, bStart);
        Noise responder = Noise.wireGuard(bStart, new Blake2sKdf());
        assertTrue(responder.readA(bPriv, m1, 0));
        assertArrayEquals(a.publicKey, responder.remoteStatic());
        byte[] ts = new byte[Constants.TIMESTAMP_SIZE];
        assertTrue(responder.finishReadA(ss, m1, 0, Constants.TIMESTAMP_SIZE, ts));
        assertArrayEquals(full.handshakeHash(), responder.handshakeHash());
        Arrays.fill(bPriv, (byte) 0);

        assertThrows(IllegalArgumentException.class, () -> Noise.wireGuard(new byte[31], new Blake2sKdf()));
        assertThrows(IllegalArgumentException.class, () -> Noise.wireGuard(start, null));
        assertThrows(IllegalArgumentException.class, () -> Noise.wireGuardStart(new byte[31], new byte[32]));
    }

    @Test
    void aChangedPresharedKeyIsUsedByTheNextHandshakeAndAStaleOneFailsIt() {
        TestNet.link(a, "10.214.0.2/32", b, "10.214.0.1/32", psk(1), false, 0);
        a.send(TestNet.ipv4("10.214.0.2", "10.214.0.1", 10));
        net.pump();
        Keypair first = a.peerOf(b).keypairs.current;
        assertNotNull(first);

        // both sides move to a new key: the next handshake completes with it
        TestNet.link(a, "10.214.0.2/32", b, "10.214.0.1/32", psk(2), false, 0);
        net.clock.advanceSeconds(6);
        a.device.initiate(a.peerOf(b), net.clock.nanoTime(), a);
        net.pump();
        Keypair second = a.peerOf(b).keypairs.current;
        assertNotSame(first, second);
        assertEquals(0, a.drops(DropReason.HANDSHAKE_INVALID));

        // only b moves on: a's handshake must fail, as it would if a had never held psk(2)
        b.device.addPeer(new PeerConfig(PublicKey.of(a.publicKey), psk(3), null, List.of(IpPrefix.parse("10.214.0.1/32")), 0));
        net.clock.advanceSeconds(6);
        a.device.initiate(a.peerOf(b), net.clock.nanoTime(), a);
        net.pump();
        assertEquals(1, a.drops(DropReason.HANDSHAKE_INVALID));
        assertTrue(a.peerOf(b).keypairs.current == second, "the failed handshake installed nothing");
    }

    @Test
    void aPeerRemovedAndAddedAgainGetsFreshValuesAndTheOldOnesAreZeroed() {
        TestNet.link(a, "10.214.0.2/32", b, "10.214.0.1/32", psk(1), false, 0);
        a.send(TestNet.ipv4("10.214.0.2", "10.214.0.1", 10));
        net.pump();
        Peer old = a.peerOf(b);
        Keypair kp = old.keypairs.current;
        assertNotNull(kp);

        a.device.removePeer(PublicKey.of(b.publicKey));
        assertTrue(allZero(old.staticStatic), "the static-static DH goes with the peer");
        assertTrue(allZero(old.presharedKey));
        assertTrue(kp.destroyed());
        assertNull(old.handshake.noise);

        TestNet.link(a, "10.214.0.2/32", b, "10.214.0.1/32", psk(1), false, 0);
        Peer again = a.peerOf(b);
        assertNotSame(old, again);
        assertArrayEquals(freshStaticStatic(a, b), again.staticStatic);
        assertArrayEquals(freshStart(b.publicKey), again.initiationStart);
    }

    @Test
    void destroyingTheDeviceZeroesEveryPeersPrecomputedSecretAndOurKey() throws Exception {
        TestNet.Node c = net.node("c", "10.213.0.3", 51821, 3);
        TestNet.link(a, "10.214.0.2/32", b, "10.214.0.1/32", psk(1), false, 0);
        TestNet.link(a, "10.214.0.3/32", c, "10.214.0.1/32", null, false, 0);
        a.device.initiate(a.peerOf(b), net.clock.nanoTime(), a); // a handshake under way
        Peer toB = a.peerOf(b);
        Peer toC = a.peerOf(c);
        assertNotNull(toB.handshake.noise);

        a.device.destroy();
        assertTrue(allZero(toB.staticStatic));
        assertTrue(allZero(toC.staticStatic));
        assertTrue(allZero(toB.presharedKey));
        assertNull(toB.handshake.noise);
        Field priv = Device.class.getDeclaredField("staticPrivate");
        priv.setAccessible(true);
        assertTrue(allZero((byte[]) priv.get(a.device)));
    }

    @Test
    void aDeviceWithAnotherPrivateKeyComputesAnotherStaticStaticForTheSamePeer() {
        TestNet.Node a2 = net.node("a2", "10.213.0.4", 40004, 4);
        TestNet.link(a, "10.214.0.2/32", b, "10.214.0.1/32", null, false, 0);
        TestNet.link(a2, "10.214.0.2/32", b, "10.214.0.4/32", null, false, 0);
        assertArrayEquals(freshStaticStatic(a2, b), a2.peerOf(b).staticStatic);
        assertFalse(Arrays.equals(a.peerOf(b).staticStatic, a2.peerOf(b).staticStatic));
    }
}
