package org.wgkaraf.engine.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.wgkaraf.api.engine.DropReason;

/** Every timer rule of the whitepaper's section 6, under a fake clock. */
class TimersTest {
    private static final double STEP = 0.05;
    private final TestNet net = new TestNet();
    private final TestNet.Node a = net.node("a", "10.213.0.1", 40001, 11);
    private final TestNet.Node b = net.node("b", "10.213.0.2", 51820, 12);

    private void connect(int keepalive) {
        TestNet.link(a, "10.214.0.2/32", b, "10.214.0.1/32", null, false, keepalive);
        a.send(TestNet.ipv4("10.214.0.2", "10.214.0.1", 10));
        net.pump();
        assertEquals(1, b.delivered.size());
    }

    /** Times (s since start) at which {@code node} sent messages of {@code type}, watching for {@code seconds}. */
    private List<Double> watch(TestNet.Node node, byte type, double seconds) {
        List<Double> times = new ArrayList<>();
        long start = net.clock.nanoTime();
        int seen = node.sent.size();
        long end = start + (long) (seconds * 1e9);
        while (net.clock.nanoTime() < end) {
            net.run(STEP, STEP);
            for (; seen < node.sent.size(); seen++) {
                if (node.sent.get(seen).type() == type) {
                    times.add((net.clock.nanoTime() - start) / 1e9);
                }
            }
        }
        return times;
    }

    @Test
    void unansweredInitiationIsRetriedEveryFiveSecondsWithJitterAndAbandonedAfterNinety() {
        TestNet.link(a, "10.214.0.2/32", b, "10.214.0.1/32", null, false, 0);
        net.loss = d -> true; // b is gone
        a.send(TestNet.ipv4("10.214.0.2", "10.214.0.1", 10));
        List<Double> retries = watch(a, Messages.TYPE_INITIATION, 200);
        // the first initiation went out at t=0, before watching; then 19 retries (MAX_TIMER_HANDSHAKES + 1)
        assertEquals(Constants.MAX_TIMER_HANDSHAKES + 1, retries.size(), retries.toString());
        double previous = 0;
        for (double t : retries) {
            double gap = t - previous;
            assertTrue(gap >= 5.0 && gap <= 5.333 + STEP, "retry gap " + gap + " is REKEY_TIMEOUT plus up to 333 ms");
            previous = t;
        }
        double last = retries.get(retries.size() - 1);
        assertTrue(last >= 90 && last < 105, "gave up after about REKEY_ATTEMPT_TIME: last retry at " + last);
        assertTrue(a.peerOf(b).staged.isEmpty(), "giving up flushes the queue");
        assertTrue(a.staleCalls > 0, "the runtime was asked to re-resolve the endpoint");
    }

    @Test
    void jitterDiffersBetweenRetries() {
        TestNet.link(a, "10.214.0.2/32", b, "10.214.0.1/32", null, false, 0);
        net.loss = d -> true;
        a.send(TestNet.ipv4("10.214.0.2", "10.214.0.1", 10));
        List<Double> t = watch(a, Messages.TYPE_INITIATION, 30);
        java.util.Set<Long> gaps = new java.util.HashSet<>();
        for (int i = 1; i < t.size(); i++) {
            gaps.add(Math.round((t.get(i) - t.get(i - 1)) * 1000 / 50));
        }
        assertTrue(gaps.size() > 1, "retry gaps all equal: " + t);
    }

    @Test
    void initiatorRekeysWhenSendingAfterRekeyAfterTime() {
        connect(0);
        Keypair first = a.peerOf(b).keypairs.current;
        net.run(119, 1);
        a.send(TestNet.ipv4("10.214.0.2", "10.214.0.1", 10));
        net.pump();
        assertEquals(1, a.sentOfType(Messages.TYPE_INITIATION), "no rekey before 120 s");
        net.run(2, 1);
        a.send(TestNet.ipv4("10.214.0.2", "10.214.0.1", 10));
        net.pump();
        assertEquals(2, a.sentOfType(Messages.TYPE_INITIATION), "rekey once the session is older than 120 s");
        assertNotSame(first, a.peerOf(b).keypairs.current);
        assertEquals(first, a.peerOf(b).keypairs.previous, "the old session stays as previous for packets in flight");
    }

