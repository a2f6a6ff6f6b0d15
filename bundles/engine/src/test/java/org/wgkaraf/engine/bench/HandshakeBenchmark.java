package org.wgkaraf.engine.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.wgkaraf.engine.crypto.Transport;
import org.wgkaraf.engine.crypto.X25519;

/**
 * Complete handshakes per second: initiation, response and confirming keepalive, both sides' work.
 *
 * <p>On a shared machine the wall-clock score says as much about the other processes as about the
 * code, so {@link CpuTime} also counts the measured handshakes and the CPU time this thread spent
 * in them (JMH sums both over the iterations): {@code handshakes * 1e9 / cpuNanos} is handshakes
 * per second of one core's own time, the figure the goal is stated in.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HandshakeBenchmark {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private BenchPair pair;

    /**
     * The CPU time of this thread over one iteration, and the handshakes in it. Read at the
     * iteration's edges (JMH runs a thread-scoped state's iteration fixtures on the benchmark's
     * own thread), not around each handshake: on this machine reading the clock cost a sixth of
     * a handshake.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class CpuTime {
        public long cpuNanos;
        public long handshakes;
        private long startedAt;

        @Setup(Level.Iteration)
        public void start() {
            cpuNanos = 0;
            handshakes = 0;
            startedAt = THREADS.getCurrentThreadCpuTime();
        }

        @TearDown(Level.Iteration)
        public void stop() {
            cpuNanos = THREADS.getCurrentThreadCpuTime() - startedAt;
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws InterruptedException {
        pair = new BenchPair(Transport.factory());
        System.out.println("Transport.choice(): " + Transport.awaitChoice());
        System.out.println("X25519.implementation(): " + X25519.implementation());
    }

    @Benchmark
    public int handshake(CpuTime cpu) {
        pair.handshake();
        cpu.handshakes++;
        return pair.outB.datagrams;
    }
}
