package org.wgkaraf.netif.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Data both ways at once under heavy loss: B echoes what A sends through a small buffer, so the
 * windows close and open while segments are lost in both directions, as on a congested tunnel.
 */
class EchoSimulationTest {

    /** A sends a stream and closes; B echoes it back, then closes; A checks what comes back. */
    private static final class Echo implements Runnable {
        final Simulation sim;
        final long total;
        final Random out = new Random(9);
        final Random check = new Random(9);
        final byte[] buf = new byte[8192];
        final byte[] pending = new byte[8192];
        int pendingLen;
        int pendingPos;
        long sent;
        long echoed;
        long back;
        boolean aEof;
        boolean bEof;
        long mismatch = -1;
        final byte[] outChunk = new byte[4096];
        int outLen;
        int outPos;

        Echo(Simulation sim, long total) {
            this.sim = sim;
            this.total = total;
        }

        @Override
        public void run() {
            Tcb a = sim.a;
            Tcb b = sim.b;
            while (sent < total) {
                if (outPos == outLen) {
                    outLen = (int) Math.min(outChunk.length, total - sent);
                    for (int i = 0; i < outLen; i++) {
                        outChunk[i] = (byte) out.nextInt();
                    }
                    outPos = 0;
                }
                int n = a.write(outChunk, outPos, outLen - outPos);
                if (n <= 0) {
                    break;
                }
                outPos += n;
                sent += n;
            }
            if (sent == total && !a.finQueued) {
                a.shutdownOutput(sim.now);
            }
            if (b == null) {
                return;
            }
            // B: write back what it holds, then read more.
            while (true) {
                if (pendingPos < pendingLen) {
                    int n = b.write(pending, pendingPos, pendingLen - pendingPos);
                    if (n <= 0) {
                        break;
                    }
                    pendingPos += n;
                    echoed += n;
                    continue;
                }
                int n = b.read(pending, 0, pending.length, sim.now);
                if (n < 0) {
                    if (!bEof) {
                        bEof = true;
                        b.shutdownOutput(sim.now);
                    }
                    break;
                }
                if (n == 0) {
                    break;
                }
                pendingLen = n;
                pendingPos = 0;
            }
            while (!aEof) {
                int n = a.read(buf, 0, buf.length, sim.now);
                if (n < 0) {
                    aEof = true;
                    break;
                }
                if (n == 0) {
                    break;
                }
                for (int i = 0; i < n; i++) {
                    if (buf[i] != (byte) check.nextInt() && mismatch < 0) {
                        mismatch = back + i;
                    }
                }
                back += n;
            }
        }

        boolean done() {
            return aEof && back == total;
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void echoUnderHeavyLossCompletes(long seed) {
        TcpConfig small = TcpConfig.DEFAULTS.withReceiveBuffer(64 * 1024).withSendBuffer(64 * 1024);
        Simulation sim = new Simulation(TcpConfig.DEFAULTS, small, seed).open();
        sim.loss = 0.05;
        sim.delay = 1 * Simulation.MS;
        Echo echo = new Echo(sim, 2 << 20);
        sim.onStep = echo;
        assertTrue(sim.runUntil(echo::done, 600_000), "echo: sent " + echo.sent + " echoed " + echo.echoed + " back " + echo.back
                + "\nA " + sim.a + "\nB " + sim.b + "\ndrops at A " + count(sim.dropsAtA) + "\ndrops at B " + count(sim.dropsAtB));
        assertEquals(-1, echo.mismatch);
    }

    private static String count(java.util.List<?> l) {
        java.util.Map<Object, Integer> m = new java.util.TreeMap<>();
        for (Object o : l) {
            m.merge(o.toString(), 1, Integer::sum);
        }
        return m.toString();
    }
}