    @Test
    void sessionIsRejectedAfterRejectAfterTime() {
        connect(0);
        TestNet.Datagram old = a.sent.get(a.sent.size() - 1);
        net.loss = d -> d.type() == Messages.TYPE_INITIATION;
        net.run(181, 1);
        // a sends: the session is too old, so the packet is queued and a handshake starts
        a.send(TestNet.ipv4("10.214.0.2", "10.214.0.1", 10));
        net.pump();
        assertEquals(1, a.peerOf(b).staged.size());
        // a datagram of the old session reaching b is refused
        byte[] replay = old.bytes().clone();
        Messages.putLong(replay, Messages.TRANSPORT_COUNTER, 99);
        b.receive(replay, 0, replay.length, old.source());
        assertEquals(1, b.drops(DropReason.KEY_EXPIRED));
        assertFalse(a.peerOf(b).isUp(net.clock.nanoTime()), "peer is down 180 s after the latest handshake");
    }

    @Test
    void receiverSendsPassiveKeepaliveTenSecondsAfterDataItDidNotAnswer() {
        connect(0);
        long before = b.sentOfType(Messages.TYPE_TRANSPORT);
        List<Double> keepalives = watch(b, Messages.TYPE_TRANSPORT, 12);
        assertEquals(0, before);
        assertEquals(1, keepalives.size());
        assertEquals(10.0, keepalives.get(0), STEP + 1e-9);
        assertEquals(32, b.sent.get(b.sent.size() - 1).bytes().length);
    }

    @Test
    void newHandshakeWhenDataGoesUnansweredForFifteenSeconds() {
        connect(0);
        net.loss = d -> d.from() == b; // b receives but its answers are lost
        a.send(TestNet.ipv4("10.214.0.2", "10.214.0.1", 10));
        List<Double> inits = watch(a, Messages.TYPE_INITIATION, 16);
        assertEquals(1, inits.size(), "one new initiation");
        assertTrue(inits.get(0) >= 15.0 && inits.get(0) <= 15.333 + STEP, "at KEEPALIVE + REKEY_TIMEOUT + jitter: " + inits);
    }

    @Test
    void aLostKeyConfirmationIsSentOnceMoreAfterASecondSoTheResponderCanSend() {
        TestNet.link(a, "10.214.0.2/32", b, "10.214.0.1/32", null, false, 0);
        int[] transportsFromA = {0};
        net.loss = d -> d.from() == a && d.type() == Messages.TYPE_TRANSPORT && transportsFromA[0]++ == 0;
        a.send(TestNet.ipv4("10.214.0.2", "10.214.0.1", 10)); // the handshake, then this packet: lost
        net.pump();
        assertEquals(0, b.delivered.size());
        assertNull(b.peerOf(a).keypairs.current, "without a confirmation b has no session to send on");
        List<Double> resent = watch(a, Messages.TYPE_TRANSPORT, 5);
        assertEquals(1, resent.size(), "one keepalive more, and only one: " + resent);
        assertEquals(1.0, resent.get(0), STEP + 1e-9, "CONFIRMATION_RESEND after the lost confirmation");
        assertEquals(32, a.sent.get(a.sent.size() - 1).bytes().length, "a keepalive");
        assertNotNull(b.peerOf(a).keypairs.current, "the keepalive confirmed b's session");
        b.send(TestNet.ipv4("10.214.0.1", "10.214.0.2", 10));
        net.pump();
        assertEquals(1, a.delivered.size(), "b can send");
    }

    @Test
    void noConfirmationIsResentWhenTheResponderAnswersOrMoreThanOnePacketWent() {
        connect(0);
        b.send(TestNet.ipv4("10.214.0.1", "10.214.0.2", 10)); // b answers within the second
        net.pump();
        assertEquals(0, watch(a, Messages.TYPE_TRANSPORT, 5).size(), "an answered confirmation is not resent");

        TestNet.Node c = net.node("c", "10.213.0.3", 40003, 13);
        TestNet.Node d = net.node("d", "10.213.0.4", 51821, 14);
        TestNet.link(c, "10.215.0.2/32", d, "10.215.0.1/32", null, false, 0);
        c.send(TestNet.ipv4("10.215.0.2", "10.215.0.1", 10));
        net.pump();
        c.send(TestNet.ipv4("10.215.0.2", "10.215.0.1", 11)); // a second packet on the session
        net.pump();
        assertEquals(2, d.delivered.size());
        assertEquals(0, watch(c, Messages.TYPE_TRANSPORT, 5).size(), "two packets sent: the confirmation is not resent");
    }

