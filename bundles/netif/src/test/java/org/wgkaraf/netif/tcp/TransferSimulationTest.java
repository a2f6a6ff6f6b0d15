package org.wgkaraf.netif.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Whole transfers between two cores over a simulated path: every byte arrives, in order, once. */
class TransferSimulationTest {

    private static Simulation.Transfer transfer(Simulation sim, long bytes) {
        Simulation.Transfer t = new Simulation.Transfer(sim.a, () -> sim.b, bytes, 42);
        sim.onStep = t;
        return t;
    }

    @Test
    void aCleanPathCarriesEveryByteAndBothSidesClose() {
        Simulation sim = new Simulation(1).open();
        assertTrue(sim.runUntil(sim::established, 1000), "handshake: " + sim.a + " / " + sim.b);
        Simulation.Transfer t = transfer(sim, 4 << 20);
        assertTrue(sim.runUntil(t::complete, 60_000), "transfer: read " + t.read + " " + sim.a + " / " + sim.b);
        assertEquals(-1, t.mismatchAt);
        sim.b.shutdownOutput(sim.now);
        assertTrue(sim.runUntil(() -> sim.a.state == TcpState.TIME_WAIT && sim.b.closed(), 10_000), sim.a + " / " + sim.b);
        assertEquals(0, sim.a.recovery.timeouts, "no timeout on a clean path");
    }

    @Test
    void onePercentLossIsRepairedWithSack() {
        Simulation sim = new Simulation(2).open();
        sim.loss = 0.01;
        sim.delay = 25 * Simulation.MS;
        Simulation.Transfer t = transfer(sim, 8 << 20);
        assertTrue(sim.runUntil(t::complete, 600_000), "transfer: read " + t.read + " " + sim.a + " / " + sim.b);
        assertEquals(-1, t.mismatchAt);
        assertTrue(sim.a.recovery.fastRecoveries > 0, "losses were repaired by fast recovery");
        System.out.printf("1%% loss, 50 ms RTT: 8 MiB in %.1f s simulated, %d fast recoveries, %d timeouts, %d retransmitted%n",
                (sim.now / 1e9) - 1, sim.a.recovery.fastRecoveries, sim.a.recovery.timeouts, sim.a.retransmitted);
    }

    @Test
    void reorderingAndLossTogetherStillDeliverInOrder() {
        Simulation sim = new Simulation(3).open();
        sim.loss = 0.02;
        sim.jitter = 10 * Simulation.MS;
        Simulation.Transfer t = transfer(sim, 4 << 20);
        assertTrue(sim.runUntil(t::complete, 600_000), "transfer: read " + t.read + " " + sim.a + " / " + sim.b);
        assertEquals(-1, t.mismatchAt);
    }
}
