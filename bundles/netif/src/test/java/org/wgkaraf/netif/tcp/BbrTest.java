package org.wgkaraf.netif.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The model-based controller and the delivery rate samples it feeds on: the window follows the
 * path's bandwidth and delay, not its random loss.
 */
class BbrTest {
    private static final int MSS = 1368;
    private static final long MS = 1_000_000L;

    /** Feeds {@code rounds} round trips of {@code segmentsPerRound} delivered over {@code rtt} each. */
    private static void deliver(Bbr bbr, DeliveryRate rate, RetransmissionQueue q, int rounds, int segmentsPerRound, long rtt,
                                long[] clock) {
        for (int r = 0; r < rounds; r++) {
            long sentAt = clock[0];
            for (int i = 0; i < segmentsPerRound; i++) {
                q.add(i * MSS, MSS, false, sentAt);
                rate.sent(q, q.count() - 1, sentAt, q.count() == 1);
            }
            clock[0] += rtt;
            for (int i = 0; i < segmentsPerRound; i++) {
                rate.delivered(q, 0, MSS, clock[0], false); // the oldest segment is delivered, then acknowledged
                q.acknowledge(q.seq(0) + MSS);
                if (rate.sample(clock[0], rtt)) {
                    bbr.onRateSample(rate, rtt, q.pipe(), MSS, clock[0]);
                }
                bbr.onAck(MSS, MSS, true, clock[0]);
            }
        }
    }

    private static final long AFTER_TWELVE_ROUNDS = 12 * 50 * MS;

    /** A model fed 12 round trips of 100 segments per 50 ms: out of Startup, its window about two BDP. */
    private static Bbr afterTwelveRounds() {
        Bbr bbr = new Bbr(MSS);
        deliver(bbr, new DeliveryRate(), new RetransmissionQueue(100_000), 12, 100, 50 * MS, new long[] {0});
        return bbr;
    }

    @Test
    void theDeliveryRateIsTheBytesDeliveredOverTheLongerOfTheSendAndAckIntervals() {
        RetransmissionQueue q = new RetransmissionQueue(100);
        DeliveryRate rate = new DeliveryRate();
        q.add(0, 1000, false, 0);
        rate.sent(q, 0, 0, true);
        q.add(1000, 1000, false, 10 * MS);
        rate.sent(q, 1, 10 * MS, false);
        rate.delivered(q, 0, 1000, 50 * MS, false);
        rate.delivered(q, 1, 1000, 60 * MS, false);
        assertTrue(rate.sample(60 * MS, MS));
        assertEquals(2000, rate.sampleDelivered);
        assertEquals(60 * MS, rate.sampleInterval, "from the first send (delivered time 0) to the last delivery");
        assertEquals(2000 * 1000 / 60, rate.rate());
    }

    @Test
    void aRetransmittedSegmentWhoseAckMayAnswerItsOriginalDatesNoSampleAndEndsNoRound() {
        // Segments 0 and 1 leave at 0; segment 1 is SACKed at 100 ms (the path's minimum RTT),
        // which starts a round. Segment 0 was only late: it is resent at 110 ms, and its original
        // arrives at 120 ms. That ACK cannot be the retransmission's (10 ms after it): its bytes
        // count as delivered, but it makes no sample, so no round ends 10 ms after the last one.
        RetransmissionQueue q = new RetransmissionQueue(100);
        DeliveryRate rate = new DeliveryRate();
        Bbr bbr = new Bbr(1000);
        q.add(0, 1000, false, 0);
        rate.sent(q, 0, 0, true);
        q.add(1000, 1000, false, 0);
        rate.sent(q, 1, 0, false);
        q.markSacked(1);
        rate.delivered(q, 1, 1000, 100 * MS, false);
        assertTrue(rate.sample(100 * MS, 100 * MS));
        bbr.onRateSample(rate, -1, q.pipe(), 1000, 100 * MS);
        assertEquals(1, bbr.round());

        q.retransmitted(0, 110 * MS);
        rate.sent(q, 0, 110 * MS, false);
        Rack rack = new Rack(0);
        rack.beginAck(false, 0, 100 * MS); // no timestamps: only the time since the retransmission tells
        assertTrue(rack.answersEarlierTransmission(q, 0, 120 * MS));
        rate.delivered(q, 0, 1000, 120 * MS, rack.answersEarlierTransmission(q, 0, 120 * MS));
        q.acknowledge(2000);
        assertEquals(2000, rate.delivered, "the original's bytes are delivered");
        boolean sampled = rate.sample(120 * MS, 100 * MS);
        assertFalse(sampled, "no sample from a send 10 ms before its answer");
        if (sampled) { // as LossRecovery feeds BBR
            bbr.onRateSample(rate, -1, q.pipe(), 1000, 120 * MS);
        }
        assertEquals(1, bbr.round(), "no round of 10 ms");

        // The same retransmission answered a full RTT after it is the retransmission's answer.
        DeliveryRate rate2 = resentAt110AndAnsweredAt215(false, 0);
        assertTrue(rate2.sample(215 * MS, 100 * MS), "105 ms after the retransmission: its answer");
        assertEquals(1000, rate2.sampleDelivered);

        // The same delay, but the ACK's timestamp echo is the original's (sent at 0 ms, the
        // retransmission at 110): it was the original, only very late, that arrived.
        DeliveryRate rate3 = resentAt110AndAnsweredAt215(true, 0);
        assertEquals(1000, rate3.delivered, "its bytes are delivered");
        assertFalse(rate3.sample(215 * MS, 100 * MS), "no sample dated to the retransmission");
    }

