package org.wgkaraf.engine.crypto;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Times the available transport AEADs on the running JDK. They are interleaved batch by batch so
 * that all get the same JIT warm-up, and each is scored by its fastest batch: the least disturbed
 * estimate of what it costs once compiled. Each batch seals and opens a small packet (an SSH
 * keystroke, a keepalive-sized datagram) and a full-size one, because real traffic mixes both and
 * the providers rank differently on each. Batches are timed by this thread's CPU time, so that
 * other processes on a busy machine do not add to whichever provider runs while they do.
 *
 * <p>The JIT must settle before the times mean anything: with ~150 ms the JDK's cipher, compiled
 * sooner, looked 35% faster than it is at steady state, and our own cipher, whose vectorized
 * loops C2 compiles last, looked 3 times slower than it is after 600 ms on a loaded 2-core
 * machine (its loops were compiled about a second in). So the run lasts at least the budget
 * and then goes on while the JIT is still compiling or any provider still getting faster, up to
 * {@value #CAP_FACTOR} budgets.
 */
final class TransportCalibration {
    /** WireGuard's default MTU payload, and a small packet. */
    static final int PACKET_BYTES = 1420;
    static final int SMALL_PACKET_BYTES = 64;
    static final long DEFAULT_BUDGET_MILLIS = 600;
    private static final int BATCH = 8;
    private static final int WARM_UP_BATCHES = 40;
    /** A batch at least 1/33 (3%) faster than the best so far counts as the JIT still at work. */
    private static final long GAIN_DIVISOR = 33;
    static final int CAP_FACTOR = 5;

    private TransportCalibration() {
    }

    static TransportChoice.Calibration run(long budgetNanos) {
        return run(budgetNanos, available());
    }

    static List<TransportProvider> available() {
        List<TransportProvider> list = new ArrayList<>();
        for (TransportProvider p : TransportProvider.values()) {
            if (p.isAvailable()) {
                list.add(p);
            }
        }
        return list;
    }

    static TransportChoice.Calibration run(long budgetNanos, List<TransportProvider> providers) {
        if (providers.isEmpty()) {
            throw new IllegalArgumentException("nothing to calibrate");
        }
        // A fixed, public key: nothing secret is encrypted here.
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (0xa5 ^ i);
        }
        // A sender and a receiver per provider, as a keypair has: one cipher per direction.
        int n = providers.size();
        Pair[] pairs = new Pair[n];
        long[] best = new long[n];
        Arrays.fill(best, Long.MAX_VALUE);
        byte[] plain = new byte[PACKET_BYTES];
        byte[] small = new byte[SMALL_PACKET_BYTES];
        byte[] sealed = new byte[PACKET_BYTES + ChaChaPoly.TAG_SIZE];
        long counter = 0;
        long start = System.nanoTime();
        try {
            for (int i = 0; i < n; i++) {
                pairs[i] = new Pair(providers.get(i), key);
            }
            // Round 0 loads and links every code path (the first use of a VarHandle or of the JDK
            // cipher costs milliseconds) and runs each enough for the JIT to queue its compiled
            // versions early; it is not scored.
            for (int b = 0; b < WARM_UP_BATCHES; b++) {
                for (Pair p : pairs) {
                    batch(p, counter, plain, small, sealed);
                }
                counter += 2 * BATCH;
            }
            long lastGain = start;
            long lastCompile = start;
            long compiled = compilationMillis();
            for (int round = 1; round == 1 || !settled(start, Math.max(lastGain, lastCompile), budgetNanos); round++) {
                long c = compilationMillis();
                if (c != compiled) {
                    compiled = c;
                    lastCompile = System.nanoTime();
                }
                // Rotate who goes first so none always runs right after a GC or a compile.
                for (int k = 0; k < n; k++) {
                    int i = (round + k) % n;
                    long t = batch(pairs[i], counter, plain, small, sealed);
                    if (t < best[i] - best[i] / GAIN_DIVISOR) {
                        lastGain = System.nanoTime();
                    }
                    best[i] = Math.min(best[i], t);
                }
                counter += 2 * BATCH;
            }
        } finally {
            for (Pair p : pairs) {
                if (p != null) {
                    p.destroy();
                }
            }
        }
        Map<TransportProvider, Long> nanos = new EnumMap<>(TransportProvider.class);
        for (int i = 0; i < n; i++) {
            // A batch can read 0 ns on a coarse clock; the record wants a positive time.
            nanos.put(providers.get(i), Math.max(1, best[i]));
        }
        return new TransportChoice.Calibration(PACKET_BYTES + SMALL_PACKET_BYTES, nanos, System.nanoTime() - start);
    }

    /**
     * Done when the budget has passed and for half of it neither has any provider got faster
     * (by more than 1 part in {@link #GAIN_DIVISOR}) nor has the JIT compiled anything, or at
     * {@link #CAP_FACTOR} budgets in any case. Watching the compiler matters: code that C1 has
     * compiled runs at a steady, slow pace until C2's version arrives, which looks settled.
     */
    private static boolean settled(long start, long lastChange, long budgetNanos) {
        long now = System.nanoTime();
        long elapsed = now - start;
        return elapsed >= budgetNanos && (now - lastChange >= budgetNanos / 2 || elapsed >= CAP_FACTOR * budgetNanos);
    }

    /** Total milliseconds the JIT has spent compiling in this JVM, or 0 where it is not reported. */
    private static long compilationMillis() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }

    /** Nanoseconds per seal + open of one full-size and one small packet, over one batch. */
    private static long batch(Pair p, long firstCounter, byte[] plain, byte[] small, byte[] sealed) {
        long t0 = now();
        for (int i = 0; i < BATCH; i++) {
            roundTrip(p, firstCounter + 2L * i, plain, sealed);
            roundTrip(p, firstCounter + 2L * i + 1, small, sealed);
        }
        return (now() - t0) / BATCH;
    }

    /**
     * This thread's CPU time where the JVM keeps it, else the wall clock. On a shared machine a
     * batch timed by the wall clock also counts the time other processes had the core, which
     * lands on whichever provider happened to run then; CPU time counts only our work.
     */
    private static long now() {
        return CPU_CLOCK ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    static final boolean CPU_CLOCK = cpuClockWorks();

    private static boolean cpuClockWorks() {
        try {
            return THREADS.isCurrentThreadCpuTimeSupported() && THREADS.isThreadCpuTimeEnabled()
                    && THREADS.getCurrentThreadCpuTime() >= 0;
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }

    private static void roundTrip(Pair p, long n, byte[] plain, byte[] sealed) {
        int sealedLen = p.sender().seal(n, plain, 0, plain.length, sealed, 0);
        // Opening in place, as the engine does; the check also keeps the work observable.
        if (p.receiver().open(n, sealed, 0, sealedLen, sealed, 0) != plain.length) {
            throw new IllegalStateException("calibration round trip failed");
        }
    }

    private record Pair(TransportCipher sender, TransportCipher receiver) {
        Pair(TransportProvider provider, byte[] key) {
            this(provider.factory().create(key), provider.factory().create(key));
        }

        void destroy() {
            sender.destroy();
            receiver.destroy();
        }
    }
}
