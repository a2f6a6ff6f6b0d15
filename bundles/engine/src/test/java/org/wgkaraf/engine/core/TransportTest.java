package org.wgkaraf.engine.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.wgkaraf.api.engine.DropReason;

class TransportTest {
    private final TestNet net = new TestNet();
    private final TestNet.Node a = net.node("a", "10.213.0.1", 40001, 21);
    private final TestNet.Node b = net.node("b", "10.213.0.2", 51820, 22);

    private TestNet.Datagram connectAndCapture() {
        TestNet.link(a, "10.214.0.2/32", b, "10.214.0.1/32", null, false, 0);
        a.send(TestNet.ipv4("10.214.0.2", "10.214.0.1", 10));
        net.pump();
        a.send(TestNet.ipv4("10.214.0.2", "10.214.0.1", 20));
        TestNet.Datagram d = net.inFlight.peek();
        net.pump();
        return d;
    }

    @Test
    void replayedDatagramIsDroppedAndCannotMoveTheEndpoint() {
        TestNet.Datagram d = connectAndCapture();
        int delivered = b.delivered.size();
        InetSocketAddress attacker = TestNet.addr("10.213.0.66", 6666);
        byte[] copy = d.bytes().clone();
        b.receive(copy, 0, copy.length, attacker);
        assertEquals(1, b.drops(DropReason.REPLAYED));
        assertEquals(delivered, b.delivered.size());
        assertEquals(a.address, b.peerOf(a).endpoint(), "a replay from elsewhere does not redirect the tunnel");
    }

    @Test
    void endpointFollowsAuthenticatedPacketsFromANewAddress() {
        connectAndCapture();
        net.nodes.remove(a.address);
        a.address = TestNet.addr("10.213.0.9", 40999); // a roams
        net.nodes.put(a.address, a);
        a.send(TestNet.ipv4("10.214.0.2", "10.214.0.1", 30));
        net.pump();
        assertEquals(a.address, b.peerOf(a).endpoint());
        b.send(TestNet.ipv4("10.214.0.1", "10.214.0.2", 30));
        net.pump();
        assertEquals(1, a.delivered.size(), "b's answer reached a at its new address");
    }

    @Test
    void tamperedDatagramIsCountedAndDropped() {
        TestNet.Datagram d = connectAndCapture();
        byte[] bad = d.bytes().clone();
        Messages.putLong(bad, Messages.TRANSPORT_COUNTER, 50);
        bad[bad.length - 1] ^= 1;
        b.receive(bad, 0, bad.length, d.source());
        assertEquals(1, b.drops(DropReason.DECRYPT_FAILED));
        // the counter of a forged packet is not burnt: the genuine one with counter 50 would still pass
        assertTrue(b.peerOf(a).keypairs.current.replay.check(50));
    }

    @Test
    void innerSourceOutsideAllowedIpsIsDropped() {
        connectAndCapture();
        a.device.addPeer(new org.wgkaraf.api.engine.PeerConfig(org.wgkaraf.api.engine.PublicKey.of(b.publicKey), null, null,
                java.util.List.of(org.wgkaraf.api.engine.IpPrefix.parse("0.0.0.0/0")), 0));
        int before = b.delivered.size();
        a.send(TestNet.ipv4("10.99.0.5", "10.214.0.1", 10)); // spoofed inner source
        net.pump();
        assertEquals(1, b.drops(DropReason.SOURCE_NOT_ALLOWED));
        assertEquals(before, b.delivered.size());
    }

    @Test
    void outboundWithoutRouteOrEndpointIsRefused() {
        TestNet.link(a, "10.214.0.2/32", b, "10.214.0.1/32", null, false, 0);
        assertFalse(a.send(TestNet.ipv4("10.214.0.2", "192.0.2.1", 10)));
        assertEquals(1, a.drops(DropReason.NO_ROUTE));
        assertFalse(b.send(TestNet.ipv4("10.214.0.1", "10.214.0.2", 10)), "b does not know a's endpoint yet");
        assertEquals(1, b.drops(DropReason.NO_ENDPOINT));
        byte[] truncated = TestNet.ipv4("10.214.0.2", "10.214.0.1", 10);
        assertFalse(a.device.send(truncated, 0, 25, net.clock.nanoTime(), a));
        assertEquals(1, a.drops(DropReason.INNER_MALFORMED));
    }

    @Test
    void paddingIsToSixteenAndTrimmedOnDelivery() {
        connectAndCapture();
        for (int payload = 0; payload < 40; payload++) {
            byte[] p = TestNet.ipv4("10.214.0.2", "10.214.0.1", payload);
            a.send(p);
            TestNet.Datagram d = net.inFlight.peek();
            net.pump();
            assertEquals(32 + ((p.length + 15) & ~15), d.bytes().length);
            assertEquals(p.length, b.delivered.get(b.delivered.size() - 1).length);
        }
    }