    /**
     * One segment sent at 0 and resent at 110 ms on a path of 100 ms minimum RTT; an ACK (with
     * the timestamp echo given, if any) delivers it at 215 ms, as LossRecovery reports it.
     */
    private static DeliveryRate resentAt110AndAnsweredAt215(boolean hasEcho, int echo) {
        RetransmissionQueue q = new RetransmissionQueue(100);
        DeliveryRate rate = new DeliveryRate();
        q.add(0, 1000, false, 0);
        rate.sent(q, 0, 0, true);
        q.retransmitted(0, 110 * MS);
        rate.sent(q, 0, 110 * MS, false);
        Rack rack = new Rack(0);
        rack.beginAck(hasEcho, echo, 100 * MS);
        rate.delivered(q, 0, 1000, 215 * MS, rack.answersEarlierTransmission(q, 0, 215 * MS));
        return rate;
    }

    @Test
    void startupGrowsUntilTheBandwidthStopsGrowingThenTheWindowIsTwiceTheBandwidthDelayProduct() {
        Bbr bbr = new Bbr(MSS);
        DeliveryRate rate = new DeliveryRate();
        RetransmissionQueue q = new RetransmissionQueue(100_000);
        long[] clock = {0};
        // The path carries 100 segments per 50 ms round trip, however many are sent.
        deliver(bbr, rate, q, 12, 100, 50 * MS, clock);
        assertTrue(bbr.mode == Bbr.Mode.DRAIN || bbr.mode == Bbr.Mode.PROBE_BW, "startup ended: " + bbr);
        long bdp = 100L * MSS;
        assertEquals(100L * MSS * 1_000_000_000L / (50 * MS), bbr.bandwidth(), 100L * MSS * 2, "the model's bandwidth: " + bbr);
        assertTrue(bbr.cwnd() >= bdp && bbr.cwnd() <= 3 * bdp + 3 * MSS, "a window of two BDP and some: " + bbr.cwnd());
    }

    @Test
    void startupEndsOnARoundThatLosesMoreThanRandomLossExplains() {
        assertEquals(Bbr.Mode.STARTUP, startupWithLoss(0.01, false), "1% a round, the lossy path's random loss: Startup goes on");
        assertNotEquals(Bbr.Mode.STARTUP, startupWithLoss(0.05, false), "5% a round, loss after loss: a queue overflows, Startup ends");
        assertEquals(Bbr.Mode.STARTUP, startupWithLoss(0.05, true), "5% a round in one burst, found by one ACK: Startup goes on");
    }

    /**
     * Eight rounds whose deliveries double each time (so Startup's "no more growth" rule never
     * ends it), each losing {@code share} of what it sent: spread over the round's ACKs, or all
     * found by its first ACK ({@code burst}). Returns the mode after them.
     */
    private static Bbr.Mode startupWithLoss(double share, boolean burst) {
        Bbr bbr = new Bbr(MSS);
        DeliveryRate rate = new DeliveryRate();
        RetransmissionQueue q = new RetransmissionQueue(100_000);
        long now = 0;
        long lost = 0;
        for (int r = 0; r < 8; r++) {
            int segments = 100 << r;
            int lossesDue = (int) Math.round(segments * share);
            long sentAt = now;
            for (int i = 0; i < segments; i++) {
                q.add(i * MSS, MSS, false, sentAt);
                rate.sent(q, q.count() - 1, sentAt, q.count() == 1);
            }
            now += 50 * MS;
            for (int i = 0; i < segments; i++) {
                if (lossesDue > 0 && (burst || i % (segments / lossesDue) == 0)) {
                    int n = burst ? lossesDue : 1;
                    lost += (long) n * MSS;
                    lossesDue -= n;
                }
                rate.lostSoFar(lost);
                rate.delivered(q, 0, MSS, now, false);
                q.acknowledge(q.seq(0) + MSS);
                if (rate.sample(now, 50 * MS)) {
                    bbr.onRateSample(rate, 50 * MS, q.pipe(), MSS, now);
                }
                bbr.onAck(MSS, MSS, true, now);
            }
        }
        return bbr.mode;
    }

