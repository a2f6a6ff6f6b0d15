package org.wgkaraf.engine.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.wgkaraf.api.engine.DropReason;
import org.wgkaraf.api.engine.IpPrefix;
import org.wgkaraf.api.engine.PeerConfig;
import org.wgkaraf.api.engine.PublicKey;
import org.wgkaraf.api.engine.SecretKey;

class HandshakeTest {
    private final TestNet net = new TestNet();
    private final TestNet.Node a = net.node("a", "10.213.0.1", 40001, 1);
    private final TestNet.Node b = net.node("b", "10.213.0.2", 51820, 2);

    private static SecretKey psk() {
        byte[] k = new byte[32];
        for (int i = 0; i < 32; i++) {
            k[i] = (byte) (i * 7 + 3);
        }
        return SecretKey.of(k);
    }

    @ParameterizedTest(name = "psk={0}")
    @ValueSource(booleans = {false, true})
    void initiatorAndResponderAgreeAndCarryDataBothWays(boolean withPsk) {
        TestNet.link(a, "10.214.0.2/32", b, "10.214.0.1/32", withPsk ? psk() : null, false, 0);
        byte[] ping = TestNet.ipv4("10.214.0.2", "10.214.0.1", 64);
        assertTrue(a.send(ping));
        net.pump();

        // initiation 148, response 92, then the staged packet as transport data 32 + 16n
        assertEquals(Messages.INITIATION_SIZE, a.sent.get(0).bytes().length);
        assertEquals(Messages.TYPE_INITIATION, a.sent.get(0).type());
        assertEquals(Messages.RESPONSE_SIZE, b.sent.get(0).bytes().length);
        assertEquals(Messages.TYPE_RESPONSE, b.sent.get(0).type());
        TestNet.Datagram data = a.sent.get(1);
        assertEquals(Messages.TYPE_TRANSPORT, data.type());
        assertEquals(32 + 96, data.bytes().length, "84-byte packet is padded to 96 and framed by 16 + 16");
        assertEquals(1, b.delivered.size());
        assertArrayEquals(ping, b.delivered.get(0));

        byte[] pong = TestNet.ipv4("10.214.0.1", "10.214.0.2", 64);
        assertTrue(b.send(pong));
        net.pump();
        assertEquals(1, a.delivered.size());
        assertArrayEquals(pong, a.delivered.get(0));
        assertTrue(a.peerOf(b).isUp(net.clock.nanoTime()));
        assertTrue(b.peerOf(a).isUp(net.clock.nanoTime()));
        assertEquals(b.address, a.peerOf(b).endpoint());
        assertEquals(a.address, b.peerOf(a).endpoint(), "responder learnt the initiator's endpoint");
    }

    @Test
    void mismatchedPresharedKeysNeverCompleteAHandshake() {
        TestNet.link(a, "10.214.0.2/32", b, "10.214.0.1/32", psk(), false, 0);
        b.device.addPeer(new PeerConfig(PublicKey.of(a.publicKey), null, null, List.of(IpPrefix.parse("10.214.0.1/32")), 0));
        a.send(TestNet.ipv4("10.214.0.2", "10.214.0.1", 10));
        net.pump();
        assertEquals(1, b.sentOfType(Messages.TYPE_RESPONSE), "the responder cannot tell: PSK enters after its DH");
        assertEquals(1, a.drops(DropReason.HANDSHAKE_INVALID), "the initiator refuses the response");
        assertTrue(b.delivered.isEmpty());
        assertFalse(a.peerOf(b).isUp(net.clock.nanoTime()));
    }

    @Test
    void responderKeypairIsConfirmedOnlyByTheFirstDataPacket() {
        TestNet.link(a, "10.214.0.2/32", b, "10.214.0.1/32", null, false, 0);
        net.loss = d -> d.type() == Messages.TYPE_TRANSPORT;
        a.send(TestNet.ipv4("10.214.0.2", "10.214.0.1", 10));
        net.pump();
        Peer bSide = b.peerOf(a);
        assertNotNull(bSide.keypairs.next, "responder holds the new keypair as next");
        assertNull(bSide.keypairs.current);
        assertFalse(bSide.isUp(net.clock.nanoTime()), "no handshake is complete for the responder yet");
        net.loss = d -> false;
        a.send(TestNet.ipv4("10.214.0.2", "10.214.0.1", 10));
        net.pump();
        assertNull(bSide.keypairs.next);
        assertNotNull(bSide.keypairs.current);
        assertTrue(bSide.isUp(net.clock.nanoTime()));
    }

