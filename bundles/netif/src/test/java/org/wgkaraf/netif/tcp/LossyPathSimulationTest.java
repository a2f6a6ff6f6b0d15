package org.wgkaraf.netif.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The lossy relay's path in simulated time (1% loss each way, 50 ms each way, 1% of packets held
 * up to 20 ms more): a transfer completes, loss is repaired mostly without timeouts, and the
 * receiver never waits long without progress.
 */
class LossyPathSimulationTest {

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13, 14, 15, 16})
    void aTransferOverTheLossyPathNeverStallsLong(long seed) {
        Simulation sim = new Simulation(seed).open();
        sim.loss = 0.01;
        sim.delay = 50 * Simulation.MS;
        sim.jitter = 20 * Simulation.MS;
        sim.reorderShare = 0.01;
        Simulation.Transfer t = new Simulation.Transfer(sim.a, () -> sim.b, 4 << 20, seed);
        long[] last = {sim.now, 0};
        long[] longest = {0};
        sim.onStep = () -> {
            long before = t.read;
            t.run();
            if (t.read != before || last[1] == 0) {
                longest[0] = Math.max(longest[0], sim.now - last[0]);
                last[0] = sim.now;
                last[1] = 1;
            }
        };
        long start = sim.now;
        assertTrue(sim.runUntil(t::complete, 600_000), "transfer: read " + t.read + " " + sim.a + " / " + sim.b);
        assertEquals(-1, t.mismatchAt);
        double seconds = (sim.now - start) / 1e9;
        System.out.printf("seed %d: 4 MiB in %.1f s simulated (%.2f MiB/s), %d fast recoveries, %d timeouts, longest stall %d ms%n",
                seed, seconds, 4 / seconds, sim.a.recovery.fastRecoveries, sim.a.recovery.timeouts, longest[0] / 1_000_000);
        assertTrue(longest[0] < 3_000 * Simulation.MS, "longest stall " + longest[0] / 1_000_000 + " ms");
    }
}
