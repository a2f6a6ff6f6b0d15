package org.wgkaraf.netif.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pacing (BBR's pacing rate, spread by {@link Pacer}): segments leave at the rate, in bursts no
 * larger than the horizon allows, released by the connection's timer when they are due.
 */
class PacerTest {
    private static final int MSS = 1368;
    private static final long MS = 1_000_000L;

    /** Departure times of {@code n} segments of {@code size} from a pacer whose timer fires {@code late} after each wake-up time. */
    private static List<Long> departures(long rate, int size, int n, long late) {
        Pacer p = new Pacer();
        long now = 0;
        for (int i = 0; i < Pacer.UNPACED_SEGMENTS; i++) {
            assertTrue(p.mayRelease(rate, MSS, now), "the initial window goes unpaced");
            p.sent(size, now);
        }
        now += 100 * MS; // an RTT later, the paced part begins
        List<Long> at = new ArrayList<>();
        while (at.size() < n) {
            if (p.mayRelease(rate, MSS, now)) {
                p.sent(size, now);
                at.add(now);
            } else {
                assertTrue(p.wakeAt > now, "held segments bring the timer back later");
                now = p.wakeAt + late;
            }
        }
        return at;
    }

    @Test
    void pacedSegmentsLeaveNoCloserThanSizeOverRateBeyondOneBurst() {
        long rate = 1_000_000; // 1 MB/s: a 1000-byte segment per millisecond
        int size = 1000;
        long horizon = Pacer.horizon(rate, MSS);
        List<Long> at = departures(rate, size, 500, 0);
        long gap = size * 1_000_000_000L / rate;
        for (int i = 0; i < at.size(); i++) {
            for (int j = i + 1; j < at.size(); j++) {
                // Segments i..j-1 need (j - i) gaps of size/rate; a burst may run ahead by the horizon.
                assertTrue(at.get(j) - at.get(i) >= (j - i) * gap - horizon,
                        "segments " + i + " and " + j + " left " + (at.get(j) - at.get(i)) / 1000 + " us apart");
            }
        }
        long burst = horizon * rate / 1_000_000_000L / size + 1;
        long most = 0;
        for (int i = 0, j = 0; i < at.size(); i++) {
            while (at.get(i) - at.get(j) > 0) {
                j++;
            }
            most = Math.max(most, i - j + 1);
        }
        assertTrue(most <= burst, "at most a horizon's worth at one instant: " + most + " of " + burst);
        assertTrue(most > 1, "but more than one per wake-up: the timer wakes once a burst, not once a segment");
    }

    @Test
    void aTimerUpToHalfTheHorizonLateCostsNoRate() {
        long rate = 3_000_000;
        int size = MSS;
        long late = Pacer.horizon(rate, MSS) / 2;
        List<Long> at = departures(rate, size, 2000, late);
        double seconds = (at.get(at.size() - 1) - at.get(0)) / 1e9;
        double achieved = (at.size() - 1) * (double) size / seconds;
        assertEquals(rate, achieved, rate * 0.01, "the rate holds");
    }

    @Test
    void theNextDepartureMovesOnBySizeOverRate() {
        Pacer p = new Pacer();
        for (int i = 0; i < Pacer.UNPACED_SEGMENTS; i++) {
            p.mayRelease(0, MSS, 0);
            p.sent(MSS, 0);
        }
        long now = 10 * MS;
        assertTrue(p.mayRelease(2_000_000, MSS, now));
        p.sent(1000, now);
        assertEquals(now + 500_000, p.next(), "1000 bytes at 2 MB/s: 500 us");
        p.sent(1000, now);
        assertEquals(now + 1_000_000, p.next());
        assertTrue(p.mayRelease(0, MSS, now + 1), "no rate: no pacing");
    }

    @Test
    void aHeldSegmentIsATimerDeadlineAndTheTimerReleasesIt() {
        Scripted s = Scripted.open(TcpConfig.DEFAULTS, true, true, 7, 50); // BBR, pacing on; a 50 ms path
        for (int i = 0; i < 5; i++) {
            s.write(100);
            s.p.advance(50);
            s.seg().send();
        }
        List<Segment> first = s.write(100 * MSS);
        assertEquals(Pacer.UNPACED_SEGMENTS - 5, first.size(), "the rest of the initial ten leave at once");
        // The peer acknowledges them: the window opens wide, the pacer decides.
        s.p.advance(50);
        s.seg().send();
        List<Segment> burst = s.p.drain();
        long rate = s.t.pacer.rate;
        assertTrue(rate > 0, "BBR gives a pacing rate: " + s.t.cc);
        assertFalse(burst.isEmpty());
        // A segment goes while the next departure is at most a horizon ahead: a burst is a
        // horizon's worth, and the segment that crosses it.
        assertTrue((burst.size() - 1) * (double) MSS <= Pacer.horizon(rate, MSS) * (double) rate / 1e9 + 1,
                "no more than a horizon's worth: " + burst.size() + " at " + rate + " B/s");
        assertTrue(s.t.cc.cwnd() - s.t.retransmissions.pipe() >= MSS, "the window would allow more");
        long due = s.t.pacer.wakeAt;
        assertTrue(due > s.p.now);
        assertEquals(due, s.t.nextDeadline(), "the held segment is the connection's next deadline");
        s.p.now = s.t.pacer.next() - Pacer.horizon(rate, MSS) - 1;
        s.p.none(); // an ACK that came now would release nothing either
        s.p.now = due;
        s.t.timer(s.p.now);
        assertFalse(s.p.drain().isEmpty(), "the timer releases it");
    }

    @Test
    void bbrPacesAtTheGainTimesTheBandwidthAndStartupNeverBelowTheInitialWindowPerRtt() {
        Bbr bbr = new Bbr(MSS, true);
        long srtt = 100 * MS;
        long initial = (long) (Bbr.HIGH_GAIN * CongestionControl.initialWindow(MSS) * 1e9 / srtt);
        assertEquals(initial, bbr.pacingRate(srtt, MSS), "before any bandwidth sample");
        assertEquals(0, new Bbr(MSS, false).pacingRate(srtt, MSS), "pacing off: none");
        assertEquals(0, new NewReno(MSS).pacingRate(srtt, MSS), "NewReno: none");
        // A path of 100 segments per 100 ms round trip, fed until Startup ends.
        DeliveryRate rate = new DeliveryRate();
        RetransmissionQueue q = new RetransmissionQueue(100_000);
        long now = 0;
        for (int r = 0; r < 30 && bbr.mode != Bbr.Mode.PROBE_BW; r++) {
            long sentAt = now;
            for (int i = 0; i < 100; i++) {
                q.add(i * MSS, MSS, false, sentAt);
                rate.sent(q, q.count() - 1, sentAt, q.count() == 1);
            }
            now += srtt;
            for (int i = 0; i < 100; i++) {
                rate.delivered(q, 0, MSS, now, false);
                q.acknowledge(q.seq(0) + MSS);
                if (rate.sample(now, srtt)) {
                    bbr.onRateSample(rate, srtt, q.pipe(), MSS, now);
                }
                bbr.onAck(MSS, MSS, true, now);
            }
        }
        assertEquals(Bbr.Mode.PROBE_BW, bbr.mode, bbr.toString());
        long bw = bbr.bandwidth();
        long paced = bbr.pacingRate(srtt, MSS);
        boolean matches = false;
        for (double gain : new double[] {1.25, 0.75, 1}) {
            matches |= Math.abs(paced - (long) (gain * Bbr.PACING_MARGIN * bw)) <= 1;
        }
        assertTrue(matches, "a ProbeBW gain times 0.99 times the bandwidth: " + paced + " for " + bw);
    }
}