    @Test
    void initiatorSendsAKeepaliveToConfirmWhenItHasNothingQueued() {
        TestNet.link(a, "10.214.0.2/32", b, "10.214.0.1/32", null, false, 0);
        a.device.initiate(a.peerOf(b), net.clock.nanoTime(), a);
        net.pump();
        TestNet.Datagram keepalive = a.sent.get(a.sent.size() - 1);
        assertEquals(Messages.TYPE_TRANSPORT, keepalive.type());
        assertEquals(32, keepalive.bytes().length, "a keepalive is an empty transport message");
        assertNotNull(b.peerOf(a).keypairs.current);
        assertTrue(b.delivered.isEmpty(), "keepalives are not delivered");
    }

    @Test
    void replayedInitiationIsRejected() {
        TestNet.link(a, "10.214.0.2/32", b, "10.214.0.1/32", null, false, 0);
        a.device.initiate(a.peerOf(b), net.clock.nanoTime(), a);
        TestNet.Datagram init = net.inFlight.peek();
        net.pump();
        net.clock.advanceSeconds(1);
        long responses = b.sentOfType(Messages.TYPE_RESPONSE);
        b.receive(init.bytes().clone(), 0, 148, init.source());
        assertEquals(responses, b.sentOfType(Messages.TYPE_RESPONSE), "no response to a replay");
        assertEquals(1, b.drops(DropReason.HANDSHAKE_REPLAYED));
    }

    @Test
    void initiationsFasterThanFiftyPerSecondAreRefused() {
        TestNet.link(a, "10.214.0.2/32", b, "10.214.0.1/32", null, false, 0);
        Peer toB = a.peerOf(b);
        a.device.initiate(toB, net.clock.nanoTime(), a);
        net.pump();
        // Force a second initiation 10 ms later (the sender's own REKEY_TIMEOUT limit bypassed).
        net.clock.advanceMillis(10);
        toB.handshake.sentAny = false;
        a.device.initiate(toB, net.clock.nanoTime(), a);
        net.pump();
        assertEquals(1, b.drops(DropReason.HANDSHAKE_REPLAYED));
        net.clock.advanceMillis(25);
        toB.handshake.sentAny = false;
        a.device.initiate(toB, net.clock.nanoTime(), a);
        net.pump();
        assertEquals(2, b.sentOfType(Messages.TYPE_RESPONSE), "after 20 ms an initiation is accepted again");
    }

    @Test
    void timestampsStayMonotonicWhenTheWallClockStepsBack() {
        TestNet.link(a, "10.214.0.2/32", b, "10.214.0.1/32", null, false, 0);
        Peer toB = a.peerOf(b);
        a.device.initiate(toB, net.clock.nanoTime(), a);
        net.pump();
        net.clock.advanceSeconds(6);
        net.clock.stepWallClock(-3600L * 1_000_000_000L);
        a.device.initiate(toB, net.clock.nanoTime(), a);
        net.pump();
        assertEquals(2, b.sentOfType(Messages.TYPE_RESPONSE), "a clock set back does not make us a replayer");
        assertEquals(0, b.drops(DropReason.HANDSHAKE_REPLAYED));
    }

