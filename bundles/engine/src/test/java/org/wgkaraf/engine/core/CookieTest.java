package org.wgkaraf.engine.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.wgkaraf.api.engine.DropReason;

class CookieTest {
    private final TestNet net = new TestNet();
    private final TestNet.Node a = net.node("a", "10.213.0.1", 40001, 31);
    private final TestNet.Node b = net.node("b", "10.213.0.2", 51820, 32);
    private final Random random = new Random(5);

    /** Initiations with a valid MAC1 for b but nothing behind it, from many sources. */
    private void flood(TestNet.Node target, int count) {
        CookieGenerator macs = new CookieGenerator(target.publicKey);
        for (int i = 0; i < count; i++) {
            byte[] m = new byte[Messages.INITIATION_SIZE];
            random.nextBytes(m);
            Messages.header(m, 0, Messages.TYPE_INITIATION);
            macs.addMacs(m, m.length, net.clock.nanoTime());
            InetSocketAddress src = TestNet.addr("10.213.1." + (1 + i % 200), 1000 + i);
            target.receive(m, 0, m.length, src);
        }
        net.inFlight.removeIf(d -> !net.nodes.containsKey(d.to()));
    }

    @Test
    void underLoadTheResponderAsksForACookieAndTheInitiatorRetriesWithMac2() {
        TestNet.link(a, "10.214.0.2/32", b, "10.214.0.1/32", null, false, 0);
        flood(b, Constants.UNDER_LOAD_HANDSHAKES_PER_SECOND + 10);
        assertTrue(b.device.isUnderLoad(net.clock.nanoTime()));
        long cookiesForFlood = b.sentOfType(Messages.TYPE_COOKIE_REPLY);
        assertTrue(cookiesForFlood > 0, "flood sources got cookie replies instead of responses");
        assertEquals(0, b.sentOfType(Messages.TYPE_RESPONSE));

        a.send(TestNet.ipv4("10.214.0.2", "10.214.0.1", 10));
        net.pump();
        assertEquals(cookiesForFlood + 1, b.sentOfType(Messages.TYPE_COOKIE_REPLY), "a got a cookie reply");
        assertEquals(0, a.drops(DropReason.COOKIE_INVALID), "a took the cookie");
        assertTrue(a.peerOf(b).cookies.hasFreshCookie(net.clock.nanoTime()));
        assertFalse(a.peerOf(b).isUp(net.clock.nanoTime()));

        // Still under load when a retries after REKEY_TIMEOUT: its MAC2 now gets it through.
        for (int s = 0; s < 6; s++) {
            net.clock.advanceSeconds(0.9);
            flood(b, Constants.UNDER_LOAD_HANDSHAKES_PER_SECOND + 10);
            a.tick();
            net.pump();
        }
        assertTrue(b.device.isUnderLoad(net.clock.nanoTime()));
        assertTrue(a.peerOf(b).isUp(net.clock.nanoTime()), "handshake completed under load");
        assertEquals(1, b.delivered.size());
    }

    @Test
    void underLoadRateLimiterStillAppliesToValidMac2() {
        TestNet.link(a, "10.214.0.2/32", b, "10.214.0.1/32", null, false, 0);
        flood(b, Constants.UNDER_LOAD_HANDSHAKES_PER_SECOND + 10);
        a.send(TestNet.ipv4("10.214.0.2", "10.214.0.1", 10));
        net.pump(); // a now holds a cookie
        // Replay a's next initiation (valid MAC2) many times from a's address within one second.
        net.clock.advanceSeconds(5.5);
        flood(b, Constants.UNDER_LOAD_HANDSHAKES_PER_SECOND + 10);
        net.loss = d -> d.from() == a;
        a.tick();
        TestNet.Datagram init = a.sent.get(a.sent.size() - 1);
        assertEquals(Messages.TYPE_INITIATION, init.type());
        for (int i = 0; i < 30; i++) {
            b.receive(init.bytes().clone(), 0, 148, init.source());
        }
        assertTrue(b.drops(DropReason.RATE_LIMITED) > 0);
    }

    @Test
    void unexpectedOrForgedCookieRepliesAreDropped() {
        TestNet.link(a, "10.214.0.2/32", b, "10.214.0.1/32", null, false, 0);
        byte[] reply = new byte[Messages.COOKIE_REPLY_SIZE];
        random.nextBytes(reply);
        Messages.header(reply, 0, Messages.TYPE_COOKIE_REPLY);
        a.receive(reply, 0, reply.length, b.address);
        assertEquals(1, a.drops(DropReason.COOKIE_INVALID));
    }

    @Test
    void notUnderLoadNoCookieIsNeeded() {
        TestNet.link(a, "10.214.0.2/32", b, "10.214.0.1/32", null, false, 0);
        flood(b, 20);
        assertFalse(b.device.isUnderLoad(net.clock.nanoTime()));
        a.send(TestNet.ipv4("10.214.0.2", "10.214.0.1", 10));
        net.pump();
        assertEquals(0, b.sentOfType(Messages.TYPE_COOKIE_REPLY));
        assertEquals(1, b.delivered.size());
    }
}
