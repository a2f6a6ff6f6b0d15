package org.wgkaraf.netif.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Pacing against a shallow bottleneck, in simulated time: the lossy relay's path (1% loss each
 * way, 50 ms each way, 1% reordered by up to 20 ms) behind a 15 MB/s link with a 200 KB drop-tail
 * buffer (a relay's socket buffer), fed by a sender that can put 30 MB/s on the wire. BBR's
 * window alone lets bursts overflow the buffer; paced, the same transfers lose far fewer segments
 * and finish sooner.
 */
class PacingSimulationTest {
    private static final long MS = Simulation.MS;

    private record Outcome(long nanos, long overflowed, long timeouts) {
    }

    private static Outcome transfer(boolean pacing, long seed) {
        Simulation sim = new Simulation(TcpConfig.DEFAULTS.withPacing(pacing), TcpConfig.DEFAULTS, seed).open();
        sim.loss = 0.01;
        sim.delay = 50 * MS;
        sim.jitter = 20 * MS;
        sim.reorderShare = 0.01;
        sim.bottleneckRate = 15_000_000;
        sim.bottleneckBuffer = 200_000;
        sim.senderRate = 30_000_000;
        Simulation.Transfer t = new Simulation.Transfer(sim.a, () -> sim.b, 8 << 20, seed);
        sim.onStep = t;
        long start = sim.now;
        assertTrue(sim.runUntil(t::complete, 600_000), "transfer: " + sim.a);
        assertEquals(-1, t.mismatchAt);
        return new Outcome(sim.now - start, sim.overflowed, sim.a.recovery.timeouts);
    }

    /** 24 transfers: timeouts are a few per dozen transfers either way, and 8 were too few to tell them apart. */
    @Test
    void pacedTransfersOverflowAShallowBottleneckFarLessAndFinishSooner() {
        long[] paced = new long[3];
        long[] unpaced = new long[3];
        for (long seed = 31; seed < 55; seed++) {
            Outcome p = transfer(true, seed);
            Outcome u = transfer(false, seed);
            paced[0] += p.nanos;
            paced[1] += p.overflowed;
            paced[2] += p.timeouts;
            unpaced[0] += u.nanos;
            unpaced[1] += u.overflowed;
            unpaced[2] += u.timeouts;
        }
        System.out.printf("24 x 8 MiB: paced %.1f s, %d overflowed, %d timeouts; unpaced %.1f s, %d overflowed, %d timeouts%n",
                paced[0] / 1e9, paced[1], paced[2], unpaced[0] / 1e9, unpaced[1], unpaced[2]);
        assertTrue(paced[1] * 2 < unpaced[1], "overflow drops: paced " + paced[1] + ", unpaced " + unpaced[1]);
        assertTrue(paced[2] < unpaced[2], "timeouts: paced " + paced[2] + ", unpaced " + unpaced[2]);
        assertTrue(paced[0] < unpaced[0], "time: paced " + paced[0] / MS + " ms, unpaced " + unpaced[0] / MS + " ms");
    }
}