    @Test
    void randomLossDoesNotShrinkTheWindow() {
        Bbr bbr = new Bbr(MSS);
        bbr.setCwnd(200 * MSS);
        bbr.onLoss(200 * MSS, MSS, 0);
        bbr.onRecoveryEnd(100 * MSS, MSS);
        assertEquals(200 * MSS, bbr.cwnd());
    }

    @Test
    void aTimeoutStartsOverFromOneSegmentAndTheWindowGrowsBackFast() {
        Bbr bbr = afterTwelveRounds();
        int before = bbr.cwnd();
        bbr.onTimeout(before, MSS, true);
        assertEquals(MSS, bbr.cwnd());
        for (int i = 0; i < 300; i++) {
            bbr.onAck(MSS, MSS, true, AFTER_TWELVE_ROUNDS);
        }
        assertTrue(bbr.cwnd() >= before - MSS, "back to the model's window: " + bbr.cwnd() + " of " + before);
    }

    @Test
    void theWindowBeforeATimeoutIsPutBackWhenItsRecoveryEnds() {
        Bbr bbr = afterTwelveRounds();
        int before = bbr.cwnd();
        bbr.onTimeout(before, MSS, true);
        bbr.onAck(MSS, MSS, true, AFTER_TWELVE_ROUNDS);
        bbr.onTimeout(2 * MSS, MSS, false); // the retransmission was lost too: the first window stays saved
        bbr.onAck(2 * MSS, MSS, true, AFTER_TWELVE_ROUNDS);
        assertTrue(bbr.cwnd() < before / 10, "regrowing from one segment: " + bbr.cwnd());
        bbr.onTimeoutRecovered(MSS);
        assertEquals(before, bbr.cwnd());
        bbr.onTimeoutRecovered(MSS);
        assertEquals(before, bbr.cwnd(), "once");
    }

    @Test
    void overTheLossyPathBbrKeepsTheSenderFastWhereNewRenoCrawls() {
        long bbr = transferTime(TcpConfig.DEFAULTS.withCongestion(TcpConfig.Congestion.BBR));
        long reno = transferTime(TcpConfig.DEFAULTS.withCongestion(TcpConfig.Congestion.NEW_RENO));
        assertTrue(bbr * 4 < reno, "BBR " + bbr / MS + " ms, NewReno " + reno / MS + " ms for the same 2 MiB");
    }

    private static long transferTime(TcpConfig config) {
        Simulation sim = new Simulation(config, TcpConfig.DEFAULTS, 21).open();
        sim.loss = 0.01;
        sim.delay = 50 * MS;
        Simulation.Transfer t = new Simulation.Transfer(sim.a, () -> sim.b, 2 << 20, 5);
        sim.onStep = t;
        long start = sim.now;
        assertTrue(sim.runUntil(t::complete, 600_000));
        assertEquals(-1, t.mismatchAt);
        return sim.now - start;
    }

    @Test
    void probeRttDrainsTheQueueOnceTheMinimumRttIsTenSecondsOld() {
        Bbr bbr = new Bbr(MSS);
        DeliveryRate rate = new DeliveryRate();
        RetransmissionQueue q = new RetransmissionQueue(1_000_000);
        long[] clock = {0};
        deliver(bbr, rate, q, 12, 100, 50 * MS, clock);
        int before = bbr.cwnd();
        // Ten seconds and more with a standing queue: every RTT sample above the minimum.
        boolean probed = false;
        int probingCwnd = Integer.MAX_VALUE;
        for (int r = 0; r < 220; r++) {
            deliver(bbr, rate, q, 1, 100, 55 * MS, clock);
            if (bbr.mode == Bbr.Mode.PROBE_RTT) {
                probed = true;
                probingCwnd = Math.min(probingCwnd, bbr.cwnd());
            }
        }
        assertTrue(probed, "ProbeRTT came after ten seconds");
        assertTrue(probingCwnd <= Bbr.MIN_CWND_SEGMENTS * MSS, "four segments while probing: " + probingCwnd);
        assertEquals(Bbr.Mode.PROBE_BW, bbr.mode, "and back");
        assertTrue(bbr.cwnd() >= before / 2, "with its window: " + bbr.cwnd());
        assertEquals(55 * MS, bbr.minRtt(), "the new minimum is what the path has now");
    }

    @Test
    void smallWritesAreApplicationLimitedAndDoNotShrinkTheModelsWindow() {
        Scripted s = Scripted.open(); // BBR
        for (int i = 0; i < 20; i++) {
            s.write(100); // an interactive session: a keystroke, an echo
            s.p.advance(50);
            s.seg().send();
        }
        assertTrue(s.t.cc.cwnd() >= CongestionControl.initialWindow(MSS), "the window: " + s.t.cc);
        int before = s.p.sent.size();
        s.write(10 * MSS);
        s.p.runFor(20); // paced at no less than the initial window per RTT at Startup's gain
        assertEquals(10, s.p.sent.size() - before, "a burst after typing still gets the initial window: " + s.t.cc);
    }
}