    @Test
    void unknownInitiatorAndBadMac1AreDropped() {
        TestNet.Node stranger = net.node("c", "10.213.0.3", 40003, 3);
        TestNet.link(a, "10.214.0.2/32", b, "10.214.0.1/32", null, false, 0);
        // c knows b's key, but b does not know c
        stranger.device.addPeer(new PeerConfig(PublicKey.of(b.publicKey), null, null, List.of(IpPrefix.parse("0.0.0.0/0")), 0));
        stranger.device.setEndpoint(stranger.peerOf(b), b.address);
        stranger.send(TestNet.ipv4("10.214.0.3", "10.214.0.1", 10));
        net.pump();
        assertEquals(1, b.drops(DropReason.HANDSHAKE_INVALID));
        assertEquals(0, b.sentOfType(Messages.TYPE_RESPONSE));

        a.device.initiate(a.peerOf(b), net.clock.nanoTime(), a);
        TestNet.Datagram init = net.inFlight.poll();
        byte[] bad = init.bytes().clone();
        bad[Messages.mac1Offset(148)] ^= 1;
        b.receive(bad, 0, bad.length, init.source());
        assertEquals(1, b.drops(DropReason.BAD_MAC1));
    }

    @Test
    void forgedResponseDoesNotSpoilThePendingHandshake() {
        TestNet.link(a, "10.214.0.2/32", b, "10.214.0.1/32", null, false, 0);
        a.send(TestNet.ipv4("10.214.0.2", "10.214.0.1", 10));
        TestNet.Datagram init = net.inFlight.poll();
        b.receive(init.bytes().clone(), 0, 148, init.source());
        TestNet.Datagram response = net.inFlight.poll();
        // A forged response: right receiver index, right MAC1, garbage ephemeral.
        byte[] forged = response.bytes().clone();
        forged[Messages.RESPONSE_EPHEMERAL] ^= 0x55;
        new CookieGenerator(a.publicKey).addMacs(forged, Messages.RESPONSE_SIZE, net.clock.nanoTime());
        a.receive(forged, 0, forged.length, response.source());
        assertEquals(1, a.drops(DropReason.HANDSHAKE_INVALID));
        a.receive(response.bytes().clone(), 0, 92, response.source());
        net.pump();
        assertEquals(1, b.delivered.size(), "the genuine response still completes the handshake");
    }

    @Test
    void ourOwnKeyAndLowOrderKeysAreRefusedAsPeers() {
        PeerConfig self = new PeerConfig(PublicKey.of(a.publicKey), null, null, List.of(), 0);
        assertThrows(IllegalArgumentException.class, () -> a.device.addPeer(self));
        PeerConfig zero = new PeerConfig(PublicKey.of(new byte[32]), null, null, List.of(), 0);
        assertThrows(IllegalArgumentException.class, () -> a.device.addPeer(zero));
    }

    @Test
    void destroyZeroesSessionKeysAndForgetsIndices() {
        TestNet.link(a, "10.214.0.2/32", b, "10.214.0.1/32", null, false, 0);
        a.send(TestNet.ipv4("10.214.0.2", "10.214.0.1", 10));
        net.pump();
        Keypair kp = a.peerOf(b).keypairs.current;
        assertNotNull(kp);
        a.device.destroy();
        assertTrue(kp.destroyed());
        assertEquals(0, a.device.indexCount());
        assertSame(null, a.device.peer(PublicKey.of(b.publicKey)));
    }

    @Test
    void aJdkCipherSideAndABouncyCastleSideTalkBothWays() {
        TestNet mixed = new TestNet();
        TestNet.Node jce = mixed.node("jce", "10.213.0.5", 40005, 5, org.wgkaraf.engine.crypto.JceTransportCipher.FACTORY);
        TestNet.Node bc = mixed.node("bc", "10.213.0.6", 40006, 6, org.wgkaraf.engine.crypto.BcTransportCipher.FACTORY);
        TestNet.link(jce, "10.214.0.6/32", bc, "10.214.0.5/32", psk(), false, 0);
        for (int i = 0; i < 50; i++) {
            byte[] there = TestNet.ipv4("10.214.0.6", "10.214.0.5", i * 30);
            byte[] back = TestNet.ipv4("10.214.0.5", "10.214.0.6", i * 30 + 1);
            assertTrue(jce.send(there));
            mixed.pump();
            assertTrue(bc.send(back));
            mixed.pump();
            assertArrayEquals(there, bc.delivered.get(i));
            assertArrayEquals(back, jce.delivered.get(i));
        }
    }
}