    @Test
    void keyMaterialIsZeroedAfterThreeTimesRejectAfterTime() {
        connect(0);
        Keypair kp = a.peerOf(b).keypairs.current;
        net.run(539, 1);
        assertNotNull(a.peerOf(b).keypairs.current);
        net.run(2, 1);
        assertNull(a.peerOf(b).keypairs.current);
        assertTrue(kp.destroyed());
        assertEquals(0, a.device.indexCount());
        assertEquals(0, b.device.indexCount());
    }

    @Test
    void persistentKeepaliveKeepsAnIdleTunnelTalking() {
        connect(25);
        List<Double> keepalives = watch(a, Messages.TYPE_TRANSPORT, 90);
        // At 1 s a's key confirmation (its one data packet) is still unanswered: one keepalive
        // more (CONFIRMATION_RESEND). b's passive keepalive at 10 s is authenticated traffic: a's
        // persistent timer restarts from there.
        assertEquals(4, keepalives.size(), keepalives.toString());
        assertEquals(1.0, keepalives.get(0), STEP + 1e-9);
        assertEquals(35.0, keepalives.get(1), STEP + 1e-9);
        assertEquals(60.0, keepalives.get(2), STEP + 1e-9);
        assertEquals(85.0, keepalives.get(3), STEP + 1e-9);
    }

    @Test
    void persistentKeepaliveStartsTheTunnelByItself() {
        TestNet.link(a, "10.214.0.2/32", b, "10.214.0.1/32", null, false, 25);
        a.device.connect(net.clock.nanoTime(), a);
        net.pump();
        assertTrue(a.peerOf(b).isUp(net.clock.nanoTime()));
        assertTrue(b.peerOf(a).isUp(net.clock.nanoTime()));
    }

    @Test
    void persistentKeepaliveRetriesForeverAfterGivingUpSoTheTunnelReturnsWhenThePeerDoes() {
        TestNet.link(a, "10.214.0.2/32", b, "10.214.0.1/32", null, false, 25);
        net.loss = d -> true;
        a.device.connect(net.clock.nanoTime(), a);
        net.run(300, 0.5);
        assertFalse(a.peerOf(b).isUp(net.clock.nanoTime()));
        net.loss = d -> false;
        net.run(40, 0.5);
        assertTrue(a.peerOf(b).isUp(net.clock.nanoTime()), "came back by itself");
    }

    @Test
    void lastMinuteRekeyOnReceiveForAnInitiatorThatOnlyListens() {
        connect(0);
        long inits = a.sentOfType(Messages.TYPE_INITIATION);
        net.run(166, 1);
        b.send(TestNet.ipv4("10.214.0.1", "10.214.0.2", 10)); // b talks, a only receives
        net.pump();
        assertEquals(inits + 1, a.sentOfType(Messages.TYPE_INITIATION));
    }

    @Test
    void packetsQueuedDuringTheHandshakeAreSentInOrderAndTheQueueIsBounded() {
        TestNet.link(a, "10.214.0.2/32", b, "10.214.0.1/32", null, false, 0);
        net.loss = d -> true;
        for (int i = 0; i < Constants.MAX_STAGED_PACKETS + 10; i++) {
            a.send(TestNet.ipv4("10.214.0.2", "10.214.0.1", i));
        }
        assertEquals(10, a.drops(DropReason.QUEUE_FULL));
        assertEquals(Constants.MAX_STAGED_PACKETS, a.peerOf(b).staged.size());
        net.inFlight.clear();
        net.loss = d -> false;
        net.run(6, 0.1); // the retry gets through
        assertEquals(Constants.MAX_STAGED_PACKETS, b.delivered.size());
        assertEquals(20 + 10, b.delivered.get(0).length, "oldest dropped, order kept");
        assertEquals(20 + Constants.MAX_STAGED_PACKETS + 9, b.delivered.get(Constants.MAX_STAGED_PACKETS - 1).length);
    }

    @Test
    void nextDeadlineTellsTheRuntimeWhenToCallAgain() {
        TestNet.link(a, "10.214.0.2/32", b, "10.214.0.1/32", null, false, 0);
        assertEquals(Long.MAX_VALUE, a.device.nextDeadline());
        net.loss = d -> true;
        a.send(TestNet.ipv4("10.214.0.2", "10.214.0.1", 10));
        long d = a.device.nextDeadline() - net.clock.nanoTime();
        assertTrue(d >= Constants.REKEY_TIMEOUT && d <= Constants.REKEY_TIMEOUT + Constants.REKEY_TIMEOUT_JITTER_MAX);
    }
}