    @Test
    void reorderedDatagramsWithinTheWindowAreAllAcceptedOnce() {
        connectAndCapture();
        net.loss = d -> true;
        java.util.List<byte[]> sent = new java.util.ArrayList<>();
        for (int i = 0; i < 500; i++) {
            a.send(TestNet.ipv4("10.214.0.2", "10.214.0.1", 10));
            sent.add(a.sent.get(a.sent.size() - 1).bytes());
        }
        java.util.Collections.shuffle(sent, new Random(7));
        int before = b.delivered.size();
        for (byte[] d : sent) {
            b.receive(d.clone(), 0, d.length, a.address);
            b.receive(d.clone(), 0, d.length, a.address);
        }
        assertEquals(before + 500, b.delivered.size());
        assertEquals(500, b.drops(DropReason.REPLAYED));
    }

    @Test
    void hostileDatagramsNeverThrowAndAreCounted() {
        TestNet.Datagram d = connectAndCapture();
        Random r = new Random(42);
        long total = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] junk;
            if (i % 2 == 0) {
                junk = new byte[r.nextInt(200)];
                r.nextBytes(junk);
                if (junk.length > 0 && r.nextBoolean()) {
                    junk[0] = (byte) (1 + r.nextInt(4));
                    if (junk.length > 3) {
                        junk[1] = junk[2] = junk[3] = 0;
                    }
                }
            } else {
                junk = d.bytes().clone(); // a valid message, mutated
                junk[r.nextInt(junk.length)] ^= (byte) (1 + r.nextInt(255));
            }
            b.receive(junk, 0, junk.length, d.source());
            total++;
        }
        long counted = b.device.drops().values().stream().mapToLong(Long::longValue).sum();
        assertEquals(total, counted, "every hostile datagram is dropped and counted");
        a.send(TestNet.ipv4("10.214.0.2", "10.214.0.1", 5));
        int before = b.delivered.size();
        net.pump();
        assertEquals(before + 1, b.delivered.size(), "the tunnel still works");
    }

    @Test
    void oneTunnelWithSeveralPeersRoutesEachPacketByItsAllowedIps() {
        TestNet.Node c = net.node("c", "10.213.0.3", 51821, 23);
        TestNet.link(a, "10.214.0.2/32", b, "10.214.1.0/24", null, false, 0);
        TestNet.link(a, "10.214.0.2/32", c, "10.214.2.0/24", null, false, 0);
        for (int i = 0; i < 10; i++) {
            a.send(TestNet.ipv4("10.214.0.2", "10.214.1." + (i + 1), i));
            a.send(TestNet.ipv4("10.214.0.2", "10.214.2." + (i + 1), i));
            net.pump();
        }
        assertEquals(10, b.delivered.size());
        assertEquals(10, c.delivered.size());
        for (byte[] p : b.delivered) {
            assertEquals(1, p[18], "b only got 10.214.1.x");
        }
        for (byte[] p : c.delivered) {
            assertEquals(2, p[18], "c only got 10.214.2.x");
        }
        // replies come back on each peer's own session; a packet claiming the other peer's range is refused
        b.send(TestNet.ipv4("10.214.1.1", "10.214.0.2", 5));
        c.send(TestNet.ipv4("10.214.2.1", "10.214.0.2", 5));
        net.pump();
        assertEquals(2, a.delivered.size());
        c.device.addPeer(new org.wgkaraf.api.engine.PeerConfig(org.wgkaraf.api.engine.PublicKey.of(a.publicKey), null, null,
                java.util.List.of(org.wgkaraf.api.engine.IpPrefix.parse("0.0.0.0/0")), 0));
        c.send(TestNet.ipv4("10.214.1.7", "10.214.0.2", 5)); // c pretends to be in b's range
        net.pump();
        assertEquals(1, a.drops(DropReason.SOURCE_NOT_ALLOWED));
    }

    @Test
    void rekeyAfterMessagesAndRejectAfterMessages() {
        connectAndCapture();
        Peer toB = a.peerOf(b);
        long inits = a.sentOfType(Messages.TYPE_INITIATION);
        net.clock.advanceSeconds(6); // past REKEY_TIMEOUT, so only the counter decides
        toB.keypairs.current.sendCounter = Constants.REKEY_AFTER_MESSAGES - 1;
        a.send(TestNet.ipv4("10.214.0.2", "10.214.0.1", 5)); // uses counter 2^60 - 1
        net.pump();
        assertEquals(inits, a.sentOfType(Messages.TYPE_INITIATION), "up to REKEY_AFTER_MESSAGES messages, no rekey");
        a.send(TestNet.ipv4("10.214.0.2", "10.214.0.1", 5)); // uses counter 2^60
        net.pump();
        assertEquals(inits + 1, a.sentOfType(Messages.TYPE_INITIATION), "past REKEY_AFTER_MESSAGES: a new handshake");

        // a session whose counter reached REJECT_AFTER_MESSAGES sends nothing more with those keys
        Keypair kp = a.peerOf(b).keypairs.current;
        kp.sendCounter = Constants.REJECT_AFTER_MESSAGES;
        net.loss = d -> true;
        long transports = a.sentOfType(Messages.TYPE_TRANSPORT);
        a.send(TestNet.ipv4("10.214.0.2", "10.214.0.1", 5));
        assertEquals(transports, a.sentOfType(Messages.TYPE_TRANSPORT));
        assertEquals(1, a.peerOf(b).staged.size(), "queued for the next session");
    }
}
